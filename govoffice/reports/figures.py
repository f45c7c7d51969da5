"""The annual figures that the office's own records and the hub hold (DOMAIN.md, the 2019 review).

Each figure is one aggregate query over an index, whatever the year's volume:
- documents received: incoming documents entered in the register in the year. A registered
  document has an arrival number of that year (one series a year, paper and electronic
  together), so the count reads the unique (agency, year, arrival_number) index alone;
- submissions: submissions to leaders sent up (first "submit") in the year;
- documents issued: outgoing documents numbered and issued in the year (the numbering year);
- hub members connected: members that made contact with the hub in the year (sent a message
  the hub accepted, or acknowledged a delivery), of the members enrolled and not revoked
  before the year began;
- hub documents exchanged: new documents (not revoke, update or replace requests, not status
  messages) the hub accepted in the year.
The year is the office's local calendar year (Asia/Ho_Chi_Minh), as the numbering is.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from govoffice.directory.models import Agency
from govoffice.exchange.models import Delivery, DeliveryState, Kind, Member, Message
from govoffice.records.models import Incoming, Outgoing, OutgoingState, SubmissionAction

RECORDS_KEYS = ("documents_received", "submissions", "documents_issued")
HUB_KEYS = ("hub_members_connected", "hub_members_total", "hub_documents_exchanged")


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """[1 January 00:00, next 1 January 00:00) in the office's time zone, as aware datetimes."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


def office_agencies() -> list[Agency]:
    """The agencies whose registry runs on this deployment (settings.RECORDS["office_codes"])."""
    return list(Agency.objects.filter(code__in=settings.RECORDS["office_codes"]))


def records_figures(year: int, agencies: list[Agency] | None = None) -> dict[str, int]:
    """Documents received, submissions sent up and documents issued by the office in `year`."""
    offices = office_agencies() if agencies is None else agencies
    start, end = year_bounds(year)
    received = Incoming.objects.filter(agency__in=offices, year=year, arrival_number__isnull=False).count()
    submitted = (
        SubmissionAction.objects.filter(action="submit", at__gte=start, at__lt=end, submission__agency__in=offices)
        .values("submission_id").distinct().count()
    )
    issued = Outgoing.objects.filter(agency__in=offices, state=OutgoingState.ISSUED, year=year).count()
    return {"documents_received": received, "submissions": submitted, "documents_issued": issued}


def hub_figures(year: int) -> dict[str, int]:
    """Hub members connected in `year` (of the members at the time) and the documents exchanged."""
    start, end = year_bounds(year)
    members = Member.objects.filter(Q(revoked_at__isnull=True) | Q(revoked_at__gte=start))
    sent = Message.objects.filter(sender_id=OuterRef("agency_id"), received_at__gte=start, received_at__lt=end)
    acked = Delivery.objects.filter(
        recipient_id=OuterRef("agency_id"), state=DeliveryState.ACKED, acked_at__gte=start, acked_at__lt=end
    )
    connected = members.filter(Exists(sent) | Exists(acked)).count()
    exchanged = Message.objects.filter(
        kind=Kind.DOCUMENT, business_doc_type=0, received_at__gte=start, received_at__lt=end
    ).count()
    return {"hub_members_connected": connected, "hub_members_total": members.count(), "hub_documents_exchanged": exchanged}
