"""Rate limits per client address and per account, counted in Django's cache (fixed windows).

A limit is (requests, seconds). Counting uses cache.add + cache.incr, which are atomic in
Redis and Memcached. The default cache is per process (LocMemCache): each worker then counts
on its own, so the effective limit is the limit times the workers; configure a shared cache
(settings CACHES) in production (docs/portal.md).
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from govoffice.lib.errors import DomainError
from govoffice.portal import conf


class RateLimited(DomainError):
    status = 429

    def __init__(self, retry_after: int):
        super().__init__("rate_limited", _("Too many requests: try again in %(n)s seconds") % {"n": retry_after})
        self.retry_after = retry_after


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the address the trusted proxies recorded in X-Forwarded-For."""
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def count_request(scope: str, who: str, limit: tuple[int, int], prefix: str = "portal:rl") -> int:
    """Count one request of `who` in `scope`; 0 within the limit, else the seconds to wait (Retry-After)."""
    allowed, seconds = int(limit[0]), int(limit[1])
    now = time.time()
    window = int(now // seconds)
    key = f"{prefix}:{scope}:{who}:{window}"
    if cache.add(key, 1, seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, seconds + 1)
            count = 1
    if count > allowed:
        return max(1, math.ceil((window + 1) * seconds - now))
    return 0


def hit(scope: str, who: str, limit: tuple[int, int]) -> None:
    """Count one request of `who` in `scope`; RateLimited (429, retry_after) once over the limit."""
    wait = count_request(scope, who, limit)
    if wait:
        raise RateLimited(wait)


def limit_address(request: HttpRequest, scope: str) -> None:
    hit(scope, client_address(request), conf.get(f"limit_{scope}_per_address"))


def limit_account(user: Any, scope: str) -> None:
    hit(scope, f"u{user.pk}", conf.get(f"limit_{scope}_per_account"))
