"""Personal data hidden before publication: the submitter's own name and contacts, and
anything shaped like an e-mail address, a phone number, an identity number or a tax code.
The officer reads the masked text and may edit it further before publishing."""

from __future__ import annotations

import re

HIDDEN = "***"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Vietnamese phone numbers, identity numbers (9 or 12 digits), tax codes (10 or 10-3 digits):
# any run of 9 or more digits, spaces, dots or dashes that holds at least 9 digits.
_NUMBERS = re.compile(r"(?<![\w])\+?[0-9][0-9 .\-]{7,}[0-9](?![\w])")


def _long_number(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return HIDDEN if digits >= 9 else match.group(0)


def mask(text: str, *, names: list[str] | tuple[str, ...] = ()) -> str:
    """The text with the given names and any e-mail address or long number replaced by ***."""
    out = _EMAIL.sub(HIDDEN, text)
    out = _NUMBERS.sub(_long_number, out)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        out = re.sub(re.escape(name), HIDDEN, out, flags=re.IGNORECASE)
    return out
