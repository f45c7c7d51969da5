"""Rate limits per client address and per account: fixed windows counted in Django's cache.

One process's memory (the default cache) is enough for one server; with several app servers
the operator points CACHES at Redis so that every server counts in the same place (docs/feedback.md).
Over the limit the answer is 429 with Retry-After, and nothing is done.
"""

from __future__ import annotations

import json
import time

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from govoffice.portal.feedback.conf import conf
from govoffice.portal.ratelimit import client_address  # one rule for who the client is, portal-wide

__all__ = ["check", "client_address", "hit", "too_many_json"]


def hit(bucket: str, who: str, limit_name: str) -> int:
    """Count one request; 0 when allowed, else the seconds until the window ends (Retry-After)."""
    allowed, period = conf(limit_name)
    now = int(time.time())
    window = now // int(period)
    key = f"feedback-rl:{bucket}:{who}:{window}"
    cache.add(key, 0, timeout=int(period) + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr: this is the first of a new window
        cache.set(key, 1, timeout=int(period) + 5)
        count = 1
    if count > int(allowed):
        return max(1, int(period) - now % int(period))
    return 0


def check(request: HttpRequest, bucket: str, limit_name: str, account_limit: str = "") -> int:
    """Count the request by address (and by account when signed in); the larger Retry-After, or 0."""
    wait = hit(bucket, client_address(request), limit_name)
    user = getattr(request, "user", None)
    if account_limit and user is not None and user.is_authenticated:
        wait = max(wait, hit(f"{bucket}-account", str(user.pk), account_limit))
    return wait


def too_many_json(wait: int) -> HttpResponse:
    """The API's 429: the one error format, with Retry-After."""
    body = {"error": {"code": "rate_limited", "message": f"Too many requests; try again in {wait} seconds", "field": None}}
    response = HttpResponse(json.dumps(body), status=429, content_type="application/json")
    response["Retry-After"] = str(wait)
    return response
