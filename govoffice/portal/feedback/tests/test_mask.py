"""Personal data is hidden before publication: the submitter's own details and anything shaped
like an e-mail address, a phone, identity or tax number."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from govoffice.portal.feedback.mask import HIDDEN, mask


def test_names_contacts_and_numbers_are_hidden() -> None:
    text = ("Tôi là Nguyễn Văn An, CCCD 001099012345, ĐT 0912.345.678 hoặc +84 912 345 678, "
            "thư an.nguyen@example.vn, MST 0101234567-001. Điều 5 Nghị định 20/2008 năm 2019.")
    out = mask(text, names=["Nguyễn Văn An"])
    for secret in ("Nguyễn Văn An", "001099012345", "0912.345.678", "912 345 678", "an.nguyen@example.vn", "0101234567"):
        assert secret not in out
    assert "Điều 5 Nghị định 20/2008 năm 2019" in out  # short numbers stay


def test_names_are_hidden_whatever_their_case() -> None:
    assert mask("ông NGUYỄN VĂN AN đề nghị", names=["Nguyễn Văn An"]) == f"ông {HIDDEN} đề nghị"


@given(st.from_regex(r"0[0-9]{9}", fullmatch=True), st.text(alphabet="abc đề nghị", max_size=30))
def test_any_phone_number_is_hidden(phone: str, around: str) -> None:
    assert phone not in mask(f"{around} {phone} {around}")
