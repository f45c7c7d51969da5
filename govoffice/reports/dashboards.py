"""What each dashboard shows, as named reads: the clerk's day, the leader's overdue and waiting
items, and the office's national view. Each list is filtered by records.permissions.visible_to;
each count is one aggregate query."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from govoffice.directory.models import Agency, Clearance, User
from govoffice.exchange.models import Delivery, DeliveryState, Kind, Message
from govoffice.records.models import (
    Channel,
    Incoming,
    IncomingState,
    Outgoing,
    OutgoingState,
    Submission,
    SubmissionAction,
    SubmissionState,
)
from govoffice.records.permissions import visible_to
from govoffice.records.services.handling import overdue_for
from govoffice.reports.annual import AnnualReport, annual_report
from govoffice.reports.figures import office_agencies, year_bounds

LIST = 50  # rows listed on a dashboard; the count says how many there are in all


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    return start, start + dt.timedelta(days=1)


# The clerk's day ------------------------------------------------------------------------------

@dataclass
class ClerkDay:
    day: dt.date
    registered: int
    registered_electronic: int
    by_hour: list[tuple[int, int]]  # (local hour, documents registered)
    registered_list: list[Incoming]
    waiting: int  # arrived, not registered yet (in the office's system)
    waiting_list: list[Incoming]
    hub_pending: int  # delivered by the hub, not yet taken in
    to_issue: int  # signed, waiting for a number
    to_issue_list: list[Outgoing]
    to_send: int  # issued, open, with recipients, not sent on the hub yet
    to_send_list: list[Outgoing]
    latest_day: dt.date | None  # the last day anything was registered, to jump to

    @property
    def registered_paper(self) -> int:
        return self.registered - self.registered_electronic


def clerk_day(user: User, day: dt.date) -> ClerkDay:
    """A clerk's day: registered that day, waiting to be registered, waiting to be issued or sent."""
    start, end = day_bounds(day)
    incoming = Incoming.objects.filter(visible_to(user))
    today = incoming.filter(registered_at__gte=start, registered_at__lt=end)
    counts = today.aggregate(n=Count("pk"), electronic=Count("pk", filter=Q(channel=Channel.ELECTRONIC)))
    hours: dict[int, int] = {}
    for at in today.values_list("registered_at", flat=True):
        hour = timezone.localtime(at).hour
        hours[hour] = hours.get(hour, 0) + 1
    by_hour = [(h, hours.get(h, 0)) for h in range(min([7, *hours]), max([18, *hours]) + 1)]
    waiting = incoming.filter(state=IncomingState.ARRIVED)
    hub_pending = Delivery.objects.filter(
        recipient_id=user.agency_id, state=DeliveryState.PENDING, message__kind=Kind.DOCUMENT
    ).count()
    outgoing = Outgoing.objects.filter(visible_to(user))
    to_issue = outgoing.filter(state=OutgoingState.SIGNED)
    to_send = (
        outgoing.filter(state=OutgoingState.ISSUED, confidentiality=Clearance.NONE, dispatched_at__isnull=True, recipients__isnull=False)
        .distinct()
    )
    # Registration takes the next arrival number: the highest number of the latest year is the
    # latest registration, found on the (agency, year, arrival_number) index without a sort.
    latest = (
        incoming.filter(arrival_number__isnull=False)  # visible_to already names the agency
        .order_by("-year", "-arrival_number").values_list("registered_at", flat=True).first()
    )
    return ClerkDay(
        day=day, registered=counts["n"], registered_electronic=counts["electronic"], by_hour=by_hour,
        registered_list=list(today.select_related("sender").order_by("arrival_number")[:LIST]),
        waiting=waiting.count(), waiting_list=list(waiting.order_by("-urgency", "arrived_at")[:LIST]),
        hub_pending=hub_pending,
        to_issue=to_issue.count(), to_issue_list=list(to_issue.order_by("-urgency", "signed_at")[:LIST]),
        to_send=to_send.count(), to_send_list=list(to_send.order_by("issued_at")[:LIST]),
        latest_day=timezone.localdate(latest) if latest else None,
    )


# The leader's view ----------------------------------------------------------------------------

AGE_BUCKETS = ((1, 7), (8, 30), (31, 90), (91, None))  # calendar days past the deadline


@dataclass
class LeaderView:
    today: dt.date
    overdue: int
    overdue_list: list[Any]  # Assignment rows, each with .late_days
    overdue_by_age: list[tuple[str, int]]
    waiting_decision: int
    waiting_list: list[Submission]
    to_assign: int
    tasks: dict[str, int] | None = None  # supervision's waiting items, when that area is installed
    tasks_by_agency: list[Any] = field(default_factory=list)  # supervision's overdue tasks per lead agency
    tasks_missing: bool = False


def _age_label(low: int, high: int | None) -> str:
    return f"{low}–{high}" if high is not None else f"> {low - 1}"


