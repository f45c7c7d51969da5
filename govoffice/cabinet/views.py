"""The cabinet pages (/cabinet/…): a member's pending work (phone-first), meetings and ballots.
Thin: parse, ask `may`, call a service, show its error beside the field."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from govoffice.cabinet import present
from govoffice.cabinet.forms import (
    AnswerForm,
    BallotForm,
    ItemForm,
    MeetingForm,
    OutcomeForm,
    PositionForm,
)
from govoffice.cabinet.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotState,
    CabinetFile,
    Meeting,
    RegistryMaterial,
)
from govoffice.cabinet.permissions import is_member, is_staff
from govoffice.cabinet.report import rows as result_rows
from govoffice.cabinet.selectors import (
    ballots_for,
    late_members,
    meetings_for,
    pending_ballots,
    upcoming_meetings,
)
from govoffice.cabinet.services import ballots as ballot_flow
from govoffice.cabinet.services import meetings as meeting_flow
from govoffice.cabinet.services.meetings import adoptable_without_debate
from govoffice.directory.models import User
from govoffice.directory.permissions import may
from govoffice.lib.errors import DomainError
from govoffice.records.files import Upload

View = Callable[..., HttpResponseBase]


def cabinet_page(view: View) -> View:
    """Sign-in first; only members and the secretariat get further (403 page that says why)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not isinstance(user, User) or not (is_member(user) or is_staff(user)):
            return forbidden(request, _("These pages are for government members and the cabinet secretariat."))
        return view(request, *args, **kwargs)

    return never_cache(login_required(wrapped))


def forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "cabinet/forbidden.html", {"reason": reason}, status=403)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _uploads(files: list[Any]) -> list[Upload]:
    return [Upload(f.name or "file", f.read()) for f in files]


@cabinet_page
def mine(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(request, "cabinet/mine.html", {
        "ballots": list(pending_ballots(user)[:100]), "meetings": list(upcoming_meetings(user)[:100]), "staff": is_staff(user),
    })


# Meetings ------------------------------------------------------------------------------------

@cabinet_page
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(request, "cabinet/meeting_list.html", {"meetings": list(meetings_for(user)[:200]), "staff": is_staff(user)})


@cabinet_page
def meeting_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may(user, "cabinet.manage"):
        return forbidden(request, _("Only the cabinet secretariat prepares meetings."))
    form = MeetingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            f = form.cleaned_data
            try:
                row = meeting_flow.create_meeting(actor=user, data=meeting_flow.MeetingIn(
                    kind=f["kind"], title=f["title"], starts_at=f["starts_at"], place=f["place"], chair=f["chair"],
                    members=form.member_list(), guests=form.guest_list()))
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                messages.success(request, _("The meeting was planned."))
                return redirect("cabinet:meeting_detail", pk=row.pk)
        else:
            status = 400
        form.mark_invalid()
    return render(request, "cabinet/meeting_new.html", {"form": form}, status=status)


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    row = present.meeting_query().filter(pk=pk).first()
    if row is None or not may(request.user, "cabinet.view_meeting", row):
        raise Http404
    return row


def _meeting_page(request: HttpRequest, meeting: Meeting, status: int = 200, **forms: Any) -> HttpResponse:
    user = _user(request)
    staff = is_staff(user)
    items = []
    for item in meeting.items.all():
        mine = next((p for p in item.positions.all() if p.member_id == user.pk), None)
        items.append({
            "item": item, "adoptable": adoptable_without_debate(item),
            "materials": [present.material(m) for m in item.registry_materials.all()],
            "positions": [p for p in item.positions.all() if staff or p.member_id == user.pk],
            "position_form": forms.get(f"position{item.pk}") or PositionForm(prefix=f"p{item.pk}", initial={"position": mine.position, "note": mine.note} if mine else None),
            "outcome_form": forms.get(f"outcome{item.pk}") or OutcomeForm(prefix=f"o{item.pk}", initial={"notes": item.notes, "conclusion": item.conclusion}),
        })
    return render(request, "cabinet/meeting_detail.html", {
        "meeting": meeting, "items": items, "staff": staff, "attendances": Attendance.choices,
        "may_mark": may(user, "cabinet.mark_position", meeting),
        "item_form": forms.get("item") or ItemForm(), "error": forms.get("error"),
    }, status=status)


@cabinet_page
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, _meeting(request, pk))


