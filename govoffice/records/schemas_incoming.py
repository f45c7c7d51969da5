"""Schemas of the incoming API (/api/v1/records/incoming, /api/v1/records/register)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema


class IncomingFilter(Schema):
    state: str = Field("", description="arrived, registered, returned, assigned, processing, done")
    urgency: int | None = Field(None, ge=0, le=3, description="0 normal, 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc")
    doc_type: str = Field("", description="Decree 30 abbreviation: QĐ, CV, TTr, …")
    channel: str = Field("", description="electronic or paper")
    sender: str = Field("", description="the author agency's organisation code")
    date_from: dt.date | None = Field(None, description="arrived on or after this day (office time)")
    date_to: dt.date | None = Field(None, description="arrived on or before this day (office time)")
    mine: bool = Field(False, description="only documents the caller leads or co-ordinates, not done")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class PaperIn(Schema):
    sender_name: str = Field(..., min_length=1, max_length=255, description="author agency (Tác giả)")
    subject: str = Field(..., min_length=1, max_length=1000, description="summary (trích yếu)")
    number_notation: str = Field("", max_length=100, description="for example 123/BTC-VP")
    document_date: dt.date | None = None
    doc_type: str = Field("CV", max_length=4)
    urgency: int = Field(0, ge=0, le=3)
    confidentiality: int = Field(0, ge=0, le=3)
    pages: int = Field(0, ge=0, le=100_000)
    due_date: dt.date | None = None
    note: str = Field("", max_length=500)
    sender_code: str = Field("", max_length=13, description="the author agency's organisation code, if it has one")


class ReturnIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class AssignIn(Schema):
    lead_unit: str | None = Field(None, description="organisation code of the lead unit")
    lead_person: str | None = Field(None, description="username of the lead person")
    coordinators: list[str] = Field(default_factory=list, description="usernames")
    coordinating_units: list[str] = Field(default_factory=list, description="organisation codes")
    direction: str = Field("", max_length=5000)
    deadline: dt.date | None = Field(None, description="a date, not before today")
    deadline_days: int | None = Field(None, ge=1, le=365, description="or: this many working days from today")


class DoneIn(Schema):
    note: str = Field("", max_length=1000)


class FileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    role: str
    text_state: str = Field(..., description="'' (not read), pending, done, failed")


class AssignmentOut(Schema):
    id: int
    lead_unit: str | None
    lead_person: str | None
    coordinators: list[str]
    coordinating_units: list[str]
    direction: str
    deadline: dt.date | None
    assigned_by: str
    assigned_at: dt.datetime
    active: bool


class IncomingSummary(Schema):
    id: int
    year: int
    arrival_number: int | None
    arrived_at: dt.datetime
    channel: str
    state: str
    urgency: int
    confidentiality: int
    doc_type: str
    sender_code: str | None
    sender_name: str
    number_notation: str
    document_date: dt.date | None
    subject: str
    receiving_unit: str | None
    receiving_person: str | None
    deadline: dt.date | None


class IncomingOut(IncomingSummary):
    document_id: str
    registered_at: dt.datetime | None
    pages: int
    due_date: dt.date | None
    note: str
    return_reason: str
    presented_to: str | None
    completed_at: dt.datetime | None
    files: list[FileOut]
    assignments: list[AssignmentOut]


class IncomingPage(Schema):
    count: int
    items: list[IncomingSummary]


class RegisterQuery(Schema):
    date_from: dt.date | None = Field(None, description="first day (default: 1 January of this year)")
    date_to: dt.date | None = Field(None, description="last day (default: today)")
    format: Literal["csv", "xlsx", "pdf"] = "csv"
