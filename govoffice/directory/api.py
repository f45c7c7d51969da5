"""The directory's JSON API: who am I, and the agencies."""

from __future__ import annotations

from django.http import HttpRequest

from govoffice.directory import selectors
from govoffice.directory.permissions import may
from govoffice.directory.schemas import AgencyOut, AgencyPage, MeOut
from govoffice.directory.services import get_agency
from govoffice.lib.errors import Forbidden
from ninja import Router, Query, Schema

router = Router(tags=["directory"])


class AgencyFilter(Schema):
    q: str = ""
    kind: str = ""
    parent: str = ""
    limit: int = 200
    offset: int = 0


@router.get("/me", response=MeOut, summary="The person or agency system behind this request")
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    return {
        "username": user.username,
        "full_name": user.full_name,
        "agency_code": user.agency.code if user.agency_id else None,
        "unit_code": user.unit.code if user.unit_id else None,
        "roles": sorted(user.role_set),
        "language": user.language,
    }


@router.get("/agencies", response=AgencyPage, summary="List agencies in the directory")
def list_agencies(request: HttpRequest, filters: Query[AgencyFilter]) -> dict[str, object]:
    if not may(request.user, "agency.view"):
        raise Forbidden("forbidden", "You may not read the directory")
    limit = max(1, min(filters.limit, 1000))
    qs = selectors.agencies(filters.q, filters.kind, filters.parent)
    items = [selectors.agency_out(a) for a in qs[filters.offset : filters.offset + limit]]
    return {"count": qs.count(), "items": items}


@router.get("/agencies/{code}", response=AgencyOut, summary="One agency by its organisation code")
def agency_detail(request: HttpRequest, code: str) -> dict[str, object]:
    if not may(request.user, "agency.view"):
        raise Forbidden("forbidden", "You may not read the directory")
    return selectors.agency_out(get_agency(code))
