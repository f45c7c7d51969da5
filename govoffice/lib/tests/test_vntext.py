from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from govoffice.lib.vntext import fold, words


def test_it_folds_diacritics_and_d_bar() -> None:
    assert fold("Đường Nguyễn Trãi, Quận Đống Đa") == "duong nguyen trai, quan dong da"


def test_it_matches_the_query_without_marks_to_the_text_with_them() -> None:
    assert fold("nghe an") in fold("Ủy ban nhân dân tỉnh Nghệ An")


def test_it_treats_precomposed_and_decomposed_input_alike() -> None:
    assert fold("Vi\u1ec7t") == fold("Vie\u0323\u0302t") == "viet"


def test_it_collapses_white_space() -> None:
    assert fold("  Bộ\t\nTài   chính ") == "bo tai chinh"


def test_it_splits_folded_words() -> None:
    assert words("Quyết định số 123/QĐ-TTg") == ["quyet", "dinh", "so", "123", "qd", "ttg"]


@given(st.text())
def test_folding_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ ĐĂÂÊÔƠƯ"))
def test_vietnamese_letters_fold_to_plain_ascii(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
