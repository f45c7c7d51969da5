"""The report pages (/reports/): dashboards per role, the annual report, their CSV/XLSX/PDF.
Thin: selectors compute, permissions decide, templates show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from govoffice.directory.models import User
from govoffice.directory.permissions import may
from govoffice.reports import charts, tables
from govoffice.reports.annual import DEFINITION_KEY, KEYS, SEED_2019, annual_report
from govoffice.reports.dashboards import clerk_day, leader_view, national_view
from govoffice.reports.exports import Table, as_csv, as_xlsx
from govoffice.reports.forms import DayForm, NationalForm, YearForm

View = Callable[..., HttpResponseBase]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DASHBOARDS = (  # (action, url name, title)
    ("reports.clerk_day", "reports:clerk", gettext_lazy("A clerk's day")),
    ("reports.leader", "reports:leader", gettext_lazy("Overdue and waiting")),
    ("reports.national", "reports:national", gettext_lazy("The office's national view")),
    ("reports.annual", "reports:annual", gettext_lazy("Annual report")),
)


def forbidden(request: HttpRequest, reason: str | Promise) -> HttpResponse:
    return render(request, "reports/forbidden.html", {"reason": reason}, status=403)


def report_page(action: str, reason: Promise) -> Callable[[View], View]:
    """Sign-in first; then the report's permission, or a 403 page that says why."""
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not may(request.user, action):
                return forbidden(request, reason)
            return view(request, *args, **kwargs)
        return never_cache(login_required(wrapped))
    return decorate


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # report_page
    return request.user


def export(tables_: list[Table], fmt: str, name: str) -> HttpResponse | None:
    """The tables as a download when ?format=csv or xlsx; None for the page."""
    if fmt == "csv":
        response = HttpResponse(as_csv(tables_), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(as_xlsx(tables_), content_type=XLSX)
    else:
        return None
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@never_cache
@login_required
def index(request: HttpRequest) -> HttpResponse:
    links = [(url, title) for action, url, title in DASHBOARDS if may(request.user, action)]
    if not links:
        return forbidden(request, _("Reports are for the office's staff in the roles that need them."))
    return render(request, "reports/index.html", {"links": links})


@report_page("reports.clerk_day", gettext_lazy("A clerk's day is for the office's clerks."))
def clerk(request: HttpRequest) -> HttpResponse:
    form = DayForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "reports/clerk.html", {"form": form}, status=400)
    day = (form.cleaned_data.get("day") if request.GET else None) or timezone.localdate()
    view = clerk_day(_user(request), day)
    download = export(tables.clerk_tables(view), request.GET.get("format", ""), f"ngay-van-thu-{day:%Y-%m-%d}")
    if download is not None:
        return download
    chart = charts.hours_chart(view.by_hour) if view.registered else None
    return render(request, "reports/clerk.html", {"form": form, "view": view, "chart": chart,
                                                   "query": f"day={day:%d/%m/%Y}"})


@report_page("reports.leader", gettext_lazy("This view is for the office's leaders."))
def leader(request: HttpRequest) -> HttpResponse:
    view = leader_view(_user(request))
    download = export(tables.leader_tables(view), request.GET.get("format", ""), f"qua-han-cho-xu-ly-{view.today:%Y-%m-%d}")
    if download is not None:
        return download
    chart = charts.age_chart(view.overdue_by_age) if view.overdue else None
    return render(request, "reports/leader.html", {"view": view, "chart": chart})


def _year(form: YearForm, request: HttpRequest) -> int:
    return (form.cleaned_data.get("year") if request.GET else None) or timezone.localdate().year


@report_page("reports.national", gettext_lazy("The national view is for the office's leaders, auditors and administrators."))
def national(request: HttpRequest) -> HttpResponse:
    form = NationalForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "reports/national.html", {"form": form}, status=400)
    year = _year(form, request)
    end: dt.date | None = form.cleaned_data.get("end") if request.GET else None
    view = national_view(year, end)
    download = export(tables.national_tables(view), request.GET.get("format", ""), f"toan-quoc-{year}")
    if download is not None:
        return download
    context = {
        "form": form, "view": view, "rows": _annual_rows(view.report), "query": f"year={year}&end={view.window[1]:%d/%m/%Y}",
        "hub_chart": charts.hub_chart(view.hub_by_day), "registry_chart": charts.registry_chart(view.registry_by_month, year),
    }
    return render(request, "reports/national.html", context)


def _annual_rows(report: Any) -> list[dict[str, Any]]:
    names = tables.labels()
    return [{"key": k, "label": names[k], "value": report.figures.get(k), "seed": SEED_2019.get(k) if report.year == 2019 else None}
            for k in KEYS]


@report_page("reports.annual", gettext_lazy("The annual report is for the office's leaders, auditors and administrators."))
def annual(request: HttpRequest) -> HttpResponse:
    form = YearForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "reports/annual.html", {"form": form}, status=400)
    year = _year(form, request)
    report = annual_report(year)
    fmt = request.GET.get("format", "")
    if fmt == "pdf":
        from govoffice.reports.pdf import annual_pdf

        response = HttpResponse(annual_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="bao-cao-nam-{year}.pdf"'
        return response
    download = export([tables.annual_table(report)], fmt, f"bao-cao-nam-{year}")
    if download is not None:
        return download
    return render(request, "reports/annual.html", {
        "form": form, "report": report, "rows": _annual_rows(report), "definition": report.figures.get(DEFINITION_KEY),
        "query": f"year={year}",
    })
