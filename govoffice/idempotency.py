"""Idempotency-Key on the API's creating POSTs: a machine that retries after a lost answer
gets what its first request made (200), never a second one (201 the first time)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from govoffice.lib.errors import DomainError

MAX_KEY = 200


def openapi(what: str, verb: str = "made") -> dict[str, Any]:
    """The header's OpenAPI description, for a route's openapi_extra."""
    return {
        "parameters": [
            {"name": "Idempotency-Key", "in": "header", "required": False,
             "schema": {"type": "string", "maxLength": MAX_KEY},
             "description": f"a retry with the same key returns the {what} the first request {verb} (200), never a second one"}
        ],
    }


def idempotency_key(request: HttpRequest) -> str | None:
    """The request's Idempotency-Key (None when absent); 422 when longer than MAX_KEY."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > MAX_KEY:
        raise DomainError("invalid_idempotency_key", f"Idempotency-Key is at most {MAX_KEY} characters",
                          field="Idempotency-Key", status=422)
    return key or None
