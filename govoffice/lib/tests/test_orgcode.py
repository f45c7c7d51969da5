from __future__ import annotations

import pytest

from govoffice.lib.orgcode import is_valid, parse


@pytest.mark.parametrize("code", ["000.00.00.G22", "000.00.18.G12", "000.00.00.H41", "001.02.18.G12"])
def test_it_accepts_codes_of_the_decision_20_pattern(code: str) -> None:
    assert is_valid(code)


@pytest.mark.parametrize(
    "code",
    ["", "G22", "000.00.00.X22", "000.00.00.g22", "00.00.00.G22", "000.00.00.G2", "000.01.00.G12", "001.00.00.G12", "000.00.00.G22 x"],
)
def test_it_rejects_codes_off_the_pattern(code: str) -> None:
    assert not is_valid(code)


def test_it_knows_the_top_body_and_depth() -> None:
    code = parse("000.00.18.G12")
    assert code.top == "000.00.00.G12"
    assert code.depth == 2
    assert not code.is_province
    assert parse("000.00.00.H41").is_province
