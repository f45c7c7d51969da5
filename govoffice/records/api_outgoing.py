"""The submissions and outgoing API (/api/v1/records/submissions…, /api/v1/records/outgoing…).

A submission goes up its approval chain (submit, approve, return, forward, withdraw, new
versions); an outgoing document goes draft → review → approve → sign → issue, and its
recipients' statuses are read from the hub. Records the caller may not see answer 404, as
if they did not exist. Files travel as base64 in JSON and are checked by their content.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from govoffice import idempotency
from govoffice.apiauth import current_user
from govoffice.apischema import errors
from govoffice.directory.models import Role, User
from govoffice.lib.errors import DomainError, NotFound
from govoffice.records.files import uploads_from_base64
from govoffice.records.models import (
    Outgoing,
    OutgoingState,
    RecordFile,
    Submission,
    SubmissionState,
)
from govoffice.records.permissions import visible_to
from govoffice.records.schemas_outgoing import (
    ChainOut,
    CommentIn,
    DecisionIn,
    FileIn,  # noqa: F401  # ninja resolves SubmissionIn's list[FileIn] in this module's namespace
    ForwardIn,
    OutgoingFilter,
    OutgoingIn,
    OutgoingOut,
    OutgoingPage,
    PersonOut,
    RecipientStatusOut,
    ReturnIn,
    ReviewIn,
    SubmissionFilter,
    SubmissionIn,
    SubmissionOut,
    SubmissionPage,
    SubmitIn,
    VersionIn,
)
from govoffice.records.services import outgoing as out_flow
from govoffice.records.services import submissions as sub_flow

router = Router(tags=["records: submissions and outgoing"])
View = Callable[..., Any]


def in_english(view: View) -> View:
    """Error messages of the API are English, for developers (docs/api.md); pages translate theirs.

    Kept in each API module: ninja reads a view's annotations in the wrapper's module globals.
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with translation.override("en"):
            return view(*args, **kwargs)

    return wrapped