@cabinet_page
@require_POST
def meeting_add_item(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    meeting = _meeting(request, pk)
    form = ItemForm(request.POST, request.FILES)
    if form.is_valid():
        f = form.cleaned_data
        try:
            meeting_flow.add_item(actor=user, meeting=meeting, data=meeting_flow.ItemIn(
                title=f["title"], presenting_agency=f["presenting_agency"], starts=f["starts"], ends=f["ends"],
                registry=f["registry"].split(), uploads=_uploads(f["attachments"])))
        except DomainError as exc:
            form.add_domain_error(exc)
            form.mark_invalid()
            return _meeting_page(request, _meeting(request, pk), exc.status, item=form)
        messages.success(request, _("The item was added to the agenda."))
        return redirect("cabinet:meeting_detail", pk=pk)
    form.mark_invalid()
    return _meeting_page(request, meeting, 400, item=form)


def _item(request: HttpRequest, pk: int, item_pk: int) -> tuple[Meeting, AgendaItem]:
    meeting = _meeting(request, pk)
    item = AgendaItem.objects.select_related("meeting").filter(pk=item_pk, meeting=meeting).first()
    if item is None:
        raise Http404
    return meeting, item


@cabinet_page
@require_POST
def item_position(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = _item(request, pk, item_pk)
    form = PositionForm(request.POST, prefix=f"p{item.pk}")
    if form.is_valid():
        try:
            meeting_flow.mark_position(actor=_user(request), item=item, position=form.cleaned_data["position"], note=form.cleaned_data["note"])
        except DomainError as exc:
            form.add_domain_error(exc)
            form.mark_invalid()
            return _meeting_page(request, meeting, exc.status, **{f"position{item.pk}": form})
        messages.success(request, _("Your position was saved."))
        return redirect("cabinet:meeting_detail", pk=pk)
    form.mark_invalid()
    return _meeting_page(request, meeting, 400, **{f"position{item.pk}": form})


@cabinet_page
@require_POST
def item_outcome(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = _item(request, pk, item_pk)
    form = OutcomeForm(request.POST, prefix=f"o{item.pk}")
    if form.is_valid():
        try:
            meeting_flow.record_item_outcome(actor=_user(request), item=item, notes=form.cleaned_data["notes"],
                                             conclusion=form.cleaned_data["conclusion"], tasks=form.task_list())
        except DomainError as exc:
            form.add_domain_error(exc)
            form.mark_invalid()
            return _meeting_page(request, meeting, exc.status, **{f"outcome{item.pk}": form})
        messages.success(request, _("The conclusion was saved."))
        return redirect("cabinet:meeting_detail", pk=pk)
    form.mark_invalid()
    return _meeting_page(request, meeting, 400, **{f"outcome{item.pk}": form})


@cabinet_page
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    marks = {a.pk: request.POST.get(f"a{a.pk}", "") for a in meeting.attendees.all() if f"a{a.pk}" in request.POST}
    try:
        meeting_flow.record_attendance(actor=_user(request), meeting=meeting, marks=marks)
    except DomainError as exc:
        return _meeting_page(request, meeting, exc.status, error=exc.message)
    messages.success(request, _("The attendance was saved."))
    return redirect("cabinet:meeting_detail", pk=pk)


@cabinet_page
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    try:
        meeting_flow.close_meeting(actor=_user(request), meeting=meeting)
    except DomainError as exc:
        return _meeting_page(request, meeting, exc.status, error=exc.message)
    messages.success(request, _("The meeting was closed; its minutes and conclusion notice are drafted in the registry."))
    return redirect("cabinet:meeting_detail", pk=pk)


# Ballots -------------------------------------------------------------------------------------

@cabinet_page
def ballot_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = list(ballots_for(user).order_by("-deadline", "-pk")[:200])
    answered = set(user.cabinet_ballots.filter(answered_at__isnull=False).values_list("ballot_id", flat=True))
    return render(request, "cabinet/ballot_list.html", {"ballots": rows, "answered": answered, "staff": is_staff(user)})


@cabinet_page
def ballot_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may(user, "cabinet.manage"):
        return forbidden(request, _("Only the cabinet secretariat prepares ballots."))
    form = BallotForm(request.POST or None, request.FILES or None, initial={"allow_change": True})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            f = form.cleaned_data
            try:
                row = ballot_flow.create_ballot(actor=user, data=ballot_flow.BallotIn(
                    title=f["title"], summary=f["summary"], questions=form.question_list(), deadline=f["deadline"],
                    allow_change=f["allow_change"], non_answer=f["non_answer"], prime_minister=f["prime_minister"],
                    registry=f["registry"].split(), uploads=_uploads(f["attachments"])))
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                messages.success(request, _("The ballot was prepared; send it when it is ready."))
                return redirect("cabinet:ballot_detail", pk=row.pk)
        else:
            status = 400
        form.mark_invalid()
    return render(request, "cabinet/ballot_new.html", {"form": form}, status=status)


def _ballot(request: HttpRequest, pk: int) -> Ballot:
    row = Ballot.objects.select_related("prime_minister", "decision").filter(pk=pk).first()
    if row is None or not may(request.user, "cabinet.view_ballot", row):
        raise Http404
    return row


def _ballot_page(request: HttpRequest, ballot: Ballot, form: AnswerForm | None = None, status: int = 200, error: str = "") -> HttpResponse:
    user = _user(request)
    mine = ballot.answers.filter(member=user, current=True).select_related("certificate", "member").first()
    may_answer = may(user, "cabinet.answer", ballot) and ballot.state == BallotState.OPEN and (mine is None or ballot.allow_change)
    questions = list(ballot.questions.all())
    if form is None and may_answer:
        form = AnswerForm(questions=questions, options=ballot.options, initial_answers=mine.choices if mine else None)
    return render(request, "cabinet/ballot_detail.html", {
        "ballot": ballot, "questions": questions, "form": form if may_answer else None, "mine": present.answer(mine) if mine else None,
        "mine_row": mine, "staff": is_staff(user), "late": late_members(ballot) if is_staff(user) else [],
        "materials": [present.material(m) for m in ballot.registry_materials.select_related("incoming", "outgoing")],
        "uploads": list(ballot.uploads.all()), "error": error,
        "seats": ballot.members.count(), "answered": ballot.members.filter(answered_at__isnull=False).count(),
    }, status=status)


@cabinet_page
def ballot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _ballot_page(request, _ballot(request, pk))


@cabinet_page
@require_POST
def ballot_answer(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk)
    form = AnswerForm(request.POST, questions=list(ballot.questions.all()), options=ballot.options)
    if form.is_valid():
        try:
            ballot_flow.answer_ballot(actor=_user(request), ballot=ballot, answers=form.answers(), password=form.cleaned_data["password"])
        except DomainError as exc:
            form.add_domain_error(exc)
            form.mark_invalid()
            return _ballot_page(request, ballot, form, exc.status, error=exc.message if exc.field not in form.fields else "")
        messages.success(request, _("Your answer was signed and recorded."))
        return redirect("cabinet:ballot_detail", pk=pk)
    form.mark_invalid()
    return _ballot_page(request, ballot, form, 400)


def _staff_action(request: HttpRequest, pk: int, action: Callable[[User, Ballot], Any], done: str) -> HttpResponse:
    ballot = _ballot(request, pk)
    try:
        action(_user(request), ballot)
    except DomainError as exc:
        return _ballot_page(request, ballot, status=exc.status, error=exc.message)
    messages.success(request, done)
    return redirect("cabinet:ballot_detail", pk=pk)


@cabinet_page
@require_POST
def ballot_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(request, pk, lambda u, b: ballot_flow.open_ballot(actor=u, ballot=b), _("The ballot was sent to the members."))


@cabinet_page
@require_POST
def ballot_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(request, pk, lambda u, b: ballot_flow.close_ballot(actor=u, ballot=b), _("The ballot was closed and counted."))


@cabinet_page
@require_POST
def ballot_decision(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(request, pk, lambda u, b: ballot_flow.draft_decision(actor=u, ballot=b), _("The decision was drafted in the registry."))


@cabinet_page
def ballot_results(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk)
    if not may(request.user, "cabinet.view_results", ballot):
        return forbidden(request, _("Only the cabinet secretariat sees everyone's answers."))
    result = ballot.result or ballot_flow.compute_result(ballot)
    questions = [{"q": q, "r": result["questions"].get(str(q.pk), {}),
                  "counts": [(o["label"], result["questions"].get(str(q.pk), {}).get("counts", {}).get(o["code"], 0)) for o in ballot.options]}
                 for q in ballot.questions.all()]
    return render(request, "cabinet/ballot_results.html", {"ballot": ballot, "result": result, "questions": questions, "rows": result_rows(ballot)})


@cabinet_page
def ballot_report(request: HttpRequest, pk: int) -> HttpResponse:
    from govoffice.cabinet.report import render_pdf

    ballot = _ballot(request, pk)
    if not may(request.user, "cabinet.view_results", ballot):
        return forbidden(request, _("Only the cabinet secretariat sees everyone's answers."))
    if ballot.state != BallotState.CLOSED:
        return _ballot_page(request, ballot, status=409, error=_("The report is made once the ballot is closed."))
    response = HttpResponse(render_pdf(ballot), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-phieu-{ballot.pk}.pdf"'
    return response


# Files ---------------------------------------------------------------------------------------

def _file_response(field: Any, name: str, content_type: str) -> FileResponse:
    return FileResponse(field.open("rb"), as_attachment=False, filename=name, content_type=content_type)


@cabinet_page
def file(request: HttpRequest, file_pk: int) -> HttpResponseBase:
    """An uploaded material or draft: whoever may see its meeting or ballot."""
    row = CabinetFile.objects.select_related("item__meeting", "ballot").filter(pk=file_pk).first()
    if row is None:
        raise Http404
    owner_ok = (row.item is not None and may(request.user, "cabinet.view_meeting", row.item.meeting)) or \
               (row.ballot is not None and may(request.user, "cabinet.view_ballot", row.ballot))
    if not owner_ok:
        raise Http404
    return _file_response(row.file, row.name, row.content_type)


@cabinet_page
def material_file(request: HttpRequest, material_pk: int, file_pk: int) -> HttpResponseBase:
    """A file of a registry document attached as a material: members read it through the meeting or ballot."""
    row = RegistryMaterial.objects.select_related("item__meeting", "ballot", "incoming", "outgoing").filter(pk=material_pk).first()
    if row is None:
        raise Http404
    owner_ok = (row.item is not None and may(request.user, "cabinet.view_meeting", row.item.meeting)) or \
               (row.ballot is not None and may(request.user, "cabinet.view_ballot", row.ballot))
    doc: Any = row.incoming or row.outgoing
    f = doc.files.filter(pk=file_pk).first() if owner_ok else None
    if f is None:
        raise Http404
    return _file_response(f.file, f.name, f.content_type)
