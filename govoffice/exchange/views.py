"""The hub's operations pages (/hub/): overview, members, traffic, alerts. Read only; for the
people who may operate the hub (directory permission "hub.operate")."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from govoffice.directory.permissions import may
from govoffice.exchange import ops
from govoffice.exchange.charts import Series, bar_chart, column_chart
from govoffice.exchange.models import Member
from govoffice.exchange.stats import hub_stats
from govoffice.exchange.templatetags.hub_ops import agency_name, grouped

View = Callable[..., HttpResponse]
OVERVIEW_DAYS = 30
MAX_PERIOD_DAYS = 366
CHART_AGENCIES = 15
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def operators_only(view: View) -> View:
    """Sign-in first; then only hub operators, everyone else gets a 403 page that says why."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may(request.user, "hub.operate"):
            return render(request, "exchange/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return never_cache(login_required(wrapped))


def _today() -> dt.date:
    return timezone.localdate()


def _day_chart(traffic: ops.Traffic, chart_id: str) -> Any:
    days = traffic.days
    return column_chart(
        [d.day.strftime("%d/%m") for d in days],
        [
            Series(_("Documents"), [d.documents for d in days]),
            Series(_("Statuses"), [d.statuses for d in days]),
            Series(_("Revoke, update, replace"), [d.requests for d in days]),
        ],
        title=_("Packages per day, %(start)s to %(end)s")
        % {"start": traffic.start.strftime("%d/%m/%Y"), "end": traffic.end.strftime("%d/%m/%Y")},
        description=_("Stacked columns, one per day; the table below gives the same figures."),
        chart_id=chart_id,
        fmt=grouped,
        tooltips=[
            _("%(day)s: %(documents)s documents, %(statuses)s statuses, %(requests)s revoke/update/replace")
            % {"day": d.day.strftime("%d/%m/%Y"), "documents": grouped(d.documents),
               "statuses": grouped(d.statuses), "requests": grouped(d.requests)}
            for d in days
        ],
    )


def _agency_chart(traffic: ops.Traffic, chart_id: str) -> Any:
    top = traffic.agencies[:CHART_AGENCIES]
    return bar_chart(
        [agency_name(a) for a in top],
        [
            Series(_("Documents sent"), [a.documents_sent for a in top]),
            Series(_("Documents received"), [a.documents_received for a in top]),
        ],
        title=_("Documents sent and received by agency (the %(n)s busiest)") % {"n": len(top)},
        description=_("Stacked bars, one per agency; the table below lists every agency."),
        chart_id=chart_id,
        fmt=grouped,
    )


@operators_only
def overview(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    stats = hub_stats(OVERVIEW_DAYS, now=now)
    today = _today()
    recent = ops.traffic(today - dt.timedelta(days=OVERVIEW_DAYS - 1), today)
    alerts = ops.alert_counts(now=now)
    members = stats["members"]
    context = {
        "stats": stats,
        "members": members,
        "revoked": members["total"] - members["active"],
        "recent": recent,
        "alerts": alerts,
        "chart": _day_chart(recent, "chart-days") if recent.totals.total else None,
        "days": OVERVIEW_DAYS,
        "stuck_minutes": settings.EXCHANGE["stuck_after_minutes"],
        "may_administer": may(request.user, "hub.administer"),
    }
    return render(request, "exchange/overview.html", context)


STATE_CHOICES = [
    ("", gettext_lazy("All")),
    ("active", gettext_lazy("Active")),
    ("not_connected", gettext_lazy("Never connected")),
    ("revoked", gettext_lazy("Revoked")),
]


@operators_only
def members(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    state = request.GET.get("state", "")
    if state not in ops.MEMBER_STATES:
        state = ""
    rows = ops.member_rows(query, state)
    context = {
        "rows": rows,
        "query": query,
        "state": state,
        "states": STATE_CHOICES,
        "total": Member.objects.count(),
        "warning_days": ops.CERTIFICATE_WARNING_DAYS,
    }
    return render(request, "exchange/members.html", context)


# The dates a period may take: the hub's traffic lies between these, and no date arithmetic
# overflows near them.
EARLIEST_DAY = dt.date(2000, 1, 1)
LATEST_DAY = dt.date(2099, 12, 31)


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("Start date"), input_formats=DATE_FORMATS, required=False)
    end = forms.DateField(label=gettext_lazy("End date"), input_formats=DATE_FORMATS, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("start", "end"):  # 01/01/0001 or 31/12/9999 would overflow the arithmetic below
            day = data.get(name)
            if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
                self.add_error(name, _("Choose a date between %(first)s and %(last)s.") % {
                    "first": EARLIEST_DAY.strftime("%d/%m/%Y"), "last": LATEST_DAY.strftime("%d/%m/%Y")})
        if self.errors:
            return data
        end = data.get("end") or _today()
        start = data.get("start") or end - dt.timedelta(days=OVERVIEW_DAYS - 1)
        if start > end:
            self.add_error("end", _("The end date is before the start date."))
        elif (end - start).days + 1 > MAX_PERIOD_DAYS:
            self.add_error("end", _("A period is at most %(n)s days.") % {"n": MAX_PERIOD_DAYS})
        data["start"], data["end"] = start, end
        return data


def _period(request: HttpRequest) -> PeriodForm:
    form = PeriodForm(request.GET)
    form.is_valid()
    return form


def _presets(start: dt.date | None, end: dt.date | None) -> list[tuple[str, str, bool]]:
    """Periods one click away: the last 7, 30 and 90 days and this year so far."""
    today = _today()
    periods = [
        (_("Last 7 days"), today - dt.timedelta(days=6)),
        (_("Last 30 days"), today - dt.timedelta(days=29)),
        (_("Last 90 days"), today - dt.timedelta(days=89)),
        (_("This year"), today.replace(month=1, day=1)),
    ]
    return [
        (label, f"start={first.isoformat()}&end={today.isoformat()}", (first, today) == (start, end))
        for label, first in periods
    ]


@operators_only
def traffic(request: HttpRequest) -> HttpResponse:
    form = _period(request)
    context: dict[str, Any] = {"form": form, "presets": _presets(None, None)}
    if form.errors:
        return render(request, "exchange/traffic.html", context, status=400)
    data = ops.traffic(form.cleaned_data["start"], form.cleaned_data["end"])
    context.update(
        traffic=data,
        start=data.start,
        end=data.end,
        day_chart=_day_chart(data, "chart-days") if data.totals.total else None,
        agency_chart=_agency_chart(data, "chart-agencies") if data.agencies else None,
        query=f"start={data.start.isoformat()}&end={data.end.isoformat()}",
        presets=_presets(data.start, data.end),
    )
    return render(request, "exchange/traffic.html", context)


@operators_only
def traffic_csv(request: HttpRequest) -> HttpResponse:
    form = _period(request)
    by = request.GET.get("by", "day")
    if form.errors or by not in ("day", "agency"):
        messages = [str(m) for errors in form.errors.values() for m in errors] or [_("Choose by=day or by=agency.")]
        return HttpResponse(" ".join(messages), status=400, content_type="text/plain; charset=utf-8")
    data = ops.traffic(form.cleaned_data["start"], form.cleaned_data["end"])
    name = f"hub-traffic-by-{by}-{data.start.isoformat()}-{data.end.isoformat()}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # so that spreadsheet programs read the Vietnamese as UTF-8
    writer = csv.writer(response)
    if by == "day":
        writer.writerow([_("Day"), _("Documents"), _("Statuses"), _("Revoke, update, replace"), _("Total")])
        for d in data.days:
            writer.writerow([d.day.strftime("%d/%m/%Y"), d.documents, d.statuses, d.requests, d.total])
    else:
        writer.writerow([_("Organisation code"), _("Agency"), _("Documents sent"), _("Documents received"),
                         _("Statuses sent"), _("Revoke, update, replace")])
        for a in data.agencies:
            writer.writerow([a.code, a.name_vi, a.documents_sent, a.documents_received, a.statuses_sent, a.requests_sent])
    return response


@operators_only
def alerts(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    stuck = ops.stuck_deliveries(now=now)
    failed = ops.failed_pushes()
    context = {
        "now": now,
        "stuck": stuck[:100],
        "stuck_count": stuck.count(),
        "stuck_minutes": settings.EXCHANGE["stuck_after_minutes"],
        "failed": failed[:100],
        "failed_count": failed.count(),
        "max_attempts": settings.EXCHANGE["push_max_attempts"],
        "certificates": ops.expiring_certificates(),
        "warning_days": ops.CERTIFICATE_WARNING_DAYS,
        "revoked": ops.revoked_members(),
    }
    return render(request, "exchange/alerts.html", context)
