"""Request and answer bodies of the submissions and outgoing API."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class FileIn(Schema):
    name: str = Field(..., min_length=1, max_length=255)
    content_base64: str = Field(..., description="the file's bytes, base64; its type is checked by content, not by name")


class FileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    role: str
    url: str


class StepOut(Schema):
    index: int
    label: str
    role: str
    position: str = ""
    same_unit: bool = False


class ChainOut(Schema):
    matter: str
    name: str
    steps: list[StepOut]


class PersonOut(Schema):
    username: str
    full_name: str
    position: str


class SubmissionIn(Schema):
    title: str = Field(..., max_length=500)
    body: str = Field(..., description="the submission's text (version 1)")
    summary: str = ""
    matter: str = Field("default", description="which approval chain of the agency (GET /records/submissions/chains)")
    confidentiality: int = Field(0, ge=0, le=3, description="0 none, 1 Mật, 2 Tối mật, 3 Tuyệt mật")
    urgency: int = Field(0, ge=0, le=3, description="0 normal, 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc")
    related: list[int] = Field(default_factory=list, description="ids of incoming documents")
    files: list[FileIn] = Field(default_factory=list, max_length=20)


class VersionIn(Schema):
    body: str
    note: str = Field("", max_length=500)
    keep: list[int] = Field(default_factory=list, description="ids of the latest version's files to carry over")
    files: list[FileIn] = Field(default_factory=list, max_length=20)


class SubmitIn(Schema):
    reviewer: str | None = Field(None, description="username; needed only when several people can act at the step")


class DecisionIn(Schema):
    comment: str = ""
    next_reviewer: str | None = Field(None, description="username of the next step's person, when several can act")


class ReturnIn(Schema):
    comment: str = Field(..., description="what must change (required)")


class ForwardIn(Schema):
    to: str = Field(..., description="username of a person who may act at this step or a later one")
    comment: str = ""


class VersionOut(Schema):
    number: int
    body: str
    note: str
    created_by: str
    created_at: dt.datetime
    files: list[FileOut]


class ActionOut(Schema):
    at: dt.datetime
    actor: str
    action: str = Field(..., description="create, revise, submit, resubmit, approve, return, forward, withdraw")
    step: int
    version: int | None
    comment: str
    forwarded_to: str | None


class SubmissionSummary(Schema):
    id: int
    title: str
    state: str
    step: int
    step_label: str
    current_reviewer: str | None
    created_by: str
    created_at: dt.datetime
    urgency: int
    confidentiality: int


class SubmissionOut(SubmissionSummary):
    summary: str
    chain: ChainOut
    related: list[int]
    versions: list[VersionOut]
    history: list[ActionOut]
    decided_at: dt.datetime | None


class SubmissionPage(Schema):
    count: int
    items: list[SubmissionSummary]


class SubmissionFilter(Schema):
    show: str = Field("all", pattern="^(all|waiting|mine)$", description="waiting = for my decision; mine = drafted by me")
    state: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class OutgoingIn(Schema):
    doc_type: str = Field(..., description="Decree 30 abbreviation: QĐ, NQ, CT, TTr, CV (công văn), …")
    subject: str = Field(..., max_length=1000)
    body: str
    authority: str = Field("", description="short name of the issuing authority; empty = the agency itself (e.g. TTg)")
    drafting_unit: str = Field("", description="organisation code of a unit of the agency; empty = the drafter's unit")
    place: str = Field("Hà Nội", max_length=100)
    urgency: int = Field(0, ge=0, le=3)
    confidentiality: int = Field(0, ge=0, le=3)
    recipients: list[str] = Field(default_factory=list, description="organisation codes it is sent to through the hub")
    recipient_places: str = Field("", description="other lines of “Nơi nhận”, one per line")
    signer: str = Field("", description="username of the leader who signs")
    signer_competence: str = Field("", description="TM., KT., TL., TUQ., Q. or empty")
    signer_on_behalf: str = ""
    signer_title: str = ""
    submission_id: int | None = None
    reply_to_id: int | None = None


class ReviewIn(Schema):
    reviewer: str = Field(..., description="username of the leader who reviews and approves it")


class CommentIn(Schema):
    comment: str = ""


class RecipientStatusOut(Schema):
    organ_id: str
    delivery_state: str | None
    last_status: str | None
    statuses: list[dict[str, str]]


class OutgoingSummary(Schema):
    id: int
    doc_type: str
    subject: str
    state: str
    authority: str
    notation: str
    number: int | None
    year: int | None
    issued_at: dt.datetime | None
    signer: str | None
    urgency: int
    confidentiality: int


class OutgoingOut(OutgoingSummary):
    body: str
    place: str
    drafting_unit: str | None
    recipients: list[str]
    recipient_places: str
    signer_competence: str
    signer_on_behalf: str
    signer_title: str
    reviewer: str | None
    review_comment: str
    signed_at: dt.datetime | None
    document_id: str
    hub_message_id: str
    dispatch_error: str
    issued_file: FileOut | None
    submission_id: int | None
    created_by: str
    created_at: dt.datetime


class OutgoingPage(Schema):
    count: int
    items: list[OutgoingSummary]


class OutgoingFilter(Schema):
    show: str = Field("all", pattern="^(all|waiting|mine)$")
    state: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)
