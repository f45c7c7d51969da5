from __future__ import annotations

from ninja import Schema


class AgencyOut(Schema):
    code: str
    name_vi: str
    name_en: str
    short_name: str
    kind: str
    parent_code: str | None
    code_official: bool
    active: bool


class MeOut(Schema):
    username: str
    full_name: str
    agency_code: str | None
    unit_code: str | None
    roles: list[str]
    language: str


class AgencyPage(Schema):
    count: int
    items: list[AgencyOut]


class ApiKeyIn(Schema):
    name: str


class ApiKeyOut(Schema):
    prefix: str
    name: str
    agency_code: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


class ApiKeyIssued(ApiKeyOut):
    key: str
