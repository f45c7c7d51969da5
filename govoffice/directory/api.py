"""The directory's JSON API: who am I, and the agencies."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from govoffice.apiauth import current_user
from govoffice.apischema import errors
from govoffice.directory import selectors
from govoffice.directory.models import ApiKey
from govoffice.directory.permissions import may
from govoffice.directory.schemas import (
    AgencyOut,
    AgencyPage,
    ApiKeyIn,
    ApiKeyIssued,
    ApiKeyOut,
    MeOut,
)
from govoffice.directory.services import get_agency, issue_api_key, revoke_api_key
from govoffice.lib.errors import Forbidden, NotFound

router = Router(tags=["directory"])


class AgencyFilter(Schema):
    q: str = ""
    kind: str = ""
    parent: str = ""
    limit: int = Field(200, ge=1, le=1000)
    offset: int = Field(0, ge=0)


@router.get("/me", response={200: MeOut, **errors(401)}, summary="The person or agency system behind this request")
def me(request: HttpRequest) -> dict[str, object]:
    user = current_user(request)
    return {
        "username": user.username,
        "full_name": user.full_name,
        "agency_code": user.agency.code if user.agency else None,
        "unit_code": user.unit.code if user.unit else None,
        "roles": sorted(user.role_set),
        "language": user.language,
    }


@router.get("/agencies", response={200: AgencyPage, **errors(401, 403, 422)}, summary="List agencies in the directory")
def list_agencies(request: HttpRequest, filters: Query[AgencyFilter]) -> dict[str, object]:
    if not may(request.user, "agency.view"):
        raise Forbidden("forbidden", "You may not read the directory")
    qs = selectors.agencies(filters.q, filters.kind, filters.parent)
    items = [selectors.agency_out(a) for a in qs[filters.offset : filters.offset + filters.limit]]
    return {"count": qs.count(), "items": items}


@router.get("/agencies/{code}", response={200: AgencyOut, **errors(401, 403, 404)}, summary="One agency by its organisation code")
def agency_detail(request: HttpRequest, code: str) -> dict[str, object]:
    if not may(request.user, "agency.view"):
        raise Forbidden("forbidden", "You may not read the directory")
    return selectors.agency_out(get_agency(code))


def _key_out(key: ApiKey) -> dict[str, object]:
    return {
        "prefix": key.prefix,
        "name": key.name,
        "agency_code": key.agency.code,
        "created_at": key.created_at.isoformat(),
        "last_used_at": key.last_used_at.isoformat() if key.last_used_at else None,
        "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
    }


@router.get("/agencies/{code}/api-keys", response={200: list[ApiKeyOut], **errors(401, 403, 404)}, summary="An agency's API keys (never the secrets)")
def list_api_keys(request: HttpRequest, code: str) -> list[dict[str, object]]:
    agency = get_agency(code)
    if not may(request.user, "apikey.manage", agency):
        raise Forbidden("forbidden", "Only administrators manage API keys")
    return [_key_out(k) for k in agency.api_keys.select_related("agency")]


@router.post("/agencies/{code}/api-keys", response={201: ApiKeyIssued, **errors(400, 401, 403, 404, 422)}, summary="Issue an API key for an agency's software; the key is shown only in this answer")
def create_api_key(request: HttpRequest, code: str, payload: ApiKeyIn) -> Status:
    agency = get_agency(code)
    if not may(request.user, "apikey.manage", agency):
        raise Forbidden("forbidden", "Only administrators manage API keys")
    key, raw = issue_api_key(actor=current_user(request), agency=agency, name=payload.name)
    return Status(201, {**_key_out(key), "key": raw})


@router.delete("/api-keys/{prefix}", response={200: ApiKeyOut, **errors(401, 403, 404, 409)}, summary="Revoke an API key at once")
def delete_api_key(request: HttpRequest, prefix: str) -> dict[str, object]:
    key = ApiKey.objects.select_related("agency").filter(prefix=prefix).first()
    if key is None:
        raise NotFound("unknown_api_key", f"No API key has the prefix {prefix}")
    if not may(request.user, "apikey.manage", key):
        raise Forbidden("forbidden", "Only administrators manage API keys")
    return _key_out(revoke_api_key(actor=current_user(request), key=key))
