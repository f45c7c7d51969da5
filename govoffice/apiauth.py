"""How the JSON API knows who is asking: an agency's API key, or a signed-in person's session.

An API-key request costs one query for the key, its person, the person's agency and that
agency's hub membership (select_related), one for the person's roles, and at most one write a
minute to note the key's last use: a hub agent calling many times a second pays two reads.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from govoffice.directory.models import ApiKey, User
from govoffice.directory.services import KEY_PREFIX, hash_secret

# How stale ApiKey.last_used_at may get: a hot key writes it once a minute, not on every call.
LAST_USED_EVERY = dt.timedelta(seconds=60)


def authenticate_key(raw: str) -> ApiKey | None:
    """The active key matching a presented secret, with its person, agency and hub membership loaded.

    The same rules as directory.services.authenticate_api_key (prefix, revoked, inactive person,
    constant-time comparison of the SHA-256), in one query instead of three.
    """
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not raw.isascii():
        return None
    key = (
        ApiKey.objects.select_related("agency", "user", "user__agency", "user__agency__hub_member")
        .filter(prefix=parts[1])
        .first()
    )
    if key is None or key.revoked_at is not None or not key.user.is_active:
        return None
    if not hmac.compare_digest(key.secret_hash, hash_secret(parts[2])):
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def _accept_key(request: HttpRequest, raw: str | None) -> Any:
    if not raw:
        return None
    key = authenticate_key(raw)
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
