"""Keeps the API's error format for the answers Django gives before a view runs (404, 405)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from govoffice.web.language import remember_choice

_CODES = {404: ("not_found", "No such API endpoint"), 405: ("method_not_allowed", "This method is not allowed here")}


class ApiErrorFormatMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and _too_large(request):
            # Django would refuse it with its HTML 400 page when the view reads the body.
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return JsonResponse(
                {"error": {"code": "too_large", "message": f"The request body is over the limit of {limit} bytes", "field": None}},
                status=413,
            )
        if request.path.startswith("/api/") and _has_nul(request):
            # PostgreSQL cannot store or compare text with NUL: refuse it before any query.
            return JsonResponse(
                {"error": {"code": "invalid_input", "message": "NUL characters are not accepted", "field": _nul_field(request)}},
                status=422,
            )
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code not in _CODES:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        code, message = _CODES[response.status_code]
        out = JsonResponse({"error": {"code": code, "message": message, "field": None}}, status=response.status_code)
        if response.has_header("Allow"):
            out["Allow"] = response["Allow"]
        return out



def _too_large(request: HttpRequest) -> bool:
    """A body Django will not read into memory (multipart files have their own caps per view)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or request.content_type == "multipart/form-data":
        return False
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return False


_JSON_NUL = re.compile(rb"(?<!\\)\\u0000", re.IGNORECASE)  # the escape, not an escaped backslash before "u0000"


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
        return True
    # A JSON body may carry NUL as \u0000 in any string (the size was checked first).
    if request.content_type != "application/json":
        return False
    body = request.body
    # An escape needs a backslash: one memchr over the body first (~1 µs for a 3 MB batch of base64,
    # which has none), then substring searches, then the regex (over a batch it cost ~0.4 ms a document).
    if b"\\" not in body or (b"\\u0000" not in body and b"\\U0000" not in body):
        return False
    return _JSON_NUL.search(body) is not None


def _nul_field(request: HttpRequest) -> str | None:
    """Where in a JSON body the NUL is (e.g. "content", "members.0"), to show beside the field."""
    if request.content_type != "application/json":
        return None
    try:
        body = json.loads(request.body)
    except ValueError:
        return None

    def walk(value: Any, path: list[str]) -> list[str] | None:
        if isinstance(value, str):
            return path if "\x00" in value else None
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, item in items:
            if "\x00" in str(key):
                return [*path, str(key)]
            found = walk(item, [*path, str(key)])
            if found is not None:
                return found
        return None

    found = walk(body, [])
    return ".".join(found) if found else None


class VietnameseFirstMiddleware:
    """Pages are Vietnamese unless the person chose English (cookie): the browser's
    Accept-Language does not decide. Runs before Django's LocaleMiddleware.

    A signed-in person's choice on the language switch is also stored as theirs
    (User.language, web.language): the user is known once the response comes back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        response = self.get_response(request)
        remember_choice(request, response)
        return response


class SessionEndedMiddleware:
    """Tells a person whose session expired why they are back at the sign-in page.

    SessionMiddleware deletes the stale cookie on the redirect itself, so the login view
    cannot see it: the message is added here, on the request that still carried it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        stale = settings.SESSION_COOKIE_NAME in request.COOKIES and not request.user.is_authenticated
        if stale and response.status_code == 302 and response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL)):
            messages.info(request, _("Your session has ended. Please sign in again."))
        return response