PDF = {"responses": {"200": {"description": "the file", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}},
                                                                      "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}}


def _person(username: str | None, field: str) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        raise DomainError("unknown_user", _("No person %(username)s") % {"username": username}, field=field)
    return user


def _file_out(row: RecordFile, url: str) -> dict[str, Any]:
    return {"id": row.pk, "name": row.name, "content_type": row.content_type, "size": row.size,
            "sha256": row.sha256, "role": row.role, "url": url}


# Submissions ---------------------------------------------------------------------------------

def _submissions(user: User) -> QuerySet[Submission]:
    return Submission.objects.filter(visible_to(user)).select_related("chain", "created_by", "current_reviewer")


def _submission(user: User, pk: int) -> Submission:
    row = _submissions(user).filter(pk=pk).first()
    if row is None:
        raise NotFound("not_found", _("No such submission"))
    return row


def _chain_out(chain: Any) -> dict[str, Any]:
    return {"matter": chain.matter, "name": chain.name,
            "steps": [{"index": i, "label": s["label"], "role": s["role"], "position": s.get("position", ""),
                       "same_unit": bool(s.get("same_unit"))} for i, s in enumerate(chain.steps)]}


def _submission_summary(row: Submission) -> dict[str, Any]:
    steps = row.chain.steps
    return {
        "id": row.pk, "title": row.title, "state": row.state, "step": row.step,
        "step_label": steps[row.step]["label"] if row.step < len(steps) else "",
        "current_reviewer": row.current_reviewer.username if row.current_reviewer else None,
        "created_by": row.created_by.username, "created_at": row.created_at, "urgency": row.urgency,
        "confidentiality": row.confidentiality,
    }


def _submission_out(row: Submission) -> dict[str, Any]:
    versions = []
    for v in row.versions.select_related("created_by").prefetch_related("files"):
        files = [_file_out(f, reverse("api:submission_file", args=[row.pk, f.pk])) for f in v.files.all()]
        versions.append({"number": v.number, "body": v.body, "note": v.note, "created_by": v.created_by.username,
                         "created_at": v.created_at, "files": files})
    history = [
        {"at": a.at, "actor": a.actor.username, "action": a.action, "step": a.step,
         "version": a.version.number if a.version else None, "comment": a.comment,
         "forwarded_to": a.forwarded_to.username if a.forwarded_to else None}
        for a in row.actions.select_related("actor", "forwarded_to", "version")
    ]
    return {**_submission_summary(row), "summary": row.summary, "chain": _chain_out(row.chain),
            "related": list(row.related.values_list("pk", flat=True)), "versions": versions, "history": history,
            "decided_at": row.decided_at}


@router.get("/submissions/chains", response={200: list[ChainOut], **errors(401)}, summary="The approval chains of the caller's agency")
@in_english
def list_chains(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    from govoffice.records.models import ApprovalChain

    return [_chain_out(c) for c in ApprovalChain.objects.filter(agency=user.agency, active=True)]


@router.get("/submissions", response={200: SubmissionPage, **errors(401, 422)}, summary="Submissions the caller may see")
@in_english
def list_submissions(request: HttpRequest, filters: Query[SubmissionFilter]) -> dict[str, Any]:
    user = current_user(request)
    qs = _submissions(user)
    if filters.show == "waiting":
        qs = qs.filter(current_reviewer=user, state=SubmissionState.IN_REVIEW).order_by("-urgency", "submitted_at", "pk")
    elif filters.show == "mine":
        qs = qs.filter(created_by=user)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return {"count": qs.count(), "items": [_submission_summary(r) for r in qs[filters.offset : filters.offset + filters.limit]]}


@router.post("/submissions", response={201: SubmissionOut, 200: SubmissionOut, **errors(400, 401, 403, 413, 415, 422)},
             summary="Draft a submission (version 1 with its files and related incoming documents)",
             openapi_extra=idempotency.openapi("submission"))
@in_english
def create_submission(request: HttpRequest, body: SubmissionIn) -> Status:
    user = current_user(request)
    if user.agency is None:
        raise DomainError("forbidden", _("Only the staff of an agency draft submissions"), status=403)
    key = idempotency.idempotency_key(request)
    before = sub_flow.earlier_submission(user, key) is not None
    draft = sub_flow.SubmissionDraft(
        title=body.title, body=body.body, summary=body.summary, matter=body.matter, confidentiality=body.confidentiality,
        urgency=body.urgency, related=body.related, files=uploads_from_base64(body.files),
    )
    row = sub_flow.create_submission(actor=user, agency=user.agency, draft=draft, idempotency_key=key)
    return Status(200 if before else 201, _submission_out(_submission(user, row.pk)))


@router.get("/submissions/{pk}", response={200: SubmissionOut, **errors(401, 404)}, summary="A submission: versions, files, history")
@in_english
def submission_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _submission_out(_submission(current_user(request), pk))


@router.get("/submissions/{pk}/candidates", response={200: dict[str, list[PersonOut]], **errors(401, 404)},
            summary="Who can receive it at this step (this_step) and the next (next_step)")
@in_english
def submission_candidates(request: HttpRequest, pk: int) -> dict[str, list[dict[str, str]]]:
    row = _submission(current_user(request), pk)
    return {k: [{"username": u.username, "full_name": u.full_name, "position": u.position} for u in people]
            for k, people in sub_flow.candidates(row).items()}


@router.get("/submissions/{pk}/files/{file_pk}", response={200: None, **errors(401, 404)}, url_name="submission_file",
            summary="One attached file", openapi_extra=PDF)
@in_english
def submission_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    row = _submission(current_user(request), pk)
    file = RecordFile.objects.filter(pk=file_pk, version__submission=row).first()
    if file is None:
        raise NotFound("not_found", _("No such file"))
    return FileResponse(file.file.open("rb"), content_type=file.content_type, filename=file.name, as_attachment=True)


@router.post("/submissions/{pk}/versions", response={201: SubmissionOut, **errors(400, 401, 403, 404, 409, 413, 415, 422)},
             summary="The drafter makes a new version (a draft or a returned submission)")
@in_english
def revise_submission(request: HttpRequest, pk: int, body: VersionIn) -> Status:
    user = current_user(request)
    row = _submission(user, pk)
    sub_flow.revise_submission(actor=user, submission=row, body=body.body, note=body.note, keep=body.keep, files=uploads_from_base64(body.files))
    return Status(201, _submission_out(_submission(user, pk)))


@router.post("/submissions/{pk}/submit", response={200: SubmissionOut, **errors(400, 401, 403, 404, 409, 422)},
             summary="Send a draft up its chain, or a returned one back to whoever returned it")
@in_english
def submit_submission(request: HttpRequest, pk: int, body: SubmitIn) -> dict[str, Any]:
    user = current_user(request)
    sub_flow.submit_submission(actor=user, submission=_submission(user, pk), reviewer=_person(body.reviewer, "reviewer"))
    return _submission_out(_submission(user, pk))


@router.post("/submissions/{pk}/approve", response={200: SubmissionOut, **errors(400, 401, 403, 404, 409, 422)},
             summary="Approve at this step: on to the next step's person, or approved at the last")
@in_english
def approve_submission(request: HttpRequest, pk: int, body: DecisionIn) -> dict[str, Any]:
    user = current_user(request)
    sub_flow.approve_submission(actor=user, submission=_submission(user, pk), comment=body.comment,
                                next_reviewer=_person(body.next_reviewer, "next_reviewer"))
    return _submission_out(_submission(user, pk))


@router.post("/submissions/{pk}/return", response={200: SubmissionOut, **errors(400, 401, 403, 404, 409, 422)},
             summary="Return it to the drafter with comments")
@in_english
def return_submission(request: HttpRequest, pk: int, body: ReturnIn) -> dict[str, Any]:
    user = current_user(request)
    sub_flow.return_submission(actor=user, submission=_submission(user, pk), comment=body.comment)
    return _submission_out(_submission(user, pk))


@router.post("/submissions/{pk}/forward", response={200: SubmissionOut, **errors(400, 401, 403, 404, 409, 422)},
             summary="Hand the decision to a named person at this step or a later one")
@in_english
def forward_submission(request: HttpRequest, pk: int, body: ForwardIn) -> dict[str, Any]:
    user = current_user(request)
    to = _person(body.to, "to")
    assert to is not None
    sub_flow.forward_submission(actor=user, submission=_submission(user, pk), to=to, comment=body.comment)
    return _submission_out(_submission(user, pk))


@router.post("/submissions/{pk}/withdraw", response={200: SubmissionOut, **errors(401, 403, 404, 409, 422)},
             summary="The drafter takes back a submission not yet decided")
@in_english
def withdraw_submission(request: HttpRequest, pk: int, body: CommentIn) -> dict[str, Any]:
    user = current_user(request)
    sub_flow.withdraw_submission(actor=user, submission=_submission(user, pk), comment=body.comment)
    return _submission_out(_submission(user, pk))


# Outgoing ------------------------------------------------------------------------------------

def _documents(user: User) -> QuerySet[Outgoing]:
    return Outgoing.objects.filter(visible_to(user)).select_related("agency", "signer", "reviewer", "drafting_unit", "created_by")


def _document(user: User, pk: int) -> Outgoing:
    row = _documents(user).filter(pk=pk).first()
    if row is None:
        raise NotFound("not_found", _("No such outgoing document"))
    return row


def _outgoing_summary(row: Outgoing) -> dict[str, Any]:
    return {
        "id": row.pk, "doc_type": row.doc_type, "subject": row.subject, "state": row.state, "authority": row.authority_short,
        "notation": row.notation, "number": row.number, "year": row.year, "issued_at": row.issued_at,
        "signer": row.signer.username if row.signer else None, "urgency": row.urgency, "confidentiality": row.confidentiality,
    }


def _outgoing_out(row: Outgoing) -> dict[str, Any]:
    issued = out_flow.issued_file(row)
    return {
        **_outgoing_summary(row), "body": row.body, "place": row.place,
        "drafting_unit": row.drafting_unit.code if row.drafting_unit else None,
        "recipients": sorted(row.recipients.values_list("code", flat=True)), "recipient_places": row.recipient_places,
        "signer_competence": row.signer_competence, "signer_on_behalf": row.signer_on_behalf, "signer_title": row.signer_title,
        "reviewer": row.reviewer.username if row.reviewer else None, "review_comment": row.review_comment,
        "signed_at": row.signed_at, "document_id": row.document_id, "hub_message_id": row.hub_message_id,
        "dispatch_error": row.dispatch_error, "submission_id": row.submission_id,
        "issued_file": _file_out(issued, reverse("api:outgoing_pdf", args=[row.pk])) if issued else None,
        "created_by": row.created_by.username, "created_at": row.created_at,
    }


def _draft(body: OutgoingIn) -> out_flow.OutgoingDraft:
    return out_flow.OutgoingDraft(**body.dict())


@router.get("/outgoing", response={200: OutgoingPage, **errors(401, 422)}, summary="Outgoing documents the caller may see")
@in_english
def list_outgoing(request: HttpRequest, filters: Query[OutgoingFilter]) -> dict[str, Any]:
    user = current_user(request)
    qs = _documents(user)
    if filters.show == "waiting":
        signed = Q(state=OutgoingState.SIGNED) if user.has_role(Role.CLERK) else Q(pk__in=[])
        qs = qs.filter(Q(reviewer=user, state=OutgoingState.REVIEW) | Q(signer=user, state=OutgoingState.APPROVED) | signed)
    elif filters.show == "mine":
        qs = qs.filter(created_by=user)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return {"count": qs.count(), "items": [_outgoing_summary(r) for r in qs[filters.offset : filters.offset + filters.limit]]}


@router.post("/outgoing", response={201: OutgoingOut, 200: OutgoingOut, **errors(400, 401, 403, 422)},
             summary="Draft a document to issue", openapi_extra=idempotency.openapi("draft"))
@in_english
def create_outgoing(request: HttpRequest, body: OutgoingIn) -> Status:
    user = current_user(request)
    if user.agency is None:
        raise DomainError("forbidden", _("Only the staff of an agency draft documents"), status=403)
    key = idempotency.idempotency_key(request)
    before = out_flow.earlier_outgoing(user, key) is not None
    row = out_flow.create_outgoing(actor=user, agency=user.agency, draft=_draft(body), idempotency_key=key)
    return Status(200 if before else 201, _outgoing_out(_document(user, row.pk)))


@router.get("/outgoing/{pk}", response={200: OutgoingOut, **errors(401, 404)}, summary="An outgoing document")
@in_english
def outgoing_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _outgoing_out(_document(current_user(request), pk))


@router.put("/outgoing/{pk}", response={200: OutgoingOut, **errors(400, 401, 403, 404, 409, 422)},
            summary="Change a draft (or a returned document)")
@in_english
def update_outgoing(request: HttpRequest, pk: int, body: OutgoingIn) -> dict[str, Any]:
    user = current_user(request)
    out_flow.update_outgoing(actor=user, outgoing=_document(user, pk), draft=_draft(body))
    return _outgoing_out(_document(user, pk))


@router.post("/outgoing/{pk}/review", response={200: OutgoingOut, **errors(400, 401, 403, 404, 409, 422)},
             summary="Send the draft to a leader for review")
@in_english
def review_outgoing(request: HttpRequest, pk: int, body: ReviewIn) -> dict[str, Any]:
    user = current_user(request)
    reviewer = _person(body.reviewer, "reviewer")
    assert reviewer is not None
    out_flow.send_for_review(actor=user, outgoing=_document(user, pk), reviewer=reviewer)
    return _outgoing_out(_document(user, pk))


@router.post("/outgoing/{pk}/approve", response={200: OutgoingOut, **errors(401, 403, 404, 409, 422)},
             summary="The reviewer approves the text")
@in_english
def approve_outgoing(request: HttpRequest, pk: int, body: CommentIn) -> dict[str, Any]:
    user = current_user(request)
    out_flow.approve_outgoing(actor=user, outgoing=_document(user, pk), comment=body.comment)
    return _outgoing_out(_document(user, pk))


@router.post("/outgoing/{pk}/return", response={200: OutgoingOut, **errors(400, 401, 403, 404, 409, 422)},
             summary="The reviewer returns the draft with comments")
@in_english
def return_outgoing(request: HttpRequest, pk: int, body: ReturnIn) -> dict[str, Any]:
    user = current_user(request)
    out_flow.return_outgoing(actor=user, outgoing=_document(user, pk), comment=body.comment)
    return _outgoing_out(_document(user, pk))


@router.post("/outgoing/{pk}/sign", response={200: OutgoingOut, **errors(401, 403, 404, 409)},
             summary="The designated signer (a leader with a current certificate) signs the approved text")
@in_english
def sign_outgoing(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = current_user(request)
    out_flow.sign_outgoing(actor=user, outgoing=_document(user, pk))
    return _outgoing_out(_document(user, pk))


@router.post("/outgoing/{pk}/issue", response={200: OutgoingOut, **errors(401, 403, 404, 409)},
             summary="A clerk numbers and issues a signed document: PDF/A, PAdES signature; the queue then sends it through the hub")
@in_english
def issue_outgoing(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = current_user(request)
    out_flow.issue_outgoing(actor=user, outgoing=_document(user, pk))
    return _outgoing_out(_document(user, pk))


@router.post("/outgoing/{pk}/resend", response={200: OutgoingOut, **errors(401, 403, 404, 409)},
             summary="Send an issued document through the hub again after a failure")
@in_english
def resend_outgoing(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = current_user(request)
    out_flow.resend_outgoing(actor=user, outgoing=_document(user, pk))
    return _outgoing_out(_document(user, pk))


@router.get("/outgoing/{pk}/pdf", response={200: None, **errors(401, 404)}, url_name="outgoing_pdf",
            summary="The issued PDF (PDF/A, PAdES-signed)", openapi_extra=PDF)
@in_english
def outgoing_pdf(request: HttpRequest, pk: int) -> FileResponse:
    row = _document(current_user(request), pk)
    file = out_flow.issued_file(row)
    if file is None:
        raise NotFound("not_issued", _("This document has not been issued"))
    return FileResponse(file.file.open("rb"), content_type="application/pdf", filename=file.name)


@router.get("/outgoing/{pk}/recipients", response={200: list[RecipientStatusOut], **errors(401, 404)},
            summary="Per recipient: the hub's delivery state and the statuses they sent back")
@in_english
def outgoing_recipients(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    row = _document(current_user(request), pk)
    return [
        {"organ_id": r["organ_id"], "delivery_state": (r.get("delivery") or {}).get("state"), "last_status": r.get("last_status"),
         "statuses": [{"code": s["code"], "description": s.get("description", ""), "received_at": s["received_at"]} for s in r.get("statuses", [])]}
        for r in out_flow.recipient_statuses(row)
    ]
