"""What the surge asks for, answered from Django's cache: public statuses by receipt code and whole
public pages for visitors who are not signed in, with an ETag so that browsers and nginx revalidate
for the price of a 304.

- A visitor without a session cookie is anonymous for sure: the page is built on
  portal/public_base.html (no CSRF token, no user, no messages), so nothing touches the session and
  the response sets no cookie. It depends only on the URL and the language (the language cookie),
  hence `Vary: Cookie` beside LocaleMiddleware's `Vary: Accept-Language`.
- A dossier's status answer is cached per code and language and deleted after the commit of every
  status change (`forget_status_on_commit`, called by services/dossiers.py). Other kinds (feedback)
  live in another app: their answers are kept only OTHER_STATUS_SECONDS unless that app calls
  `forget_status(code)` on its own changes.
- Catalogue pages carry the catalogue version in their key, so loading a catalogue retires them.

The default cache (LocMemCache) is per process: what one process forgets, the others would keep,
so with it an answer is kept PROCESS_CACHE_SECONDS at most. A shared cache (GOVOFFICE_CACHE_URL=
redis://…) makes the invalidation reach every worker and the full lifetimes apply (docs/portal.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags, quote_etag

from govoffice.portal import receipts, selectors
from govoffice.portal.catalogue import catalogue_version

STATUS_SECONDS = 600  # a dossier's answer is deleted on every change: the time only bounds a missed one
OTHER_STATUS_SECONDS = 30  # feedback answers, unless the feedback app forgets them itself
LOOKUP_PAGE_SECONDS = 600
CATALOGUE_PAGE_SECONDS = 60
PROCESS_CACHE_SECONDS = 10  # the longest anything is kept when each process has its own cache
PUBLIC_BASE = "portal/public_base.html"


def lifetime(seconds: int) -> int:
    """How long to keep an entry: as asked with a shared cache, 10 s at most with each process's own."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    return min(seconds, PROCESS_CACHE_SECONDS) if isinstance(caches["default"], LocMemCache) else seconds
_KEPT_HEADERS = ("Cache-Control", "Last-Modified", "Content-Type")


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def anonymous(request: HttpRequest) -> bool:
    """No session cookie: nobody is signed in, and nothing needs the session (read without touching it)."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def base_template(request: HttpRequest) -> str:
    return PUBLIC_BASE if anonymous(request) else "base.html"


def _status_key(code: str, language: str) -> str:
    return f"portal:status:{code}:{language}"


def _lookup_key(code: str, language: str) -> str:
    return f"portal:page:lookup:{code}:{language}"


def public_status(code: str) -> dict[str, Any] | None:
    """selectors.public_status, answered from the cache when it can be (labels in the active language)."""
    receipt = receipts.parse(code)
    if receipt is None:
        return None
    key = _status_key(receipt.code, translation.get_language() or settings.LANGUAGE_CODE)
    found: dict[str, Any] | None = cache.get(key)
    if found is None:
        found = selectors.public_status(receipt.code)
        if found is None:
            return None  # unknown codes are not remembered: a code filed a second later must be found
        cache.set(key, found, lifetime(STATUS_SECONDS if found["kind"] == "dossier" else OTHER_STATUS_SECONDS))
    return found


def forget_status(code: str) -> None:
    """Drop the cached answers (status and lookup page, every language) of a receipt code."""
    receipt = receipts.parse(code)
    canonical = receipt.code if receipt else code
    cache.delete_many([k for lang in _languages() for k in (_status_key(canonical, lang), _lookup_key(canonical, lang))])


def forget_status_on_commit(code: str) -> None:
    """Forget after the change is committed: a reader before the commit cannot put the old answer back."""
    transaction.on_commit(lambda: forget_status(code))


def lookup_page_key(code: str) -> str:
    return _lookup_key(code, translation.get_language() or settings.LANGUAGE_CODE)


def catalogue_page_key(page: str, request: HttpRequest) -> str:
    """Key of a catalogue page: the catalogue version, the language and the query string."""
    query = hashlib.blake2b(request.META.get("QUERY_STRING", "").encode(), digest_size=12).hexdigest()
    return f"portal:page:{page}:{catalogue_version()}:{translation.get_language()}:{request.path}:{query}"


def cached_page(request: HttpRequest, key: str, seconds: int, build: Callable[[], HttpResponse]) -> HttpResponse:
    """An anonymous GET answered from the cache (or built and kept, if a plain 200 setting no cookie).

    Signed-in visitors always get a freshly built page. Every anonymous answer carries an ETag and
    `Vary: Cookie` (the language cookie decides the language); If-None-Match gets a 304."""
    if not anonymous(request) or request.method != "GET":
        return build()
    entry: dict[str, Any] | None = cache.get(key)
    if entry is None:
        response = build()
        if response.status_code != 200 or response.cookies or response.streaming:
            return response
        body = response.content
        entry = {"body": body, "etag": quote_etag(hashlib.blake2b(body, digest_size=12).hexdigest()),
                 "headers": {h: response[h] for h in _KEPT_HEADERS if response.has_header(h)}}
        cache.set(key, entry, lifetime(seconds))
    if entry["etag"] in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
        out: HttpResponse = HttpResponseNotModified()
    else:
        out = HttpResponse(entry["body"])
    for header, value in entry["headers"].items():
        if header != "Content-Type" or out.status_code == 200:
            out[header] = value
    out["ETag"] = entry["etag"]
    patch_vary_headers(out, ("Cookie",))
    return out
