"""Rate limits per client address and per account: fixed windows counted in Django's cache.

One process's memory (the default cache) is enough for one server; with several app servers
the operator points CACHES at Redis so that every server counts in the same place (docs/feedback.md).
Over the limit the answer is 429 with Retry-After, and nothing is done.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse

from govoffice.portal.feedback.conf import conf
from govoffice.portal.ratelimit import client_address, count_request

__all__ = ["check", "client_address", "too_many_json"]

# Who the client is and how a window is counted are portal-wide (portal/ratelimit.py); feedback keeps
# its own keys (under this prefix) and its own limits (feedback/conf.py).
PREFIX = "feedback-rl"


def check(request: HttpRequest, bucket: str, limit_name: str, account_limit: str = "") -> int:
    """Count the request by address (and by account when signed in); the larger Retry-After, or 0."""
    wait = count_request(bucket, client_address(request), conf(limit_name), prefix=PREFIX)
    user = getattr(request, "user", None)
    if account_limit and user is not None and user.is_authenticated:
        wait = max(wait, count_request(f"{bucket}-account", str(user.pk), conf(account_limit), prefix=PREFIX))
    return wait


def too_many_json(wait: int) -> HttpResponse:
    """The API's 429: the one error format, with Retry-After."""
    body = {"error": {"code": "rate_limited", "message": f"Too many requests; try again in {wait} seconds", "field": None}}
    response = HttpResponse(json.dumps(body), status=429, content_type="application/json")
    response["Retry-After"] = str(wait)
    return response
