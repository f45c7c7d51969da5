"""Receipt codes of feedback: the portal's generator (govoffice/portal/receipts.py) with the
"feedback" kind, prefix PA by default: PA-YYYY-BBBBBBBBC, eight random symbols and a check
symbol, so a code cannot be guessed and a mistyped one is refused without a query."""

from __future__ import annotations

import secrets

from django.utils import timezone

from govoffice.portal import receipts

KIND = "feedback"


def new_code(year: int | None = None) -> str:
    """A fresh receipt code (the caller retries on the rare collision: the column is unique)."""
    return receipts.format_for(KIND).new(year or timezone.localdate().year)


def normalise(code: str) -> str:
    """What a person typed, in the stored form; "" if it is not a well-formed feedback code."""
    found = receipts.format_for(KIND).parse(code or "")
    return found.code if found is not None else ""


def new_token() -> str:
    """An Open311 token: opaque, handed back at once, exchanged later for the request id."""
    return secrets.token_hex(16)
