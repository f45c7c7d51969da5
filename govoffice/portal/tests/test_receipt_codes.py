from __future__ import annotations

import pytest

from govoffice.portal import receipts


def test_a_new_dossier_code_has_prefix_year_body_and_check_symbol() -> None:
    code = receipts.format_for("dossier").new(2026)
    assert code.startswith("HS-2026-") and len(code) == len("HS-2026-") + 9
    assert receipts.parse(code) == receipts.Receipt("dossier", code, 2026)


def test_it_forgives_case_spaces_missing_hyphens_and_look_alike_letters() -> None:
    code = receipts.format_for("dossier").compose(2026, "K7Q2M910")
    sloppy = code.lower().replace("-", " ").replace("1", "l").replace("0", "o")
    assert receipts.parse(sloppy).code == code  # type: ignore[union-attr]


@pytest.mark.parametrize("position", range(8, 17))
def test_a_single_mistyped_symbol_is_refused_by_the_check(position: int) -> None:
    code = receipts.format_for("dossier").compose(2026, "K7Q2M9XD")
    char = code[position]
    for other in receipts.ALPHABET:
        if other != char:
            assert receipts.parse(code[:position] + other + code[position + 1:]) is None


def test_swapping_two_neighbouring_symbols_is_refused() -> None:
    code = receipts.format_for("dossier").compose(2026, "K7Q2M9XD")
    swapped = code[:9] + code[10] + code[9] + code[11:]
    assert receipts.parse(swapped) is None


def test_feedback_codes_have_their_own_prefix() -> None:
    code = receipts.format_for("feedback").new(2019)
    assert code.startswith("PA-2019-") and receipts.parse(code).kind == "feedback"  # type: ignore[union-attr]
    assert receipts.format_for("dossier").parse(code) is None


def test_garbage_is_no_code() -> None:
    for text in ("", "HS", "HS-2026", "XX-2026-K7Q2M9XD3", "HS-20A6-K7Q2M9XD3", "HS-2026-K7Q2M9XDU3"):
        assert receipts.parse(text) is None
