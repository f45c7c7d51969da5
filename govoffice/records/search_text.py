"""The words of search, without Django: how text is indexed, how a query is read, and how the
matched words are marked in what a reader sees.

Both sides are folded with lib.vntext.fold and cut into the same words (letters and digits;
everything else separates), and the index stores those words joined by single spaces. Both
databases then index exactly these words: SQLite's FTS5 tokenizer splits only on the spaces,
and PostgreSQL takes them as lexemes verbatim (array_to_tsvector), never through its own
parser, which would keep "123/qd-ttg" or "vpcp.gov.vn" whole. So a query matches the same
whole words, or word prefixes, on both.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from govoffice.lib.vntext import fold

WORD = re.compile(r"[^\W_]+")
MAX_WORD = 64  # longer "words" (base64, hashes from OCR noise) are not indexed
MAX_QUERY_WORDS = 12
MIN_PREFIX = 3  # a shorter last word (đi, Y tế, Đa) is matched whole, not as a prefix


def terms(text: str) -> list[str]:
    """The folded words of a text, in order, as the index keeps them."""
    return [w for w in WORD.findall(fold(text)) if len(w) <= MAX_WORD]


def index_text(*parts: str | None) -> str:
    """The indexed form of some texts: their folded words joined by single spaces."""
    return " ".join(terms(" ".join(p for p in parts if p)))


@dataclass(frozen=True)
class Query:
    """What a reader typed, as words: every word must match; the last may be a prefix."""

    words: tuple[str, ...]
    prefix: bool

    def __bool__(self) -> bool:
        return bool(self.words)

    @cached_property
    def whole(self) -> tuple[str, ...]:
        """The words matched whole (all but a prefix last word); deduplicated, in order."""
        out = self.words[:-1] if self.prefix else self.words
        return tuple(dict.fromkeys(w for w in out if not (self.prefix and w == self.words[-1])))

    def matches_word(self, folded_word: str) -> bool:
        if folded_word in self.words[:-1] or (not self.prefix and folded_word == self.words[-1]):
            return True
        return self.prefix and folded_word.startswith(self.words[-1])

    def matched_by(self, folded_words: str) -> bool:
        """True if an indexed text (folded words joined by spaces) holds every query word."""
        padded = f" {folded_words} "
        return all(pattern in padded for pattern in self._patterns)

    @cached_property
    def _patterns(self) -> tuple[str, ...]:
        out = [f" {w} " for w in self.whole]
        if self.prefix:
            out.append(f" {self.words[-1]}")
        return tuple(out)

    def like_patterns(self) -> list[str]:
        """Substrings of " " + folded + " " that together mean the same match (for LIKE)."""
        return list(self._patterns)

    def fts5(self) -> str:
        """The FTS5 MATCH expression: quoted words, implicitly ANDed, the last with `*`."""
        parts = [f'"{w}"' for w in self.whole]
        if self.prefix:
            parts.append(f'"{self.words[-1]}" *')
        return " ".join(parts)

    def tsquery(self) -> str:
        """The PostgreSQL tsquery text (cast with ::tsquery, no parser): 'a' & 'b' & 'c':*."""
        parts = [f"'{w}'" for w in self.whole]
        if self.prefix:
            parts.append(f"'{self.words[-1]}':*")
        return " & ".join(parts)


def parse_query(raw: str) -> Query:
    """Read a query: folded words; the last one is a prefix unless a space follows it.

    "quyet d" finds "Quyết định" as people type; "quyet dinh " asks for the whole word.
    A last word of one or two letters is matched whole ("bo y te" finds Bộ Y tế, and
    "dong da" Đống Đa, not every word that starts with "da").
    """
    words = terms(raw)[:MAX_QUERY_WORDS]
    if not words:
        return Query((), False)
    typing = not raw[-1:].isspace() and len(words[-1]) >= MIN_PREFIX
    return Query(tuple(words), typing)


def _marked(text: str, query: Query) -> list[tuple[str, bool]]:
    """The text cut into (piece, matched) runs: words the query matched, and the rest."""
    text = unicodedata.normalize("NFC", text)
    out: list[tuple[str, bool]] = []
    last = 0
    for m in WORD.finditer(text):
        if query and query.matches_word(fold(m.group())):
            out.append((text[last : m.start()], False))
            out.append((m.group(), True))
            last = m.end()
    out.append((text[last:], False))
    return [(piece, hit) for piece, hit in out if piece]


def highlight(text: str, query: Query) -> str:
    """HTML of a text with the matched words in <mark>, everything escaped (server-side)."""
    return "".join(
        f"<mark>{html.escape(piece)}</mark>" if hit else html.escape(piece)
        for piece, hit in _marked(text, query)
    )


def snippet(text: str, query: Query, *, width: int = 30) -> str:
    """HTML of about `width` words around the first match in a long text, marked; "" if none."""
    if not text or not query:
        return ""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    words = text.split(" ")
    for i, word in enumerate(words):
        if any(query.matches_word(w) for w in terms(word)):
            start = max(0, i - width // 3)
            piece = " ".join(words[start : start + width])
            before = "… " if start > 0 else ""
            after = " …" if start + width < len(words) else ""
            return html.escape(before) + highlight(piece, query) + html.escape(after)
    return ""
