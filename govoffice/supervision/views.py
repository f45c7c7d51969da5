"""Task pages (/supervision/…): the list with filters, a new task, a task with its history and
the forms of whoever may act on it, the documents waiting to be broken into tasks, and the
overdue rate. Thin: services decide, pages show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from govoffice.directory.models import Agency, User
from govoffice.directory.permissions import may
from govoffice.lib.errors import DomainError
from govoffice.records.models import Outgoing
from govoffice.supervision import rates, selectors
from govoffice.supervision.api import TaskFilter, filtered
from govoffice.supervision.forms import (
    DecisionForm,
    ExtensionForm,
    ProgressForm,
    RateForm,
    TaskFilterForm,
    TaskForm,
    codes,
)
from govoffice.supervision.models import Channel, Extension, ExtensionState, Status, Task
from govoffice.supervision.permissions import AGENCY_PEOPLE, visible_tasks
from govoffice.supervision.services.reports import save_rate_report
from govoffice.supervision.services.tasks import (
    TaskDraft,
    create_task,
    decide_extension,
    report_progress,
    request_extension,
)

View = Callable[..., HttpResponseBase]
PAGE_SIZE = 50
STATUS_CLASS = {
    Status.COMPLETED_ON_TIME: "ok", Status.COMPLETED_LATE: "late", Status.UNFINISHED_IN_TERM: "open",
    Status.UNFINISHED_OVERDUE: "overdue", Status.NO_DEADLINE: "open",
}


def agency_page(view: View) -> View:
    """Sign-in first; people of no agency (or without a role there) get a 403 page that says why."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not isinstance(user, User) or user.agency_id is None or not user.has_role(*AGENCY_PEOPLE):
            return forbidden(request, _("These pages are for the office's supervision officers and the agencies' people."))
        return view(request, *args, **kwargs)

    return never_cache(login_required(wrapped))


def forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "supervision/forbidden.html", {"reason": reason}, status=403)


