"""How the JSON API knows who is asking: an agency's API key, or a signed-in person's session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from govoffice.directory.models import User
from govoffice.directory.services import authenticate_api_key


def _accept_key(request: HttpRequest, raw: str | None) -> Any:
    if not raw:
        return None
    key = authenticate_api_key(raw)
    if key is None:
        return None
    request.user = key.user
    request.api_key = key  # type: ignore[attr-defined]
    return key.user


class BearerKey(HttpBearer):
    """Authorization: Bearer gok_…"""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return _accept_key(request, token)


class HeaderKey(APIKeyHeader):
    """X-API-Key: gok_… (for clients that cannot set Authorization)."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return _accept_key(request, key)


class Session(SessionAuth):
    """A person signed in to the pages; unsafe methods also need the CSRF token."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


AUTH = [BearerKey(), HeaderKey(), Session()]


def current_user(request: HttpRequest) -> User:
    """The authenticated person behind an API request (every router requires auth)."""
    user = request.user
    if not isinstance(user, User):
        raise AuthenticationError()
    return user
