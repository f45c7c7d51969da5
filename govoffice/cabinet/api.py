"""The cabinet API (/api/v1/cabinet/…): meetings, written ballots, signed answers, results.

The secretariat (cabinet_staff) prepares and runs everything and sees everything; a
government member sees the meetings they attend, the ballots sent to them and only their own
answers; anyone else gets 404 for an object (as if it did not exist) and 403 for an action.
Error messages are English, for developers; pages translate theirs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Router, Status

from govoffice import idempotency
from govoffice.apiauth import current_user
from govoffice.apischema import errors
from govoffice.cabinet import present
from govoffice.cabinet.models import AgendaItem, Ballot, Meeting
from govoffice.cabinet.schemas import (
    AnswerIn,
    AnswerOut,
    AttendanceIn,
    BallotIn,
    BallotOut,
    BallotSummary,
    ItemIn,
    ItemOut,
    MeetingIn,
    MeetingOut,
    MeetingSummary,
    OpenIn,
    OutcomeIn,
    PayloadIn,
    PayloadOut,
    PendingOut,
    PositionIn,
    ResultOut,
)
from govoffice.cabinet.selectors import (
    ballots_for,
    meetings_for,
    pending_ballots,
    upcoming_meetings,
)
from govoffice.cabinet.services import ballots as ballot_flow
from govoffice.cabinet.services import meetings as meeting_flow
from govoffice.directory.models import User
from govoffice.directory.permissions import may
from govoffice.lib.errors import DomainError, Forbidden, NotFound
from govoffice.records.files import uploads_from_base64

router = Router(tags=["cabinet"])
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
PDF = {"responses": {"200": {"description": "the summary report", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}


def _meeting(user: User, pk: int) -> Meeting:
    row = present.meeting_query().filter(pk=pk).first()
    if row is None or not may(user, "cabinet.view_meeting", row):
        raise NotFound("not_found", "No such meeting")
    return row


def _item(user: User, meeting_id: int, item_id: int) -> AgendaItem:
    meeting = _meeting(user, meeting_id)
    row = AgendaItem.objects.select_related("meeting").filter(pk=item_id, meeting=meeting).first()
    if row is None:
        raise NotFound("not_found", "No such agenda item")
    return row


# Members' own view ---------------------------------------------------------------------------

@router.get("/me/pending", response={200: PendingOut, **errors(401)}, summary="My open ballots not yet answered and my coming meetings")
@in_english
def my_pending(request: HttpRequest) -> dict[str, Any]:
    user = current_user(request)
    return {
        "ballots": [{"id": s.ballot_id, "title": s.ballot.title, "state": s.ballot.state, "deadline": s.ballot.deadline, "answered": False}
                    for s in pending_ballots(user)[:200]],
        "meetings": [present.meeting_summary(m) for m in upcoming_meetings(user)[:200]],
    }


# Meetings ------------------------------------------------------------------------------------

@router.get("/meetings", response={200: list[MeetingSummary], **errors(401)}, summary="The meetings I may see, newest first")
@in_english
def list_meetings(request: HttpRequest, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    user = current_user(request)
    limit = max(1, min(limit, 500))
    return [present.meeting_summary(m) for m in meetings_for(user)[max(0, offset): max(0, offset) + limit]]


@router.post("/meetings", response={201: MeetingOut, 200: MeetingOut, **errors(400, 401, 403, 422)},
             summary="Plan a regular or thematic session (secretariat)", openapi_extra=idempotency.openapi("meeting", "created"))
@in_english
def create_meeting(request: HttpRequest, body: MeetingIn) -> Status:
    user = current_user(request)
    key = idempotency.idempotency_key(request)
    before = Meeting.objects.filter(created_by=user, idempotency_key=key).exists() if key else False
    row = meeting_flow.create_meeting(actor=user, idempotency_key=key, data=meeting_flow.MeetingIn(
        kind=body.kind, title=body.title, starts_at=body.starts_at, place=body.place, chair=body.chair,
        members=body.members, guests=[(g.name, g.title) for g in body.guests]))
    return Status(200 if before else 201, present.meeting(_meeting(user, row.pk), user))


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, **errors(401, 404)}, summary="A meeting with its agenda and materials")
@in_english
def get_meeting(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    user = current_user(request)
    return present.meeting(_meeting(user, meeting_id), user)


@router.post("/meetings/{meeting_id}/items", response={201: ItemOut, **errors(400, 401, 403, 404, 409, 413, 415, 422)},
             summary="Add an agenda item with materials from the registry and uploaded files (secretariat)")
@in_english
def add_item(request: HttpRequest, meeting_id: int, body: ItemIn) -> Status:
    user = current_user(request)
    meeting = _meeting(user, meeting_id)
    row = meeting_flow.add_item(actor=user, meeting=meeting, data=meeting_flow.ItemIn(
        title=body.title, presenting_agency=body.presenting_agency, starts=body.starts, ends=body.ends,
        registry=body.registry, uploads=uploads_from_base64(body.files)))
    fresh = next(i for i in _meeting(user, meeting_id).items.all() if i.pk == row.pk)
    return Status(201, present.item(fresh, user))


@router.put("/meetings/{meeting_id}/items/{item_id}/position", response={200: ItemOut, **errors(400, 401, 403, 404, 409)},
            summary="My position on an item before the meeting (member): no_objection, objection or wish_to_speak")
@in_english
def mark_position(request: HttpRequest, meeting_id: int, item_id: int, body: PositionIn) -> dict[str, Any]:
    user = current_user(request)
    item = _item(user, meeting_id, item_id)
    meeting_flow.mark_position(actor=user, item=item, position=body.position, note=body.note)
    return present.item(next(i for i in _meeting(user, meeting_id).items.all() if i.pk == item_id), user)


@router.put("/meetings/{meeting_id}/attendance", response={200: MeetingOut, **errors(400, 401, 403, 404, 409)},
            summary="Record attendance: present, remote or absent per attendee (secretariat)")
@in_english
def record_attendance(request: HttpRequest, meeting_id: int, body: AttendanceIn) -> dict[str, Any]:
    user = current_user(request)
    meeting_flow.record_attendance(actor=user, meeting=_meeting(user, meeting_id), marks=dict(body.attendance))
    return present.meeting(_meeting(user, meeting_id), user)


@router.put("/meetings/{meeting_id}/items/{item_id}/outcome", response={200: ItemOut, **errors(400, 401, 403, 404, 409)},
            summary="The notes and conclusion of an item, with the tasks it assigns (secretariat)")
@in_english
def record_outcome(request: HttpRequest, meeting_id: int, item_id: int, body: OutcomeIn) -> dict[str, Any]:
    user = current_user(request)
    item = _item(user, meeting_id, item_id)
    meeting_flow.record_item_outcome(actor=user, item=item, notes=body.notes, conclusion=body.conclusion,
                                     tasks=[t.dict() for t in body.tasks])
    return present.item(next(i for i in _meeting(user, meeting_id).items.all() if i.pk == item_id), user)


@router.post("/meetings/{meeting_id}/close", response={200: MeetingOut, **errors(401, 403, 404, 409)},
             summary="Close the meeting: minutes and conclusion notice drafted in the registry, tasks handed to supervision")
@in_english
def close_meeting(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    user = current_user(request)
    meeting_flow.close_meeting(actor=user, meeting=_meeting(user, meeting_id))
    return present.meeting(_meeting(user, meeting_id), user)


# Ballots -------------------------------------------------------------------------------------

def _ballot(user: User, pk: int) -> Ballot:
    return ballot_flow.ballot_or_404(user, pk)


@router.get("/ballots", response={200: list[BallotSummary], **errors(401)}, summary="The ballots I may see, newest first")
@in_english
def list_ballots(request: HttpRequest, state: str = "", limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    user = current_user(request)
    qs = ballots_for(user)
    if state:
        qs = qs.filter(state=state)
    limit = max(1, min(limit, 500))
    rows = list(qs[max(0, offset): max(0, offset) + limit])
    answered = set(user.cabinet_ballots.filter(ballot__in=rows, answered_at__isnull=False).values_list("ballot_id", flat=True))
    seated = set(user.cabinet_ballots.filter(ballot__in=rows).values_list("ballot_id", flat=True))
    return [{"id": b.pk, "title": b.title, "state": b.state, "deadline": b.deadline,
             "answered": (b.pk in answered) if b.pk in seated else None} for b in rows]


@router.post("/ballots", response={201: BallotOut, 200: BallotOut, **errors(400, 401, 403, 413, 415, 422)},
             summary="Prepare a written ballot (secretariat)", openapi_extra=idempotency.openapi("ballot", "created"))
@in_english
def create_ballot(request: HttpRequest, body: BallotIn) -> Status:
    user = current_user(request)
    key = idempotency.idempotency_key(request)
    before = Ballot.objects.filter(created_by=user, idempotency_key=key).exists() if key else False
    row = ballot_flow.create_ballot(actor=user, idempotency_key=key, data=ballot_flow.BallotIn(
        title=body.title, summary=body.summary, questions=body.questions, deadline=body.deadline,
        options=[o.dict() for o in body.options] if body.options is not None else None, allow_change=body.allow_change,
        close_when_all_answered=body.close_when_all_answered, non_answer=body.non_answer, prime_minister=body.prime_minister,
        registry=body.registry, uploads=uploads_from_base64(body.files)))
    return Status(200 if before else 201, present.ballot(_ballot(user, row.pk), user))


@router.get("/ballots/{ballot_id}", response={200: BallotOut, **errors(401, 404)}, summary="A ballot, its questions and drafts, and my answer")
@in_english
def get_ballot(request: HttpRequest, ballot_id: int) -> dict[str, Any]:
    user = current_user(request)
    return present.ballot(_ballot(user, ballot_id), user)


@router.post("/ballots/{ballot_id}/open", response={200: BallotOut, **errors(400, 401, 403, 404, 409)},
             summary="Send the ballot to the members: e-mail, SMS and their home page (secretariat)")
@in_english
def open_ballot(request: HttpRequest, ballot_id: int, body: OpenIn) -> dict[str, Any]:
    user = current_user(request)
    ballot_flow.open_ballot(actor=user, ballot=_ballot(user, ballot_id), members=body.members)
    return present.ballot(_ballot(user, ballot_id), user)


@router.post("/ballots/{ballot_id}/answer-payload", response={200: PayloadOut, **errors(400, 401, 403, 404, 409)},
             summary="The exact text to sign for my next answer (for clients that sign with their own key)")
@in_english
def answer_payload(request: HttpRequest, ballot_id: int, body: PayloadIn) -> dict[str, Any]:
    user = current_user(request)
    ballot = _ballot(user, ballot_id)
    if not may(user, "cabinet.answer", ballot):
        raise Forbidden("not_a_member", "This ballot was not sent to you")
    choices = ballot_flow.clean_choices(ballot, {k: v.dict() for k, v in body.answers.items()})
    payload = ballot_flow.answer_payload(ballot, user, choices)
    return {"payload": payload.decode("utf-8"), "revision": json.loads(payload)["revision"]}


@router.post("/ballots/{ballot_id}/answer", response={201: AnswerOut, **errors(400, 401, 403, 404, 409)},
             summary="Answer every question and sign (member)",
             description=("Sign either by sending `password` (the platform signs with the key it keeps for you) or `signature`, "
                          "your own base64 signature over the text from answer-payload. Refused, changing nothing: after the deadline "
                          "(409 deadline_passed), not a member (403 not_a_member), a second answer where changes are not allowed "
                          "(409 already_answered), an unknown option (400 unknown_option), a broken signature (400 invalid_signature)."))
@in_english
def answer_ballot(request: HttpRequest, ballot_id: int, body: AnswerIn) -> Status:
    user = current_user(request)
    ballot = _ballot(user, ballot_id)
    row = ballot_flow.answer_ballot(actor=user, ballot=ballot, answers={k: v.dict() for k, v in body.answers.items()},
                                    password=body.password, signature=body.signature)
    return Status(201, present.answer(row))


@router.post("/ballots/{ballot_id}/close", response={200: BallotOut, **errors(401, 403, 404, 409)},
             summary="Close the ballot now and count (secretariat); the deadline closes it otherwise")
@in_english
def close_ballot(request: HttpRequest, ballot_id: int) -> dict[str, Any]:
    user = current_user(request)
    ballot_flow.close_ballot(actor=user, ballot=_ballot(user, ballot_id))
    return present.ballot(_ballot(user, ballot_id), user)


@router.get("/ballots/{ballot_id}/results", response={200: ResultOut, **errors(401, 403, 404)},
            summary="The tally and each member's answer and comment (secretariat)")
@in_english
def results(request: HttpRequest, ballot_id: int) -> dict[str, Any]:
    user = current_user(request)
    ballot = _ballot(user, ballot_id)
    if not may(user, "cabinet.view_results", ballot):
        raise Forbidden("forbidden", "Only the cabinet secretariat sees everyone's answers")
    answers = ballot_flow.current_answers(ballot)
    tally = ballot.result if ballot.result else ballot_flow.compute_result(ballot)
    return {"ballot": ballot.pk, "state": ballot.state, "tally": tally,
            "members": [{"member": present.person(s.member), "late": s.late,
                         "answer": present.answer(answers[s.member_id]) if s.member_id in answers else None}
                        for s in ballot.members.select_related("member").order_by("member__username")]}


@router.get("/ballots/{ballot_id}/report.pdf", response={**errors(401, 403, 404, 409)}, summary="The summary report (PDF/A) of a closed ballot",
            openapi_extra=PDF)
@in_english
def report(request: HttpRequest, ballot_id: int) -> HttpResponse:
    from govoffice.cabinet.report import render_pdf

    user = current_user(request)
    ballot = _ballot(user, ballot_id)
    if not may(user, "cabinet.view_results", ballot):
        raise Forbidden("forbidden", "Only the cabinet secretariat sees everyone's answers")
    if ballot.state != "closed":
        raise DomainError("not_closed", "The report is made once the ballot is closed", status=409)
    response = HttpResponse(render_pdf(ballot), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-phieu-{ballot.pk}.pdf"'
    return response


@router.post("/ballots/{ballot_id}/decision", response={200: BallotOut, **errors(401, 403, 404, 409)},
             summary="Draft the decision (NQ when adopted, TB otherwise) in the registry (secretariat)")
@in_english
def draft_decision(request: HttpRequest, ballot_id: int) -> dict[str, Any]:
    user = current_user(request)
    ballot_flow.draft_decision(actor=user, ballot=_ballot(user, ballot_id))
    return present.ballot(_ballot(user, ballot_id), user)
