"""The JSON API under /api/v1/: one NinjaAPI, each app adds its router, one error format."""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from govoffice import __version__
from govoffice.apiauth import AUTH
from govoffice.lib.errors import DomainError


class OrjsonParser(Parser):
    """Request bodies read by orjson (ADR 0017): the hub's batches are megabytes of base64 strings,
    which the standard library's scanner reads at half orjson's speed (0.12 against 0.06 ms a
    document of a 50-document batch). orjson is also stricter: invalid UTF-8, lone surrogates and
    NaN are refused (ninja answers 400, as for any unreadable body), and integers beyond 64 bits
    arrive as floats. A leading UTF-8 byte-order mark is skipped, as the standard library did
    (some agencies' tools write one)."""

    def parse_body(self, request: HttpRequest) -> Any:
        body = request.body
        return orjson.loads(body[3:] if body.startswith(b"\xef\xbb\xbf") else body)


class OrjsonRenderer(JSONRenderer):
    """Responses written by orjson: an inbox page that carries its documents is megabytes of base64,
    which the standard library's encoder scans for characters to escape at ~0.2 ms a 70 KB string
    (orjson: ~0.006). What orjson does not write itself goes to ninja's own encoder, so the answers
    say the same: dates and times as Django writes them (milliseconds, "Z"), Decimal, lazy
    translations, pydantic models. The bytes differ in form: no spaces between items, and non-ASCII
    characters as UTF-8 rather than \\u escapes (the response says charset=utf-8). Two answers
    differ: a float NaN or infinity is written as null (the standard library wrote NaN, which is
    not JSON), and a plain Enum (the API has none: its choices are str and int ones) as its value,
    not str(). Dictionary keys that are not strings go the standard library's way, as before."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        try:
            return orjson.dumps(data, default=_NINJA_ENCODER.default, option=_ORJSON_OPTIONS)
        except orjson.JSONEncodeError:
            # What orjson will not write (an integer beyond 64 bits, a key that is not a string)
            # the standard library may.
            return super().render(request, data, response_status=response_status)


_NINJA_ENCODER = NinjaJSONEncoder()
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME


api = NinjaAPI(
    parser=OrjsonParser(),
    renderer=OrjsonRenderer(),
    title="govoffice API",
    version="1",
    description=(
        "The JSON API of govoffice. Errors always have the form "
        '`{"error": {"code": "...", "message": "...", "field": null}}`. '
        "Machines authenticate with `Authorization: Bearer <API key>` (or `X-API-Key`); "
        "people with their signed-in session and the CSRF token."
    ),
    auth=AUTH,
    urls_namespace="api",
    openapi_extra={"info": {"x-govoffice-version": __version__}},
)


def error_response(request: HttpRequest, status: int, code: str, message: str, field: str | None = None) -> HttpResponse:
    return api.create_response(request, {"error": {"code": code, "message": message, "field": field}}, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error_response(request, exc.status, exc.code, exc.message, exc.field)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first: dict[str, Any] = exc.errors[0] if exc.errors else {}
    loc = [str(part) for part in first.get("loc", []) if part not in ("body", "query", "path", "payload", "form", "file")]
    field = ".".join(loc) or None
    message = first.get("msg", "Invalid input")
    return error_response(request, 422, "invalid_input", f"{field}: {message}" if field else message, field)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "unauthenticated", "A valid API key or a signed-in session is required")


@api.exception_handler(AuthorizationError)
def _forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return error_response(request, 403, "forbidden", "You may not do this")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.status_code, "error")
    if exc.status_code == 403 and "CSRF" in str(exc):
        code = "csrf_failed"
    return error_response(request, exc.status_code, code, str(exc))


def _register_routers() -> None:
    from govoffice.audit.api import router as audit_router
    from govoffice.directory.api import router as directory_router
    from govoffice.exchange.api import router as hub_router
    from govoffice.records.api_incoming import router as records_incoming_router
    from govoffice.records.api_outgoing import router as records_outgoing_router
    from govoffice.records.api_search import router as records_search_router

    api.add_router("/", directory_router)
    api.add_router("/hub", hub_router)
    api.add_router("/audit", audit_router)
    api.add_router("/records", records_incoming_router)
    api.add_router("/records", records_outgoing_router)
    api.add_router("/records", records_search_router)

    from govoffice.cabinet.api import router as cabinet_router
    from govoffice.portal.api import router as portal_router
    from govoffice.portal.feedback.api import router as feedback_router
    from govoffice.reports.api import router as reports_router
    from govoffice.supervision.api import router as supervision_router

    api.add_router("/cabinet", cabinet_router)
    api.add_router("/portal", portal_router)
    api.add_router("/portal/feedback", feedback_router)
    api.add_router("/supervision", supervision_router)
    api.add_router("/reports", reports_router)


_register_routers()
