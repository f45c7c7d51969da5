"""Input and output schemas of the feedback API."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from govoffice.portal.feedback.models import Source, Topic


class FeedbackIn(Schema):
    source: str = Field(Source.CITIZEN, description="citizen or business")
    name: str = Field(..., description="the submitter's full name (or the business's name)")
    email: str = Field("", description="an e-mail address or a phone number is required")
    phone: str = ""
    address: str = ""
    tax_code: str = Field("", description="a business's tax code: 10 digits, or 10-3")
    agency: str = Field("", description="organisation code of the agency concerned, from the directory")
    topic: str = Field(Topic.REGULATION, description="regulation, procedure, conduct or proposal")
    subject: str
    content: str


class StatusOut(Schema):
    code: str
    status: str
    status_label: str
    updated_at: dt.datetime


class PublishedOut(Schema):
    code: str
    subject: str
    question: str
    answer: str
    agency_code: str | None
    agency_name: str | None
    source: str
    topic: str
    published_at: dt.datetime | None


class PublishedPage(Schema):
    count: int
    items: list[PublishedOut]


class RatingIn(Schema):
    code: str
    token: str
    satisfied: bool | None = None
    comment: str = ""


class FileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str


class HistoryOut(Schema):
    at: dt.datetime
    state: str
    hub_status: str
    note: str


class FeedbackOut(Schema):
    id: int
    code: str
    source: str
    topic: str
    via: str
    state: str
    scope: str
    out_of_scope_kind: str
    name: str
    email: str
    phone: str
    subject: str
    content: str
    agency: str | None
    received_at: dt.datetime
    updated_at: dt.datetime
    duplicate_of: str | None
    forwarded_to: str | None
    document_id: str
    forward_error: str
    hub_status: str
    answer_text: str
    answer_via: str
    answered_at: dt.datetime | None
    published_at: dt.datetime | None
    satisfied: bool | None
    rating_comment: str
    files: list[FileOut]
    history: list[HistoryOut]


class AgencyFeedbackOut(Schema):
    """What the responsible agency sees: no contacts of the submitter."""

    id: int
    code: str
    source: str
    topic: str
    state: str
    subject: str
    content: str
    agency: str | None
    forwarded_at: dt.datetime | None
    document_id: str
    answer_text: str
    moderation_note: str


class FeedbackPage(Schema):
    count: int
    items: list[FeedbackOut]


class ForwardIn(Schema):
    agency: str
    note: str = ""


class OutOfScopeIn(Schema):
    kind: str = Field(..., description="complaint, denunciation or other")
    note: str = ""


class DuplicateIn(Schema):
    original: str = Field(..., description="the receipt code of the earlier piece")
    note: str = ""


class PublishIn(Schema):
    subject: str = ""
    question: str = ""
    answer: str = ""


class NoteIn(Schema):
    note: str


class AnswerIn(Schema):
    answer: str


class StatisticsOut(Schema):
    year: int
    annual: dict[str, int | float | str]
    by_source: dict[str, int]
    by_scope: dict[str, dict[str, int]]
    by_agency: list[dict[str, str | int]]
    by_outcome: dict[str, int]
