"""Submission pages (/records/submissions/…): the lists (waiting for me, mine, all I may see),
a new submission with its drafts, its page with versions, history and the actions of whoever
holds it. Thin: services decide, pages show."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from govoffice.directory.models import User
from govoffice.directory.permissions import STAFF_ROLES, may
from govoffice.lib.errors import DomainError
from govoffice.records.forms_outgoing import ReviseForm, SubmissionForm
from govoffice.records.models import RecordFile, Submission, SubmissionState
from govoffice.records.permissions import visible_to
from govoffice.records.services import submissions as flow
from govoffice.records.services.incoming import upload_of

View = Callable[..., HttpResponseBase]
FORM_FIELDS = ("reviewer", "next_reviewer", "comment", "to")  # errors shown beside these fields
PAGE_SIZE = 50
ACTION_LABELS = {
    "create": gettext_lazy("Drafted"),
    "revise": gettext_lazy("New version"),
    "submit": gettext_lazy("Submitted"),
    "resubmit": gettext_lazy("Resubmitted"),
    "approve": gettext_lazy("Approved"),
    "return": gettext_lazy("Returned with comments"),
    "forward": gettext_lazy("Forwarded"),
    "withdraw": gettext_lazy("Withdrawn"),
}


def office_page(view: View) -> View:
    """Sign-in first; people with no place in an agency get a 403 page that says why."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not isinstance(user, User) or user.agency is None or not user.has_role(*STAFF_ROLES):
            return forbidden(request, _("These pages are for the office's staff."))
        return view(request, *args, **kwargs)

    return never_cache(login_required(wrapped))


def forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "records/outgoing/forbidden.html", {"reason": reason}, status=403)


def user_of(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # office_page
    return request.user


def _on_form(exc: DomainError) -> DomainError:
    """The services name the uploads "files"; the forms call them "attachments"."""
    if exc.field == "files":
        exc.field = "attachments"
    return exc


def _submission(request: HttpRequest, pk: int) -> Submission:
    """The submission if the reader may see it; otherwise a 404 that does not say it exists."""
    row = Submission.objects.select_related("chain", "created_by", "current_reviewer", "unit").filter(pk=pk).first()
    if row is None or not may(request.user, "records.view", row):
        raise Http404
    return row


@office_page
def submission_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    qs = Submission.objects.filter(visible_to(user)).select_related("created_by", "current_reviewer", "chain")
    waiting = qs.filter(current_reviewer=user, state=SubmissionState.IN_REVIEW)
    show = request.GET.get("show") or ("waiting" if waiting.exists() else "mine")
    if show == "waiting":
        rows = waiting.order_by("-urgency", "submitted_at", "pk")
    elif show == "mine":
        rows = qs.filter(created_by=user)
    else:
        show = "all"
        rows = qs
        if request.GET.get("state") in SubmissionState.values:
            rows = rows.filter(state=request.GET["state"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "records/submissions/list.html", {
        "page": page, "show": show, "states": SubmissionState.choices, "state": request.GET.get("state", ""),
        "may_draft": may(user, "records.draft", user.agency),
    })


@office_page
def submission_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not may(user, "records.draft", user.agency):
        return forbidden(request, _("Only the agency's specialists and leaders draft submissions."))
    form = SubmissionForm(request.POST or None, request.FILES or None, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            f = form.cleaned_data
            try:
                draft = flow.SubmissionDraft(
                    title=f["title"], body=f["body"], summary=f["summary"], matter=f["matter"],
                    confidentiality=f["confidentiality"], urgency=f["urgency"], related=f["related"],
                    files=[upload_of(x, "files") for x in request.FILES.getlist("attachments")],
                )
                row = flow.create_submission(actor=user, agency=user.agency, draft=draft)  # type: ignore[arg-type]
            except DomainError as exc:
                form.add_domain_error(_on_form(exc))
                status = exc.status
            else:
                messages.success(request, _("The submission was drafted. Send it up when it is ready."))
                return redirect("records:submission_detail", pk=row.pk)
        else:
            status = 400
        form.mark_invalid()
    return render(request, "records/submissions/new.html", {"form": form}, status=status)


def _context(request: HttpRequest, row: Submission, revise: ReviseForm | None = None) -> dict[str, Any]:
    user = user_of(request)
    versions = list(row.versions.prefetch_related("files").select_related("created_by"))
    latest = versions[-1] if versions else None
    drafter = row.created_by_id == user.pk
    editable = drafter and row.state in flow.EDITABLE
    deciding = row.state == SubmissionState.IN_REVIEW and row.current_reviewer_id == user.pk
    steps = [{"index": i, "label": s["label"], "current": row.state == SubmissionState.IN_REVIEW and i == row.step}
             for i, s in enumerate(row.chain.steps)]
    forward_to = []
    if deciding:
        seen: set[int] = {user.pk}
        for i in range(row.step, len(row.chain.steps)):
            for person in flow.step_people(row, i):
                if person.pk not in seen:
                    seen.add(person.pk)
                    forward_to.append((person, row.chain.steps[i]["label"]))
    return {
        "row": row, "versions": versions, "latest": latest, "steps": steps,
        "actions": [(a, ACTION_LABELS.get(a.action, a.action)) for a in row.actions.select_related("actor", "forwarded_to", "version")],
        "related": row.related.filter(visible_to(user)),
        "editable": editable, "deciding": deciding,
        "may_withdraw": drafter and row.state in flow.OPEN_STATES,
        "submit_to": flow.step_people(row, row.step) if editable else [],
        "next_people": flow.step_people(row, row.step + 1) if deciding else [],
        "last_step": row.step >= len(row.chain.steps) - 1,
        "forward_to": forward_to,
        "revise": revise or (ReviseForm(initial={"body": latest.body if latest else "", "keep": [f.pk for f in latest.files.all()] if latest else []},
                                        files_now=list(latest.files.all()) if latest else []) if editable else None),
    }


@office_page
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "records/submissions/detail.html", _context(request, _submission(request, pk)))


@office_page
def submission_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    row = _submission(request, pk)
    file = RecordFile.objects.filter(pk=file_pk, version__submission=row).first()
    if file is None:
        raise Http404
    return FileResponse(file.file.open("rb"), content_type=file.content_type, filename=file.name, as_attachment=True)


def _person(raw: str | None) -> User | None:
    return User.objects.filter(pk=int(raw)).first() if raw and raw.isdigit() else None


def _act(request: HttpRequest, pk: int, run: Callable[[User, Submission], str]) -> HttpResponse:
    """Run a POSTed action; on refusal show the page again with the message beside its field."""
    row = _submission(request, pk)
    try:
        done = run(user_of(request), row)
    except DomainError as exc:
        context = _context(request, _submission(request, pk))
        context.update({"error": exc, "posted": request.POST, "error_general": exc.field not in FORM_FIELDS})
        return render(request, "records/submissions/detail.html", context, status=exc.status)
    messages.success(request, done)
    return redirect("records:submission_detail", pk=row.pk)


@require_POST
@office_page
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: User, row: Submission) -> str:
        done = flow.submit_submission(actor=user, submission=row, reviewer=_person(request.POST.get("reviewer")))
        return _("Sent to %(name)s.") % {"name": done.current_reviewer}

    return _act(request, pk, run)


@require_POST
@office_page
def submission_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: User, row: Submission) -> str:
        done = flow.approve_submission(actor=user, submission=row, comment=request.POST.get("comment", ""),
                                       next_reviewer=_person(request.POST.get("next_reviewer")))
        if done.state == SubmissionState.APPROVED:
            return _("Approved. The drafter has been told.")
        return _("Approved and sent on to %(name)s.") % {"name": done.current_reviewer}

    return _act(request, pk, run)


