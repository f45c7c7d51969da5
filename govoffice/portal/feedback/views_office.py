"""The office's pages (portal officers of the Government Office: triage, forwarding,
moderation, figures) and the responsible agency's pages (its staff answer forwarded pieces)."""

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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from govoffice.directory.models import User
from govoffice.directory.permissions import may
from govoffice.lib.errors import DomainError
from govoffice.portal.feedback import selectors
from govoffice.portal.feedback.forms import (
    AnswerForm,
    DuplicateForm,
    ForwardForm,
    OutOfScopeForm,
    PublishForm,
    ReturnAnswerForm,
)
from govoffice.portal.feedback.models import Feedback, FeedbackFile, Source, State
from govoffice.portal.feedback.permissions import is_office_officer
from govoffice.portal.feedback.services import replies, triage

View = Callable[..., HttpResponseBase]
PAGE_SIZE = 50


def forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "feedback/forbidden.html", {"reason": reason}, status=403)


def officer_page(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not isinstance(user, User) or not is_office_officer(user):
            return forbidden(request, _("These pages are for the Government Office's portal officers."))
        return view(request, *args, **kwargs)

    return never_cache(login_required(wrapped))


def agency_page(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not isinstance(user, User) or user.agency is None or not may(user, "feedback.agency_inbox", user.agency):
            return forbidden(request, _("These pages are for the staff of agencies that answer feedback."))
        return view(request, *args, **kwargs)

    return never_cache(login_required(wrapped))


def _visible(request: HttpRequest, pk: int) -> Feedback:
    row = Feedback.objects.select_related("agency", "forwarded_to", "duplicate_of", "answer_agency", "account").filter(pk=pk).first()
    if row is None or not may(request.user, "feedback.view", row):
        raise Http404
    return row


@officer_page
def office_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in State.values else ""
    source = request.GET.get("source", "")
    source = source if source in Source.values else ""
    q = request.GET.get("q", "")[:200]
    page = Paginator(selectors.office_queue(state, q, source), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/office_list.html", {
        "page": page, "state": state, "source": source, "q": q, "states": State.choices, "sources": Source.choices,
    })


def _office_forms(row: Feedback, data: Any = None, which: str = "") -> dict[str, Any]:
    draft = replies.draft_publication(row) if row.state == State.ANSWERED else {}
    return {
        "forward_form": ForwardForm(data if which == "forward" else None, initial={"agency": row.agency.code if row.agency else ""}),
        "out_form": OutOfScopeForm(data if which == "out_of_scope" else None),
        "duplicate_form": DuplicateForm(data if which == "duplicate" else None),
        "publish_form": PublishForm(data if which == "publish" else None, initial=draft),
        "return_form": ReturnAnswerForm(data if which == "return_answer" else None),
    }


@officer_page
def office_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = _visible(request, pk)
    return render(request, "feedback/office_detail.html", {"row": row, "history": row.history.all(), **_office_forms(row)})


@officer_page
@require_POST
def office_action(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    row = _visible(request, pk)
    user = request.user
    assert isinstance(user, User)
    forms = _office_forms(row, request.POST, action)
    form = {"forward": forms["forward_form"], "out_of_scope": forms["out_form"], "duplicate": forms["duplicate_form"],
            "publish": forms["publish_form"], "return_answer": forms["return_form"]}.get(action)
    try:
        if action == "resend":
            triage.resend_forward(actor=user, feedback=row)
        elif form is None:
            raise Http404
        elif form.is_valid():
            d = form.cleaned_data
            if action == "forward":
                triage.forward_feedback(actor=user, feedback=row, agency_code=d["agency"], note=d["note"])
            elif action == "out_of_scope":
                triage.mark_out_of_scope(actor=user, feedback=row, kind=d["kind"], note=d["note"])
            elif action == "duplicate":
                triage.mark_duplicate(actor=user, feedback=row, original_code=d["original"], note=d["note"])
            elif action == "publish":
                replies.publish_answer(actor=user, feedback=row, subject=d["subject"], question=d["question"], answer=d["answer"])
            else:
                replies.return_answer(actor=user, feedback=row, note=d["note"])
        else:
            return _again(request, row, forms, 400)
    except DomainError as exc:
        if form is not None:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return _again(request, row, forms, exc.status)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("feedback:office_detail", pk=row.pk)


def _again(request: HttpRequest, row: Feedback, forms: dict[str, Any], status: int) -> HttpResponse:
    row.refresh_from_db()
    return render(request, "feedback/office_detail.html", {"row": row, "history": row.history.all(), **forms}, status=status)


@officer_page
def office_statistics(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year", "")) if request.GET.get("year") else timezone.localdate().year
    except ValueError:
        year = timezone.localdate().year
    if not selectors.FIRST_YEAR <= year <= selectors.LAST_YEAR:
        year = timezone.localdate().year
    return render(request, "feedback/office_stats.html", {
        "year": year, "figures": selectors.annual_figures(year), "by_source": selectors.counts_by_source(year),
        "by_scope": selectors.counts_by_scope(year), "by_agency": selectors.counts_by_agency(year)[:100],
        "by_outcome": selectors.counts_by_outcome(year), "states": State.choices,
    })


def file_download(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    if not request.user.is_authenticated:
        raise Http404
    row = _visible(request, pk)
    f = FeedbackFile.objects.filter(feedback=row, pk=file_id).first()
    if f is None:
        raise Http404
    return FileResponse(f.file.open("rb"), content_type=f.content_type, as_attachment=True, filename=f.name)


@agency_page
def agency_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User) and user.agency is not None
    waiting = request.GET.get("all") != "1"
    page = Paginator(selectors.agency_queue(user.agency.pk, waiting), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/agency_list.html", {"page": page, "waiting": waiting})


@agency_page
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = _visible(request, pk)
    user = request.user
    assert isinstance(user, User)
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                replies.answer_feedback(actor=user, feedback=row, text=form.cleaned_data["answer"])
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("The answer was sent to the Government Office for review."))
                return redirect("feedback:agency_detail", pk=row.pk)
        else:
            status = 400
    return render(request, "feedback/agency_detail.html", {
        "row": row, "form": form, "may_answer": may(user, "feedback.answer", row), "history": row.history.all(),
    }, status=status)
