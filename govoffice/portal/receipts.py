"""Receipt codes (mã hồ sơ / mã phản ánh) handed to citizens and businesses.

DOMAIN.md §3 found no official format, so this one is ours and configurable:

    PREFIX-YYYY-BBBBBBBBC     e.g. HS-2026-K7Q2M9XD3

PREFIX names the kind (settings.PORTAL_RECEIPT_PREFIXES, default HS = dossier, PA = feedback),
YYYY the year of receipt, B eight random Crockford base-32 symbols (40 bits: unguessable, so a
code cannot be found by counting) and C a Luhn mod 32 check symbol over PREFIX, YYYY and B, so a
mistyped code is refused without a database query. Input is forgiving: case, spaces, missing
hyphens and the look-alikes O→0, I→1, L→1 are all accepted.

Usage: ``receipts.format_for("dossier").new(2026)``; ``receipts.parse(text)`` gives the kind and
the canonical code of any registered kind, or None.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from functools import cache, lru_cache

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
_LOOKALIKE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")
DEFAULT_PREFIXES = {"dossier": "HS", "feedback": "PA"}
BODY_LENGTH = 8


def check_symbol(payload: str) -> str:
    """The Luhn mod 32 check symbol of `payload` (symbols of ALPHABET)."""
    total, factor = 0, 2
    for char in reversed(payload):
        addend = factor * _INDEX[char]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


@dataclass(frozen=True)
class Receipt:
    kind: str
    code: str  # canonical form PREFIX-YYYY-BBBBBBBBC
    year: int


@dataclass(frozen=True)
class ReceiptFormat:
    kind: str
    prefix: str
    body_length: int = BODY_LENGTH

    def __post_init__(self) -> None:
        if not self.prefix or any(c not in _INDEX or c.isdigit() for c in self.prefix):
            raise ValueError(f"receipt prefix {self.prefix!r}: letters of {ALPHABET} only")

    def new(self, year: int) -> str:
        """A fresh random code for `year` (the caller keeps codes unique with a constraint)."""
        body = "".join(secrets.choice(ALPHABET) for _ in range(self.body_length))
        return self.compose(year, body)

    def compose(self, year: int, body: str) -> str:
        payload = f"{self.prefix}{year:04d}{body}"
        return f"{self.prefix}-{year:04d}-{body}{check_symbol(payload)}"

    def parse(self, text: str) -> Receipt | None:
        """The canonical receipt for `text` if it is a well-formed code of this kind, else None."""
        raw = _SEPARATORS.sub("", (text or "").upper())
        if not raw.startswith(self.prefix):
            return None
        rest = raw[len(self.prefix) :].translate(_LOOKALIKE)
        year, body = rest[:4], rest[4:]
        if (
            not (year.isascii() and year.isdigit())
            or len(body) != self.body_length + 1
            or any(c not in _INDEX for c in body)
        ):
            return None
        if check_symbol(f"{self.prefix}{year}{body[:-1]}") != body[-1]:
            return None
        return Receipt(self.kind, f"{self.prefix}-{year}-{body}", int(year))


@cache
def formats() -> dict[str, ReceiptFormat]:
    """Every configured kind's format (settings.PORTAL_RECEIPT_PREFIXES overrides the defaults)."""
    prefixes = {**DEFAULT_PREFIXES, **getattr(settings, "PORTAL_RECEIPT_PREFIXES", {})}
    if len(set(prefixes.values())) != len(prefixes):
        raise ValueError("two receipt kinds share a prefix")
    return {kind: ReceiptFormat(kind, prefix.upper()) for kind, prefix in prefixes.items()}


def format_for(kind: str) -> ReceiptFormat:
    """The format of one kind ("dossier", "feedback")."""
    return formats()[kind]


def parse(text: str) -> Receipt | None:
    """The receipt of any kind that `text` spells, or None (unknown prefix, bad length or check)."""
    # Remembered (a Receipt is immutable): one lookup asks it three times, view, cache and selector.
    # Only short texts: a code is 17 symbols, and a long one must not fill the memory.
    return _parse(text) if len(text or "") <= 64 else _parse.__wrapped__(text)


@lru_cache(maxsize=4096)
def _parse(text: str) -> Receipt | None:
    # Longest prefix first, so that a prefix which begins another never shadows it.
    for fmt in sorted(formats().values(), key=lambda f: -len(f.prefix)):
        found = fmt.parse(text)
        if found is not None:
            return found
    return None
