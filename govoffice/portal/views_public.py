"""The public pages (no sign-in): the portal's front page, the catalogue, a procedure, status lookup.

They are the pages a surge hits. A visitor without a session cookie gets them on
portal/public_base.html: no session read or write, no CSRF cookie, the same bytes for every
anonymous visitor of a language, kept in Django's cache with an ETag (public_cache.py) and
cacheable by nginx (docs/portal.md). Rate limits and page-view counts still run on every request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from govoffice.portal import public_cache, receipts, selectors, visits
from govoffice.portal.models import OnlineLevel
from govoffice.portal.ratelimit import RateLimited, limit_address

LOOKUP_SHARED_SECONDS = 10  # how long nginx may serve a lookup answer without asking (s-maxage)


def _public(response: HttpResponse, seconds: int, shared: int | None = None) -> HttpResponse:
    if seconds:
        patch_cache_control(response, public=True, max_age=seconds)
    elif shared:
        patch_cache_control(response, public=True, max_age=0, s_maxage=shared)
    else:
        patch_cache_control(response, no_cache=True)
    return response


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200, here: str = "") -> HttpResponse:
    context.update(base_template=public_cache.base_template(request), here=here or request.get_full_path())
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("Cookie",))  # the language cookie decides the language
    return response


def limited_page(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _page(request, "portal/limited.html", {"retry_after": exc.retry_after}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    visits.count("home")
    return public_cache.cached_page(
        request, public_cache.catalogue_page_key("home", request), public_cache.CATALOGUE_PAGE_SECONDS,
        lambda: _public(_page(request, "portal/home.html", {"facets": selectors.facets()}), 60))


def _level(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and int(raw) in OnlineLevel.values else None


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    try:
        limit_address(request, "search")
    except RateLimited as exc:
        return limited_page(request, exc)
    visits.count("catalogue")
    return public_cache.cached_page(request, public_cache.catalogue_page_key("catalogue", request),
                                    public_cache.CATALOGUE_PAGE_SECONDS, lambda: _catalogue(request))


def _catalogue(request: HttpRequest) -> HttpResponse:
    g = request.GET
    query = selectors.CatalogueQuery(q=g.get("q", "")[:200], field=g.get("field", "")[:200], agency=g.get("agency", "")[:13],
                                     level=_level(g.get("level", "")), applicant=g.get("applicant", "") if g.get("applicant") in ("citizen", "business") else "")
    page = Paginator(selectors.procedures(query), selectors.PAGE_SIZE).get_page(g.get("page"))
    context: dict[str, Any] = {"page": page, "query": query, "facets": selectors.facets(), "levels": OnlineLevel.choices}
    return _public(_page(request, "portal/catalogue.html", context), 60)


@require_GET
def procedure(request: HttpRequest, code: str) -> HttpResponse:
    def build() -> HttpResponse:
        found = selectors.procedure(code)
        if found is None:
            raise Http404(_("No procedure has this code"))
        return _public(_page(request, "portal/procedure.html", {"procedure": found}), 300)

    response = public_cache.cached_page(request, public_cache.catalogue_page_key("procedure", request), 300, build)
    visits.count("procedure")
    return response


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()[:40]
    if not code:
        visits.count("lookup")
        return _public(_page(request, "portal/lookup.html", {"code": ""}), 0)
    try:
        limit_address(request, "lookup")
    except RateLimited as exc:
        return limited_page(request, exc)
    visits.count("lookup")
    receipt = receipts.parse(code)
    if receipt is None:
        error = _("This is not a receipt code: check the characters (e.g. HS-2026-K7Q2M9XD3)")
        return _public(_page(request, "portal/lookup.html", {"code": code, "error": error}, status=422), 0)
    return public_cache.cached_page(request, public_cache.lookup_page_key(receipt.code), public_cache.LOOKUP_PAGE_SECONDS,
                                    lambda: _lookup_answer(request, code, receipt.code))


def _lookup_answer(request: HttpRequest, typed: str, canonical: str) -> HttpResponse:
    found = public_cache.public_status(canonical)
    if found is None:
        context = {"code": typed, "error": _("No dossier or feedback has this receipt code")}
        return _public(_page(request, "portal/lookup.html", context, status=404), 0)
    # The page shows the code as written on the receipt, whatever the visitor typed: one page per code.
    here = f"{reverse('portal:lookup')}?code={canonical}"
    response = _page(request, "portal/lookup.html", {"code": canonical, "found": found}, here=here)
    if found.get("updated_at"):
        response["Last-Modified"] = http_date(found["updated_at"].timestamp())
    return _public(response, 0, shared=LOOKUP_SHARED_SECONDS)


@require_GET
def language(request: HttpRequest) -> HttpResponse:
    """The language switch of the public pages: a link, so that they need no CSRF token.

    It only sets the language cookie (no stored state), as a form on base.html does through
    Django's set_language; a signed-in person's stored choice stays with that form."""
    chosen = request.GET.get("language", "")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("portal:home")
    response = HttpResponseRedirect(target)
    if chosen in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, chosen, max_age=settings.LANGUAGE_COOKIE_AGE,
                            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                            samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    patch_cache_control(response, private=True, no_store=True)
    return response