def user_of(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _task(request: HttpRequest, code: str) -> Task:
    """The task if the reader may see it; otherwise a 404 that does not say it exists."""
    if "\x00" in code:  # names nothing (and PostgreSQL cannot compare a NUL)
        raise Http404
    task = Task.objects.filter(visible_tasks(user_of(request))).select_related("lead_agency", "source_document", "finding").filter(code=code).first()
    if task is None:
        raise Http404
    return task


@agency_page
def task_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = TaskFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        form.mark_invalid()
    filters = TaskFilter(status=f.get("status") or None, as_of=f.get("as_of"), agency=f.get("agency") or None,
                         assigner=f.get("assigner") or None, source=f.get("source") or None, q=f.get("q") or None,
                         offset=0, limit=PAGE_SIZE)
    qs, day = filtered(user, filters)
    page = Paginator(qs.order_by("-assigned_on", "-id").prefetch_related("deadline_changes"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for t in page.object_list:
        state = selectors.status_on(t, day)
        rows.append((t, state, STATUS_CLASS.get(state, "open") if state else ""))
    return render(request, "supervision/task_list.html", {
        "form": form, "page": page, "rows": rows, "day": day,
        "may_manage": may(user, "supervision.manage"), "query": _query_without_page(request),
    })


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@agency_page
def task_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not may(user, "supervision.manage"):
        return forbidden(request, _("Only the office's supervision officers create tasks."))
    document = None
    if request.GET.get("document", "").isascii() and request.GET.get("document", "").isdigit() and len(request.GET["document"]) < 19:
        document = Outgoing.objects.filter(pk=int(request.GET["document"]), state="issued", doc_type__in=selectors.TASK_DOC_TYPES).first()
    initial = {"source_ref": document.notation, "assigned_on": timezone.localdate(document.issued_at) if document and document.issued_at else None,
               "assigner": "prime_minister" if document and document.authority_short == "TTg" else "government"} if document else {}
    form = TaskForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            f = form.cleaned_data
            try:
                task = create_task(actor=user, draft=TaskDraft(
                    content=f["content"], assigner=f["assigner"], assigner_name=f["assigner_name"], lead_agency=f["lead_agency"].strip(),
                    coordinating_agencies=codes(f["coordinating_agencies"]), assigned_on=f["assigned_on"], deadline=f["deadline"],
                    importance=f["importance"], source=f["source"], source_document_id=document.pk if document else None,
                    source_ref=f["source_ref"]))
            except DomainError as exc:
                form.add_domain_error(exc, {"source_document": "source_ref"})
                status = exc.status
            else:
                messages.success(request, _("Task %(code)s was assigned.") % {"code": task.code})
                if document is not None:
                    return redirect(f"{request.path}?document={document.pk}")
                return redirect("supervision:task_detail", code=task.code)
        else:
            status = 400
        form.mark_invalid()
    made = list(Task.objects.filter(source_document=document).order_by("pk")) if document else []
    return render(request, "supervision/task_new.html", {"form": form, "document": document, "made": made}, status=status)


def _detail(request: HttpRequest, task: Task, status: int = 200, **forms: Any) -> HttpResponse:
    user = user_of(request)
    today = timezone.localdate()
    may_report = may(user, "supervision.report", task) and not task.closed
    may_manage = may(user, "supervision.manage")
    pending = task.extensions.filter(state=ExtensionState.PENDING).select_related("requested_by").first()
    history: list[dict[str, Any]] = []
    for r in task.reports.select_related("agency", "reported_by"):
        history.append({"at": r.at, "kind": "report", "row": r})
    for e in task.extensions.select_related("requested_by", "decided_by"):
        history.append({"at": e.requested_at, "kind": "extension", "row": e})
        if e.decided_at:
            history.append({"at": e.decided_at, "kind": "decision", "row": e})
    history.sort(key=lambda h: h["at"])
    deadlines: list[dict[str, Any]] = []
    changes = list(task.deadline_changes.select_related("changed_by"))
    if changes:
        deadlines.append({"deadline": changes[0].old_deadline, "since": task.assigned_on, "by": None})
        deadlines += [{"deadline": c.new_deadline, "since": c.effective_on, "by": c.changed_by} for c in changes]
    state = selectors.status_on(task, today)
    return render(request, "supervision/task_detail.html", {
        "task": task, "status": state, "status_class": STATUS_CLASS.get(state, "open") if state else "open", "history": history,
        "deadlines": deadlines, "coordinating": task.coordinating_agencies.order_by("code"), "pending": pending,
        "may_report": may_report, "may_extend": may_report and task.deadline is not None and pending is None,
        "may_decide": may_manage and pending is not None and not task.closed,
        "progress_form": forms.get("progress_form") or ProgressForm(),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
    }, status=status)


@agency_page
def task_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _detail(request, _task(request, code))


@agency_page
@require_POST
def task_progress(request: HttpRequest, code: str) -> HttpResponse:
    task = _task(request, code)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        form.mark_invalid()
        return _detail(request, task, 400, progress_form=form)
    f = form.cleaned_data
    try:
        report_progress(actor=user_of(request), task=task, note=f["note"], complete=f["complete"], percent=f["percent"], channel=Channel.PAGE)
    except DomainError as exc:
        form.add_domain_error(exc)
        return _detail(request, task, exc.status, progress_form=form)
    messages.success(request, _("The task is completed.") if f["complete"] else _("Progress was reported."))
    return redirect("supervision:task_detail", code=task.code)


@agency_page
@require_POST
def task_extension(request: HttpRequest, code: str) -> HttpResponse:
    task = _task(request, code)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        form.mark_invalid()
        return _detail(request, task, 400, extension_form=form)
    try:
        request_extension(actor=user_of(request), task=task, requested_deadline=form.cleaned_data["requested_deadline"],
                          reason=form.cleaned_data["reason"])
    except DomainError as exc:
        form.add_domain_error(exc)
        return _detail(request, task, exc.status, extension_form=form)
    messages.success(request, _("The extension was requested; the office will decide."))
    return redirect("supervision:task_detail", code=task.code)


@agency_page
@require_POST
def extension_decide(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    task = _task(request, code)
    ext = Extension.objects.filter(task=task, pk=pk).first()
    if ext is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        form.mark_invalid()
        return _detail(request, task, 400, decision_form=form)
    try:
        decide_extension(actor=user_of(request), extension=ext, approve=form.cleaned_data["decision"] == "approve",
                         note=form.cleaned_data["note"])
    except DomainError as exc:
        form.add_domain_error(exc)
        return _detail(request, task, exc.status, decision_form=form)
    messages.success(request, _("The decision was recorded."))
    return redirect("supervision:task_detail", code=task.code)


@agency_page
def documents(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not may(user, "supervision.manage"):
        return forbidden(request, _("Only the office's supervision officers break documents into tasks."))
    qs = selectors.documents_awaiting_tasks().filter(confidentiality__lte=user.clearance).select_related("signer")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/documents.html", {"page": page, "query": ""})


def _year_bounds(today: dt.date) -> dict[str, dt.date]:
    return {"date_from": dt.date(today.year, 1, 1), "date_to": dt.date(today.year, 12, 31)}


@agency_page
def rate(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = RateForm(data, initial={**_year_bounds(timezone.localdate()), "definition": rates.DEFAULT})
    result = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            f = form.cleaned_data
            agency = None
            code = (f.get("agency") or "").strip()
            if code:
                agency = Agency.objects.filter(code=code).first()
                if agency is None:
                    form.add_error("agency", _("No agency %(code)s in the directory") % {"code": code})
            elif not may(user, "supervision.rate", None):
                agency = user.agency
            if not form.errors:
                if not may(user, "supervision.rate", agency):
                    return forbidden(request, _("You may read the overdue rate of your own agency only."))
                scope = selectors.Scope(f["date_from"], f["date_to"], agency, f.get("assigner") or "")
                try:
                    if request.method == "POST":
                        report, result = save_rate_report(actor=user, scope=scope, definition=f.get("definition") or None)
                        messages.success(request, _("The report was saved (no. %(n)d).") % {"n": report.pk})
                    else:
                        result = selectors.overdue_rate(scope, f.get("definition") or None)
                except DomainError as exc:
                    form.add_domain_error(exc)
                    status = exc.status
        if form.errors:
            status = status if status != 200 else 400
            form.mark_invalid()
    return render(request, "supervision/rate.html", {"form": form, "result": result, "statuses": Status}, status=status)