def leader_view(user: User, today: dt.date | None = None) -> LeaderView:
    """A leader's overdue documents (past the deadline, not done) and what waits for their decision."""
    today = today or timezone.localdate()
    overdue = overdue_for(user, today)
    deadlines = list(overdue.values_list("deadline", flat=True))
    ages = [(today - d).days for d in deadlines if d is not None]
    by_age = [(_age_label(lo, hi), sum(1 for a in ages if a >= lo and (hi is None or a <= hi))) for lo, hi in AGE_BUCKETS]
    rows: list[Any] = list(overdue[:LIST])
    for row in rows:
        row.late_days = (today - row.deadline).days  # the filter keeps only rows with a deadline
        person, unit = row.lead_person, row.lead_unit
        row.lead_label = " – ".join(x for x in ((unit.name_vi if unit else ""), (person.full_name or person.username) if person else "") if x)
    waiting = Submission.objects.filter(visible_to(user), current_reviewer=user, state=SubmissionState.IN_REVIEW)
    to_assign = Incoming.objects.filter(visible_to(user), state=IncomingState.REGISTERED, presented_to=user).count()
    waiting_tasks = supervision_hook("waiting_items")
    by_agency = supervision_hook("overdue_by_agency")
    return LeaderView(
        today=today, overdue=len(deadlines), overdue_list=rows, overdue_by_age=by_age,
        waiting_decision=waiting.count(), waiting_list=list(waiting.order_by("-urgency", "submitted_at")[:LIST]),
        to_assign=to_assign, tasks=waiting_tasks(user) if waiting_tasks else None,
        tasks_by_agency=by_agency(user, today, 10) if by_agency else [], tasks_missing=waiting_tasks is None,
    )


def supervision_hook(name: str) -> Callable[..., Any] | None:
    """A function of supervision.selectors, or None while that area is not installed."""
    module_name = "govoffice.supervision.selectors"
    if importlib.util.find_spec(module_name) is None:
        return None
    return getattr(importlib.import_module(module_name), name, None)


# The national view ----------------------------------------------------------------------------

@dataclass
class NationalView:
    year: int
    report: AnnualReport
    window: tuple[dt.date, dt.date]
    hub_by_day: list[tuple[dt.date, int]]
    registry_by_month: list[dict[str, int]]  # month, received, submissions, issued
    busiest_senders: list[tuple[str, str, int]] = field(default_factory=list)  # code, name, documents
    years: list[int] = field(default_factory=list)


WINDOW_DAYS = 31


def _by_day(qs: QuerySet[Message], start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    """One range count per day on the indexed time: no per-row time-zone function (SQLite runs those in Python)."""
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    out = []
    for day in days:
        low, high = day_bounds(day)
        out.append((day, qs.filter(received_at__gte=low, received_at__lt=high).count()))
    return out


def _monthly(qs: QuerySet[Any], field_name: str, year: int) -> dict[int, int]:
    """Counts per local month of `field_name`: twelve range counts, each over an index where there is one."""
    zone = timezone.get_current_timezone()
    out = {}
    for month in range(1, 13):
        low = dt.datetime(year, month, 1, tzinfo=zone)
        high = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
        out[month] = qs.filter(**{f"{field_name}__gte": low, f"{field_name}__lt": high}).count()
    return out


def _by_local_month(moments: Any) -> dict[int, int]:
    """Counts per local month of a year's times (tens of thousands: cheaper than twelve scans)."""
    out: dict[int, int] = {}
    for at in moments:
        if at is not None:
            month = timezone.localtime(at).month
            out[month] = out.get(month, 0) + 1
    return out


def national_view(year: int, end: dt.date | None = None) -> NationalView:
    """The office's year: every annual figure, the hub's traffic by day (a month at a time), the registry by month."""
    report = annual_report(year)
    offices = office_agencies()
    start_at, end_at = year_bounds(year)
    documents = Message.objects.filter(kind=Kind.DOCUMENT, business_doc_type=0)
    if end is None:
        last = documents.filter(received_at__gte=start_at, received_at__lt=end_at).order_by("-received_at").values_list("received_at", flat=True).first()
        end = timezone.localdate(last) if last else min(timezone.localdate(), dt.date(year, 12, 31))
    first = max(end - dt.timedelta(days=WINDOW_DAYS - 1), dt.date(year, 1, 1))
    w_start, _ = day_bounds(first)
    _, w_end = day_bounds(end)
    # The hub's traffic: every package (documents and statuses), as the hub's own traffic page
    # counts it; read from the received_at and (sender, received_at) indexes alone.
    window = Message.objects.filter(received_at__gte=w_start, received_at__lt=w_end)
    senders = list(
        window.values("sender__code", "sender__name_vi").annotate(n=Count("*")).order_by("-n", "sender__code")[:10]
    )
    # Received by arrival date (the register's "ngày đến"), over the (agency, arrived_at) index.
    received = _monthly(Incoming.objects.filter(agency__in=offices, year=year, arrival_number__isnull=False), "arrived_at", year)
    submitted = _monthly(SubmissionAction.objects.filter(action="submit", submission__agency__in=offices), "at", year)
    issued = _by_local_month(Outgoing.objects.filter(agency__in=offices, state=OutgoingState.ISSUED, year=year)
                             .values_list("issued_at", flat=True))
    months = [{"month": m, "received": received.get(m, 0), "submissions": submitted.get(m, 0), "issued": issued.get(m, 0)}
              for m in range(1, 13)]
    return NationalView(
        year=year, report=report, window=(first, end), hub_by_day=_by_day(window, first, end), registry_by_month=months,
        busiest_senders=[(r["sender__code"], r["sender__name_vi"], r["n"]) for r in senders], years=years_with_data(),
    )


def years_with_data() -> list[int]:
    """Years in which the office numbered anything (its series), newest first: cheap to list."""
    from govoffice.records.models import NumberSeries

    offices: list[Agency] = office_agencies()
    return sorted(set(NumberSeries.objects.filter(agency__in=offices).values_list("year", flat=True)), reverse=True)