@require_POST
@office_page
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: User, row: Submission) -> str:
        flow.return_submission(actor=user, submission=row, comment=request.POST.get("comment", ""))
        return _("Returned to the drafter with your comments.")

    return _act(request, pk, run)


@require_POST
@office_page
def submission_forward(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: User, row: Submission) -> str:
        to = _person(request.POST.get("to"))
        if to is None:
            raise DomainError("required", _("Choose the person to forward it to"), field="to")
        flow.forward_submission(actor=user, submission=row, to=to, comment=request.POST.get("forward_comment", ""))
        return _("Forwarded to %(name)s.") % {"name": to}

    return _act(request, pk, run)


@require_POST
@office_page
def submission_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: User, row: Submission) -> str:
        flow.withdraw_submission(actor=user, submission=row)
        return _("The submission was withdrawn.")

    return _act(request, pk, run)


@require_POST
@office_page
def submission_revise(request: HttpRequest, pk: int) -> HttpResponse:
    row = _submission(request, pk)
    latest = row.versions.order_by("-number").first()
    form = ReviseForm(request.POST, request.FILES, files_now=list(latest.files.all()) if latest else [])
    status = 400
    if form.is_valid():
        f = form.cleaned_data
        try:
            flow.revise_submission(actor=user_of(request), submission=row, body=f["body"], note=f["note"], keep=f["keep"],
                                   files=[upload_of(x, "files") for x in request.FILES.getlist("attachments")])
        except DomainError as exc:
            form.add_domain_error(_on_form(exc))
            status = exc.status
        else:
            messages.success(request, _("A new version was saved; the earlier ones are kept."))
            return redirect("records:submission_detail", pk=row.pk)
    form.mark_invalid()
    return render(request, "records/submissions/detail.html", _context(request, row, revise=form), status=status)
