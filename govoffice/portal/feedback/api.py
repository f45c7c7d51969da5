"""The feedback API (/api/v1/portal/feedback…). Filing, the status of a receipt code, the
published answers and rating are public (no key, rate-limited per address); the office's
triage and moderation and the agency's answer need a signed-in session or an API key."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from govoffice.apiauth import current_user
from govoffice.apischema import errors
from govoffice.directory.models import Role, User
from govoffice.directory.permissions import may
from govoffice.lib.errors import DomainError, Forbidden, NotFound
from govoffice.portal.feedback import ratelimit, selectors
from govoffice.portal.feedback.files import read_upload
from govoffice.portal.feedback.models import Feedback, State, Via
from govoffice.portal.feedback.schemas import (
    AgencyFeedbackOut,
    AnswerIn,
    DuplicateIn,
    FeedbackIn,
    FeedbackOut,
    FeedbackPage,
    ForwardIn,
    NoteIn,
    OutOfScopeIn,
    PublishedPage,
    PublishIn,
    RatingIn,
    StatisticsOut,
    StatusOut,
)
from govoffice.portal.feedback.services import replies, triage
from govoffice.portal.feedback.services.intake import NewFeedback, submit_feedback
from govoffice.portal.schemas import MAX_OFFSET

router = Router(tags=["feedback"])
NO_FILES = File(None)
IDEMPOTENCY = {
    "parameters": [
        {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "maxLength": 200},
         "description": "a retry with the same key (from the same caller) returns the first receipt (200), never a second piece"}
    ],
}


class PageQuery(Schema):
    q: str = Field("", max_length=200)
    agency: str = Field("", max_length=13)
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class OfficeQuery(Schema):
    state: str = Field("", max_length=20)
    source: str = Field("", max_length=20)
    q: str = Field("", max_length=200)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _status(row: Feedback) -> dict[str, Any]:
    return {"code": row.code, "status": row.state, "status_label": str(State(row.state).label), "updated_at": row.updated_at}


def _anonymous_key(request: HttpRequest) -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    if len(key) > 200:
        raise DomainError("invalid_idempotency_key", "Idempotency-Key is at most 200 characters", field="Idempotency-Key", status=422)
    # A public key is scoped to who sent it: someone else's key never returns their receipt.
    user = request.user
    who = f"user:{user.pk}" if user.is_authenticated else f"addr:{ratelimit.client_address(request)}"
    return "api:" + hashlib.sha256(f"{who}:{key}".encode()).hexdigest()


@router.post(
    "", auth=None, response={201: StatusOut, 200: StatusOut, **errors(400, 413, 415, 422, 429)},
    summary="File feedback (multipart: the fields and `attachments`, PDF/JPEG/PNG by content); public",
    description=(
        "No key needed; a signed-in citizen or business account is linked. Name and an e-mail or phone are required (400 "
        "names the field); an unknown agency code is 400 `unknown_agency`; a file that is not PDF, JPEG or PNG by its "
        "content is 415, one over the size cap 413. Over the per-address limit: 429 with Retry-After."
    ),
    openapi_extra=IDEMPOTENCY,
)
def file_feedback(request: HttpRequest, data: Form[FeedbackIn], attachments: list[UploadedFile] | None = NO_FILES) -> Any:
    wait = ratelimit.check(request, "submit", "submit_limit", "submit_limit_account")
    if wait:
        return ratelimit.too_many_json(wait)
    user = request.user
    account = user if isinstance(user, User) and user.has_role(Role.CITIZEN, Role.BUSINESS) else None
    new = NewFeedback(
        source=data.source, name=data.name, email=data.email, phone=data.phone, address=data.address,
        tax_code=data.tax_code, agency_code=data.agency, topic=data.topic, subject=data.subject, content=data.content,
        files=[read_upload(f) for f in attachments or []],
    )
    row, created = submit_feedback(new=new, account=account, via=Via.API, idempotency_key=_anonymous_key(request))
    return Status(201 if created else 200, _status(row))


@router.get("/status/{code}", auth=None, response={200: StatusOut, **errors(404, 429)},
            summary="The public status of a receipt code (nothing else; an unknown code is 404 with no hint)")
def feedback_status(request: HttpRequest, code: str) -> Any:
    wait = ratelimit.check(request, "lookup", "lookup_limit")
    if wait:
        return ratelimit.too_many_json(wait)
    found = selectors.public_status(code)
    if found is None:
        raise NotFound("not_found", "No feedback has this receipt code")
    return found


def _published(row: Feedback) -> dict[str, Any]:
    return {
        "code": row.code, "subject": row.published_subject, "question": row.published_question, "answer": row.published_answer,
        "agency_code": row.answer_agency.code if row.answer_agency else None,
        "agency_name": row.answer_agency.name_vi if row.answer_agency else None,
        "source": row.source, "topic": row.topic, "published_at": row.published_at,
    }


@router.get("/answers", auth=None, response={200: PublishedPage, **errors(422)},
            summary="Published answers, newest first; `q` matches with or without diacritics; personal data hidden")
def published_answers(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    limit, offset = max(1, min(query.limit, 100)), max(0, query.offset)
    qs = selectors.published_answers(query.q[:200], query.agency)
    return {"count": qs.count(), "items": [_published(r) for r in qs[offset : offset + limit]]}


@router.get("/answers/{code}", auth=None, response={200: dict, **errors(404)}, summary="One published answer")
def published_answer(request: HttpRequest, code: str) -> dict[str, Any]:
    row = selectors.published_answer(code)
    if row is None:
        raise NotFound("not_found", "No published answer has this receipt code")
    return _published(row)


@router.post("/rate", auth=None, response={200: StatusOut, **errors(400, 404, 409, 422)},
             summary="Rate a published answer with the token from the e-mail (once): satisfied or not, and a comment")
def rate(request: HttpRequest, body: RatingIn) -> dict[str, Any]:
    return _status(replies.rate_answer(code=body.code, token=body.token, satisfied=body.satisfied, comment=body.comment))


# The office ---------------------------------------------------------------------------------

def _office_row(user: User, feedback_id: int) -> Feedback:
    row = Feedback.objects.select_related("agency", "forwarded_to", "duplicate_of").filter(pk=feedback_id).first()
    if row is None or not may(user, "feedback.view", row):
        raise NotFound("not_found", "No such feedback")
    return row


def _detail(row: Feedback) -> dict[str, Any]:
    return {
        "id": row.pk, "code": row.code, "source": row.source, "topic": row.topic, "via": row.via, "state": row.state,
        "scope": row.scope, "out_of_scope_kind": row.out_of_scope_kind, "name": row.name, "email": row.email,
        "phone": row.phone, "subject": row.subject, "content": row.content,
        "agency": row.agency.code if row.agency else None, "received_at": row.received_at, "updated_at": row.updated_at,
        "duplicate_of": row.duplicate_of.code if row.duplicate_of else None,
        "forwarded_to": row.forwarded_to.code if row.forwarded_to else None, "document_id": row.document_id,
        "forward_error": row.forward_error, "hub_status": row.hub_status, "answer_text": row.answer_text,
        "answer_via": row.answer_via, "answered_at": row.answered_at, "published_at": row.published_at,
        "satisfied": row.satisfied, "rating_comment": row.rating_comment,
        "files": [{"id": f.pk, "name": f.name, "content_type": f.content_type, "size": f.size, "sha256": f.sha256} for f in row.files.all()],
        "history": [{"at": h.at, "state": h.state, "hub_status": h.hub_status, "note": h.note} for h in row.history.all()],
    }


def _officer(request: HttpRequest) -> User:
    user = current_user(request)
    if not may(user, "feedback.triage", None):
        raise Forbidden("forbidden", "Only the office's portal officers work on feedback")
    return user


@router.get("/office", response={200: FeedbackPage, **errors(401, 403, 422)},
            summary="The office's list of feedback, oldest waiting first (portal officers of the office)")
def office_list(request: HttpRequest, query: Query[OfficeQuery]) -> dict[str, Any]:
    _officer(request)
    qs = selectors.office_queue(query.state if query.state in State.values else "", query.q[:200], query.source)
    limit, offset = max(1, min(query.limit, 200)), max(0, query.offset)
    rows = qs.prefetch_related("files", "history")[offset : offset + limit]
    return {"count": qs.count(), "items": [_detail(r) for r in rows]}


@router.get("/office/{feedback_id}", response={200: FeedbackOut, **errors(401, 403, 404)}, summary="One piece, with the submitter's contacts")
def office_detail(request: HttpRequest, feedback_id: int) -> dict[str, Any]:
    return _detail(_office_row(_officer(request), feedback_id))


@router.post("/office/{feedback_id}/forward", response={200: FeedbackOut, **errors(400, 401, 403, 404, 409, 422)},
             summary="Within scope: send it to the responsible ministry or province through the hub (edXML)")
def forward(request: HttpRequest, feedback_id: int, body: ForwardIn) -> dict[str, Any]:
    user = _officer(request)
    row = triage.forward_feedback(actor=user, feedback=_office_row(user, feedback_id), agency_code=body.agency, note=body.note)
    return _detail(_office_row(user, row.pk))


@router.post("/office/{feedback_id}/out-of-scope", response={200: FeedbackOut, **errors(400, 401, 403, 404, 409, 422)},
             summary="Out of scope (complaint, denunciation, other): closed, the submitter gets the guidance")
def out_of_scope(request: HttpRequest, feedback_id: int, body: OutOfScopeIn) -> dict[str, Any]:
    user = _officer(request)
    row = triage.mark_out_of_scope(actor=user, feedback=_office_row(user, feedback_id), kind=body.kind, note=body.note)
    return _detail(_office_row(user, row.pk))


@router.post("/office/{feedback_id}/duplicate", response={200: FeedbackOut, **errors(400, 401, 403, 404, 409, 422)},
             summary="A duplicate of an earlier piece (by its receipt code): linked and closed")
def duplicate(request: HttpRequest, feedback_id: int, body: DuplicateIn) -> dict[str, Any]:
    user = _officer(request)
    row = triage.mark_duplicate(actor=user, feedback=_office_row(user, feedback_id), original_code=body.original, note=body.note)
    return _detail(_office_row(user, row.pk))


@router.post("/office/{feedback_id}/publish", response={200: FeedbackOut, **errors(401, 403, 404, 409, 422)},
             summary="Approve the agency's answer and publish it (personal data hidden); the submitter is asked to rate it")
def publish(request: HttpRequest, feedback_id: int, body: PublishIn) -> dict[str, Any]:
    user = _officer(request)
    row, _token = replies.publish_answer(actor=user, feedback=_office_row(user, feedback_id), subject=body.subject,
                                         question=body.question, answer=body.answer)
    return _detail(_office_row(user, row.pk))


@router.post("/office/{feedback_id}/return-answer", response={200: FeedbackOut, **errors(400, 401, 403, 404, 409, 422)},
             summary="Send the agency's answer back with what it lacks")
def return_answer(request: HttpRequest, feedback_id: int, body: NoteIn) -> dict[str, Any]:
    user = _officer(request)
    row = replies.return_answer(actor=user, feedback=_office_row(user, feedback_id), note=body.note)
    return _detail(_office_row(user, row.pk))


@router.get("/statistics", response={200: StatisticsOut, **errors(401, 403, 422)},
            summary="Counts by source, scope, agency and outcome for a year, and the annual report's figures")
def statistics(request: HttpRequest, year: int | None = None) -> dict[str, Any]:
    user = current_user(request)
    if not may(user, "feedback.statistics", None):
        raise Forbidden("forbidden", "Only the office's portal officers, leaders and auditors read these figures")
    year = year or timezone.localdate().year
    if not selectors.FIRST_YEAR <= year <= selectors.LAST_YEAR:
        raise DomainError("invalid_year", f"year is between {selectors.FIRST_YEAR} and {selectors.LAST_YEAR}", field="year", status=422)
    return {"year": year, "annual": selectors.annual_figures(year), "by_source": selectors.counts_by_source(year),
            "by_scope": selectors.counts_by_scope(year), "by_agency": selectors.counts_by_agency(year),
            "by_outcome": selectors.counts_by_outcome(year)}


# The responsible agency ----------------------------------------------------------------------

def _agency_view(row: Feedback) -> dict[str, Any]:
    return {"id": row.pk, "code": row.code, "source": row.source, "topic": row.topic, "state": row.state,
            "subject": row.subject, "content": row.content, "agency": row.agency.code if row.agency else None,
            "forwarded_at": row.forwarded_at, "document_id": row.document_id, "answer_text": row.answer_text,
            "moderation_note": row.moderation_note}


@router.get("/agency", response={200: list[AgencyFeedbackOut], **errors(401, 403)},
            summary="Feedback forwarded to the caller's agency and waiting for its answer")
def agency_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    if user.agency is None or not may(user, "feedback.agency_inbox", user.agency):
        raise Forbidden("forbidden", "Only the staff of an agency that answers feedback")
    return [_agency_view(r) for r in selectors.agency_queue(user.agency.pk)[:500]]


@router.post("/agency/{feedback_id}/answer", response={200: AgencyFeedbackOut, **errors(400, 401, 403, 404, 409, 422)},
             summary="The responsible agency answers (instead of sending an edXML answer through the hub)")
def answer(request: HttpRequest, feedback_id: int, body: AnswerIn) -> dict[str, Any]:
    user = current_user(request)
    row = Feedback.objects.select_related("agency", "forwarded_to").filter(pk=feedback_id).first()
    if row is None or not may(user, "feedback.view", row):
        raise NotFound("not_found", "No such feedback")
    replies.answer_feedback(actor=user, feedback=row, text=body.answer)
    row.refresh_from_db()
    return _agency_view(row)


