"""Vietnamese text folding for search: the same function runs on the index and on the query."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ/Đ is a letter of its own, not d plus a mark: NFD leaves it whole, so it is mapped first.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(text: str) -> str:
    """Fold Vietnamese text for matching: NFD, đ→d, marks dropped, case folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.casefold()).strip()


def words(text: str) -> list[str]:
    """The folded words of a text (letters and digits), for indexing and query terms."""
    return re.findall(r"\w+", fold(text))
