"""Schemas of the portal API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field


class ProcedureOut(Schema):
    code: str
    name: str
    agency_code: str
    agency_name: str
    field: str
    field_slug: str
    level: int
    papers: list[str]
    fee_text: str
    fee_amount: int
    processing_days: int
    result: str
    applicants: list[str]
    online: bool


class ProcedureDetail(ProcedureOut):
    form: list[dict[str, Any]]
    min_attachments: int
    legal_basis: str


class ProcedurePage(Schema):
    count: int
    items: list[ProcedureOut]


# A page further than this is no page anyone reads; beyond 2**63 the databases refuse the OFFSET.
MAX_OFFSET = 1_000_000


class CatalogueFilter(Schema):
    q: str = Field("", max_length=200)
    field: str = Field("", max_length=200)
    agency: str = Field("", max_length=13)
    level: int | None = Field(None, ge=1, le=4)
    applicant: str = Field("", pattern="^(|citizen|business)$")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    limit: int = Field(20, ge=1, le=100)


class Facet(Schema):
    slug: str = ""
    code: str = ""
    name: str
    count: int


class FacetsOut(Schema):
    fields: list[Facet]
    agencies: list[Facet]
    total: int


class StatusOut(Schema):
    code: str
    kind: str
    status: int | str | None
    status_label: str
    updated_at: dt.datetime | None


class SignUpIn(Schema):
    kind: str = Field(..., pattern="^(citizen|business)$")
    number: str = Field(..., max_length=20)
    name: str = Field(..., max_length=255)
    email: str = Field(..., max_length=254)
    password: str = Field(..., max_length=128)
    phone: str = Field("", max_length=20)


class AccountOut(Schema):
    username: str
    kind: str
    active: bool


class StepOut(Schema):
    at: dt.datetime
    status: int
    status_label: str
    note: str


class FileOut(Schema):
    id: int
    role: str
    name: str
    content_type: str
    size: int
    sha256: str


class PaymentOut(Schema):
    reference: str
    provider: str
    amount: int
    state: str
    instructions: str


class DossierOut(Schema):
    receipt_code: str
    procedure: str
    procedure_name: str
    agency: str
    applicant_kind: str
    applicant_name: str
    status: int
    status_label: str
    status_note: str
    submitted_at: dt.datetime
    due_date: dt.date | None
    overdue: bool
    finished_late: bool
    data: dict[str, Any]


class DossierDetail(DossierOut):
    steps: list[StepOut]
    files: list[FileOut]
    payments: list[PaymentOut]
    result_document: str | None


class DossierPage(Schema):
    count: int
    items: list[DossierOut]


class DossierFilter(Schema):
    status: int | None = Field(None, ge=1, le=10)
    overdue: bool = False
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    limit: int = Field(50, ge=1, le=200)


class NoteIn(Schema):
    note: str = Field("", max_length=1000)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=1000)


class FeesIn(Schema):
    amount: int | None = Field(None, ge=1, le=2_000_000_000)
    note: str = Field("", max_length=1000)


class FinishIn(Schema):
    outgoing_id: int | None = Field(None, ge=1, le=2**62)
    note: str = Field("", max_length=1000)
