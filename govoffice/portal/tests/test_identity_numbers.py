from __future__ import annotations

import datetime as dt

import pytest

from govoffice.portal.identity import (
    InvalidNumber,
    birth_year,
    check_identity_number,
    check_tax_code,
    make_tax_code,
)

TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(("number", "year"), [("001090123456", 1990), ("079305000001", 2005), ("096185123456", 1985)])
def test_a_well_formed_identity_number_is_accepted(number: str, year: int) -> None:
    assert check_identity_number(number, TODAY) == number
    assert birth_year(number) == year


@pytest.mark.parametrize("number", [
    "00109012345",   # 11 digits
    "0010901234567",  # 13 digits
    "00109012345a",
    "003090123456",  # 003 is no province code
    "001290123456",  # born 2090: in the future
    "001099123456" if False else "001499123456",  # 22nd century
])
def test_a_malformed_identity_number_is_refused(number: str) -> None:
    with pytest.raises(InvalidNumber):
        check_identity_number(number, TODAY)


@pytest.mark.parametrize("code", ["0100109106", "0300588569", "0101248141", "0100109106-001", "0100109106001"])
def test_real_tax_codes_pass_the_check_digit(code: str) -> None:
    assert check_tax_code(code).startswith("0")


def test_a_branch_tax_code_is_written_with_its_hyphen() -> None:
    assert check_tax_code("0100109106001") == "0100109106-001"


@pytest.mark.parametrize("code", ["0100109107", "010010910", "0100109106-000", "01001091060011", "abcdefghij"])
def test_a_wrong_tax_code_is_refused(code: str) -> None:
    with pytest.raises(InvalidNumber):
        check_tax_code(code)


def test_the_check_digit_is_made_from_the_first_nine() -> None:
    assert make_tax_code("010010910") == "0100109106"
