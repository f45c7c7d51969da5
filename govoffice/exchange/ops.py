"""Reads for the hub's operations pages that stats.py does not give: members with their last
contact and certificate, traffic for any period, and the alerts row by row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from govoffice.directory.models import Agency
from govoffice.exchange.models import Delivery, DeliveryState, Kind, Member, Message
from govoffice.exchange.selectors import expiring_certificates as _expiring
from govoffice.exchange.stats import last_contacts
from govoffice.lib.vntext import fold
from govoffice.signing.models import Certificate

CERTIFICATE_WARNING_DAYS = 30
MEMBER_STATES = ("active", "revoked", "not_connected")


@dataclass
class MemberRow:
    code: str
    name_vi: str
    name_en: str
    push_url: str
    active: bool
    enrolled_at: dt.datetime
    revoked_at: dt.datetime | None
    last_contact_at: dt.datetime | None
    certificate_expires: dt.datetime | None
    certificate_soon: bool

    @property
    def delivery(self) -> str:
        return "push" if self.push_url else "pull"


def current_certificate_expiry(now: dt.datetime) -> dict[int, dt.datetime]:
    """For each agency, when its latest current (unrevoked, valid now) hub certificate expires.

    Its people's signing certificates (signer_key set) are not the member's: they do not sign
    its messages to the hub."""
    rows = (
        Certificate.objects.filter(revoked_at__isnull=True, not_before__lte=now, not_after__gte=now, signer_key__isnull=True)
        .values("agency_id")
        .annotate(until=Max("not_after"))
    )
    return {r["agency_id"]: r["until"] for r in rows}


def member_rows(query: str = "", state: str = "", *, now: dt.datetime | None = None) -> list[MemberRow]:
    """Every member (by code) matching a name or code, Vietnamese folded, and a state."""
    now = now or timezone.now()
    contacts = last_contacts()
    expiry = current_certificate_expiry(now)
    soon = now + dt.timedelta(days=CERTIFICATE_WARNING_DAYS)
    wanted = fold(query)
    rows = []
    for member in Member.objects.select_related("agency").order_by("agency__code"):
        agency = member.agency
        if wanted and not any(wanted in fold(text) for text in (agency.name_vi, agency.name_en, agency.short_name, agency.code)):
            continue
        contact = contacts.get(agency.pk)
        if state == "active" and not member.active:
            continue
        if state == "revoked" and member.active:
            continue
        if state == "not_connected" and (contact is not None or not member.active):
            continue
        until = expiry.get(agency.pk)
        rows.append(
            MemberRow(
                code=agency.code, name_vi=agency.name_vi, name_en=agency.name_en, push_url=member.push_url,
                active=member.active, enrolled_at=member.enrolled_at, revoked_at=member.revoked_at,
                last_contact_at=contact, certificate_expires=until,
                certificate_soon=until is not None and until <= soon,
            )
        )
    return rows


@dataclass
class DayRow:
    day: dt.date
    documents: int = 0
    requests: int = 0  # revoke, update, replace
    statuses: int = 0

    @property
    def total(self) -> int:
        return self.documents + self.requests + self.statuses


@dataclass
class AgencyRow:
    code: str
    name_vi: str
    name_en: str
    documents_sent: int = 0
    requests_sent: int = 0
    statuses_sent: int = 0
    documents_received: int = 0

    @property
    def total(self) -> int:
        return self.documents_sent + self.requests_sent + self.statuses_sent + self.documents_received


@dataclass
class Traffic:
    start: dt.date
    end: dt.date
    days: list[DayRow] = field(default_factory=list)
    agencies: list[AgencyRow] = field(default_factory=list)

    @property
    def totals(self) -> DayRow:
        out = DayRow(self.end)
        for d in self.days:
            out.documents += d.documents
            out.requests += d.requests
            out.statuses += d.statuses
        return out

    @property
    def documents_received(self) -> int:
        return sum(a.documents_received for a in self.agencies)


def local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of `start` and of the day after `end`, in the hub's time zone."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


_NEW = Q(kind=Kind.DOCUMENT, business_doc_type=0)
_REQUEST = Q(kind=Kind.DOCUMENT, business_doc_type__gt=0)
_STATUS = Q(kind=Kind.STATUS)


def traffic(start: dt.date, end: dt.date) -> Traffic:
    """Packages through the hub from `start` to `end` (local days, both included), by day and by agency."""
    since, until = local_bounds(start, end)
    in_period = Message.objects.filter(received_at__gte=since, received_at__lt=until)
    by_day = {
        d["day"]: d
        for d in in_period.annotate(day=TruncDate("received_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(documents=Count("id", filter=_NEW), requests=Count("id", filter=_REQUEST), statuses=Count("id", filter=_STATUS))
        .order_by("day")
    }
    days = []
    for offset in range((end - start).days + 1):
        day = start + dt.timedelta(days=offset)
        counted = by_day.get(day)
        days.append(DayRow(day, counted["documents"], counted["requests"], counted["statuses"]) if counted else DayRow(day))
    rows: dict[int, AgencyRow] = {}

    def row(agency_id: int) -> AgencyRow:
        if agency_id not in rows:
            rows[agency_id] = AgencyRow("", "", "")
        return rows[agency_id]

    sent = in_period.values("sender_id").annotate(
        documents=Count("id", filter=_NEW), requests=Count("id", filter=_REQUEST), statuses=Count("id", filter=_STATUS)
    )
    for s in sent:
        a = row(s["sender_id"])
        a.documents_sent, a.requests_sent, a.statuses_sent = s["documents"], s["requests"], s["statuses"]
    received = (
        Delivery.objects.filter(created_at__gte=since, created_at__lt=until, message__kind=Kind.DOCUMENT, message__business_doc_type=0)
        .values("recipient_id")
        .annotate(n=Count("id"))
    )
    for got in received:
        row(got["recipient_id"]).documents_received = got["n"]
    for agency in Agency.objects.filter(pk__in=rows).only("code", "name_vi", "name_en"):
        a = rows[agency.pk]
        a.code, a.name_vi, a.name_en = agency.code, agency.name_vi, agency.name_en
    agencies = sorted(rows.values(), key=lambda a: (-(a.documents_sent + a.documents_received), -a.total, a.code))
    return Traffic(start, end, days, agencies)


def stuck_threshold() -> dt.timedelta:
    return dt.timedelta(minutes=settings.EXCHANGE["stuck_after_minutes"])


def stuck_deliveries(*, now: dt.datetime | None = None) -> QuerySet[Delivery]:
    """Deliveries still not acknowledged past the configured threshold, oldest first."""
    now = now or timezone.now()
    return (
        Delivery.objects.filter(state=DeliveryState.PENDING, created_at__lt=now - stuck_threshold())
        .select_related("message", "message__sender", "recipient")
        .defer("message__raw")
        .order_by("created_at", "id")
    )


def failed_pushes() -> QuerySet[Delivery]:
    """Pending deliveries whose push to the member's URL failed at least once, most tries first."""
    return (
        Delivery.objects.filter(state=DeliveryState.PENDING, push_attempts__gt=0)
        .select_related("message", "message__sender", "recipient")
        .defer("message__raw")
        .order_by("-push_attempts", "created_at", "id")
    )


def expiring_certificates() -> list[Certificate]:
    return _expiring(CERTIFICATE_WARNING_DAYS)


def revoked_members() -> QuerySet[Member]:
    return Member.objects.filter(active=False).select_related("agency").order_by("-revoked_at", "agency__code")


@dataclass
class AlertCounts:
    stuck: int
    failed_pushes: int
    certificates: int
    revoked: int

    @property
    def total(self) -> int:
        return self.stuck + self.failed_pushes + self.certificates + self.revoked


def alert_counts(*, now: dt.datetime | None = None) -> AlertCounts:
    """How many of each alert the alerts page lists."""
    return AlertCounts(
        stuck=stuck_deliveries(now=now).count(),
        failed_pushes=failed_pushes().count(),
        certificates=len(expiring_certificates()),
        revoked=revoked_members().count(),
    )
