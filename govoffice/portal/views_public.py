"""The public pages (no sign-in): the portal's front page, the catalogue, a procedure, status lookup.

They are the pages a surge hits, so each is a couple of indexed queries, a small template, no
session write (nothing here touches request.session) and one in-memory page-view count."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from govoffice.portal import receipts, selectors, visits
from govoffice.portal.models import OnlineLevel
from govoffice.portal.ratelimit import RateLimited, limit_address


def _public(response: HttpResponse, seconds: int) -> HttpResponse:
    if seconds:
        patch_cache_control(response, public=True, max_age=seconds)
    else:
        patch_cache_control(response, no_cache=True)
    return response


def limited_page(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = render(request, "portal/limited.html", {"retry_after": exc.retry_after}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    visits.count("home")
    return _public(render(request, "portal/home.html", {"facets": selectors.facets()}), 60)


def _level(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and int(raw) in OnlineLevel.values else None


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    try:
        limit_address(request, "search")
    except RateLimited as exc:
        return limited_page(request, exc)
    visits.count("catalogue")
    g = request.GET
    query = selectors.CatalogueQuery(q=g.get("q", "")[:200], field=g.get("field", "")[:200], agency=g.get("agency", "")[:13],
                                     level=_level(g.get("level", "")), applicant=g.get("applicant", "") if g.get("applicant") in ("citizen", "business") else "")
    page = Paginator(selectors.procedures(query), selectors.PAGE_SIZE).get_page(g.get("page"))
    context: dict[str, Any] = {"page": page, "query": query, "facets": selectors.facets(), "levels": OnlineLevel.choices}
    return _public(render(request, "portal/catalogue.html", context), 60)


@require_GET
def procedure(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.procedure(code)
    if found is None:
        raise Http404(_("No procedure has this code"))
    visits.count("procedure")
    return _public(render(request, "portal/procedure.html", {"procedure": found}), 300)


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()[:40]
    context: dict[str, Any] = {"code": code}
    status = 200
    if code:
        try:
            limit_address(request, "lookup")
        except RateLimited as exc:
            return limited_page(request, exc)
        if receipts.parse(code) is None:
            context["error"] = _("This is not a receipt code: check the characters (e.g. HS-2026-K7Q2M9XD3)")
            status = 422
        else:
            context["found"] = selectors.public_status(code)
            if context["found"] is None:
                context["error"] = _("No dossier or feedback has this receipt code")
                status = 404
    visits.count("lookup")
    return _public(render(request, "portal/lookup.html", context, status=status), 0)
