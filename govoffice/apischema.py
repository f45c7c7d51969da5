"""Schemas every router shares: the error body of DESIGN.md."""

from __future__ import annotations

from ninja import Schema


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorBody


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """The error responses an operation can give, for its OpenAPI entry."""
    return {code: ErrorOut for code in codes}
