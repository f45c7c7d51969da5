"""Inspection pages (/supervision/inspections/…): the plans, a new plan, one inspection with its
findings (whose recommendations become tasks). For the office's supervision officers."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govoffice.directory.permissions import may
from govoffice.lib.errors import DomainError
from govoffice.supervision.forms import FindingForm, InspectionForm
from govoffice.supervision.models import Inspection, InspectionState
from govoffice.supervision.services import inspections as plans
from govoffice.supervision.views import agency_page, forbidden, user_of

PAGE_SIZE = 50


def _denied(request: HttpRequest) -> HttpResponse | None:
    if not may(user_of(request), "supervision.inspections"):
        return forbidden(request, _("Only the office's supervision officers see the working group's inspections."))
    return None


def _inspection(pk: int) -> Inspection:
    row = Inspection.objects.filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


@agency_page
def inspection_list(request: HttpRequest) -> HttpResponse:
    if (denied := _denied(request)) is not None:
        return denied
    page = Paginator(Inspection.objects.prefetch_related("targets__agency"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/inspection_list.html", {"page": page, "query": ""})


@agency_page
def inspection_new(request: HttpRequest) -> HttpResponse:
    if (denied := _denied(request)) is not None:
        return denied
    form = InspectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            f = form.cleaned_data
            try:
                row = plans.create_inspection(actor=user_of(request), plan=plans.Plan(
                    title=f["title"], starts_on=f["starts_on"], ends_on=f["ends_on"],
                    members=[plans.Member(n, p) for n, p in f["members"]],
                    targets=[plans.Target(code, day) for code, day in f["targets"]]))
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                messages.success(request, _("Inspection %(code)s was planned.") % {"code": row.code})
                return redirect("supervision:inspection_detail", pk=row.pk)
        else:
            status = 400
        form.mark_invalid()
    return render(request, "supervision/inspection_new.html", {"form": form}, status=status)


def _detail(request: HttpRequest, row: Inspection, form: FindingForm | None = None, status: int = 200) -> HttpResponse:
    targets = list(row.targets.select_related("agency"))
    choices = [(t.agency.code, f"{t.agency.name_vi} ({t.agency.code})") for t in targets]
    return render(request, "supervision/inspection_detail.html", {
        "row": row, "targets": targets, "members": row.members.all(),
        "findings": row.findings.select_related("agency").prefetch_related("tasks"),
        "form": form or FindingForm(agencies=choices), "may_complete": row.state == InspectionState.PLANNED,
        "open": row.state != InspectionState.CANCELLED,
    }, status=status)


@agency_page
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := _denied(request)) is not None:
        return denied
    return _detail(request, _inspection(pk))


@agency_page
@require_POST
def inspection_finding(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := _denied(request)) is not None:
        return denied
    row = _inspection(pk)
    choices = [(t.agency.code, t.agency.name_vi) for t in row.targets.select_related("agency")]
    form = FindingForm(request.POST, agencies=choices)
    if not form.is_valid():
        form.mark_invalid()
        return _detail(request, row, form, 400)
    f = form.cleaned_data
    try:
        finding = plans.record_finding(actor=user_of(request), inspection=row, agency=f["agency"], summary=f["summary"],
                                       recommendations=[plans.Recommendation(c, "", d) for c, d in f["recommendations"]])
    except DomainError as exc:
        form.add_domain_error(exc, {"lead_agency": "recommendations", "deadline": "recommendations", "content": "recommendations"})
        return _detail(request, row, form, exc.status)
    messages.success(request, _("The finding was recorded with %(n)d task(s).") % {"n": finding.tasks.count()})
    return redirect("supervision:inspection_detail", pk=row.pk)


@agency_page
@require_POST
def inspection_complete(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := _denied(request)) is not None:
        return denied
    row = _inspection(pk)
    try:
        plans.complete_inspection(actor=user_of(request), inspection=row)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(request, row, status=exc.status)
    messages.success(request, _("The inspection is marked carried out."))
    return redirect("supervision:inspection_detail", pk=row.pk)
