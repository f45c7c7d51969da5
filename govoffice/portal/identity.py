"""Checks of the numbers citizens and businesses sign up with (no Django).

Personal identity number (số định danh cá nhân / CCCD, Circular 07/2016/TT-BCA, Art. 7): 12
digits = 3 digits of the province of birth registration + 1 digit of century and sex + 2 digits
of the year of birth + 6 random digits. Century/sex: 0/1 = 20th century male/female, 2/3 = 21st,
4/5 = 22nd, 6/7 = 23rd, 8/9 = 24th.

Tax code (mã số thuế, Circular 105/2020/TT-BTC): 10 digits whose 10th is the check digit
10 − (Σ dᵢ·wᵢ mod 11) with weights 31 29 23 19 17 13 7 5 3; a 13-digit code is a dependent
unit's: the parent's 10 digits plus a 3-digit branch number 001–999 (written with or without a
hyphen).
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext_noop

# Province codes of the 63 provinces and centrally-run cities (Circular 07/2016/TT-BCA, appendix).
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh",
    "086": "Vĩnh Long", "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}
TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
MAX_AGE_YEARS = 130


class InvalidNumber(ValueError):
    """The number is malformed; the message says why, for people."""


def check_identity_number(raw: str, today: dt.date | None = None) -> str:
    """The 12-digit personal identity number, or InvalidNumber saying what is wrong."""
    number = re.sub(r"\s+", "", raw or "")
    if not re.fullmatch(r"\d{12}", number):
        raise InvalidNumber(gettext_noop("A personal identity number has exactly 12 digits"))
    if number[:3] not in PROVINCE_CODES:
        raise InvalidNumber(gettext_noop("The first three digits are not a province code"))
    century = 1900 + 100 * (int(number[3]) // 2)
    year = century + int(number[4:6])
    this_year = (today or dt.date.today()).year
    if year > this_year or year < this_year - MAX_AGE_YEARS:
        raise InvalidNumber(gettext_noop("The century digit and the year of birth do not give a possible year"))
    return number


def birth_year(number: str) -> int:
    """The year of birth a valid identity number encodes."""
    return 1900 + 100 * (int(number[3]) // 2) + int(number[4:6])


def tax_check_digit(first_nine: str) -> int | None:
    """The check digit of a tax code's first nine digits (None: no valid code begins so)."""
    digit = 10 - sum(int(d) * w for d, w in zip(first_nine, TAX_WEIGHTS, strict=True)) % 11
    return digit if digit < 10 else None


def check_tax_code(raw: str) -> str:
    """The tax code in its written form (0100109106 or 0100109106-001), or InvalidNumber."""
    text = re.sub(r"\s+", "", raw or "")
    match = re.fullmatch(r"(\d{10})(?:-?(\d{3}))?", text)
    if not match:
        raise InvalidNumber(gettext_noop("A tax code has 10 digits, or 13 for a dependent unit (10 digits, hyphen, 3 digits)"))
    head, branch = match.group(1), match.group(2)
    if tax_check_digit(head[:9]) != int(head[9]):
        raise InvalidNumber(gettext_noop("The check digit (10th digit) of this tax code is wrong"))
    if branch is not None and branch == "000":
        raise InvalidNumber(gettext_noop("A dependent unit's number runs from 001 to 999"))
    return f"{head}-{branch}" if branch else head


def make_tax_code(first_nine: str) -> str | None:
    """The valid 10-digit tax code that begins with these nine digits, if any (tests, demo)."""
    digit = tax_check_digit(first_nine)
    return None if digit is None else f"{first_nine}{digit}"
