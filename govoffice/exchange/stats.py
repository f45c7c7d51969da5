"""The figures the hub's operators watch (the national hub's six function groups)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from govoffice.exchange.models import Delivery, DeliveryState, Kind, Member, Message
from govoffice.exchange.selectors import expiring_certificates


def last_contacts() -> dict[int, dt.datetime]:
    """When each member's software (or a clerk) last called the hub (Member.last_contact_at, to the minute)."""
    rows = Member.objects.filter(last_contact_at__isnull=False).values_list("agency_id", "last_contact_at")
    return {agency_id: at for agency_id, at in rows if at is not None}


def hub_stats(days: int = 30, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Members connected, traffic by agency and day, stuck and failed deliveries, certificates, paper saved."""
    now = now or timezone.now()
    # Whole local days, today the last of them (as the traffic page counts): not a rolling window
    # that would add part of one more day.
    first_day = timezone.localdate(now) - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(first_day, dt.time.min, tzinfo=timezone.get_current_timezone())
    stuck_before = now - dt.timedelta(minutes=settings.EXCHANGE["stuck_after_minutes"])
    members = Member.objects.filter(active=True)
    contacts = last_contacts()
    connected = sum(1 for m in members.values_list("agency_id", flat=True) if m in contacts)
    documents = Message.objects.filter(kind=Kind.DOCUMENT, business_doc_type=0)
    by_day = (
        Message.objects.filter(received_at__gte=since)
        .annotate(day=TruncDate("received_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "kind")
        .annotate(n=Count("id"))
        .order_by("day", "kind")
    )
    by_agency_day = (
        Message.objects.filter(received_at__gte=since)
        .annotate(day=TruncDate("received_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "sender__code")
        .annotate(sent=Count("id", filter=Q(kind=Kind.DOCUMENT)), statuses=Count("id", filter=Q(kind=Kind.STATUS)))
        .order_by("day", "sender__code")
    )
    by_agency = (
        Message.objects.filter(received_at__gte=since)
        .values("sender__code", "sender__name_vi")
        .annotate(sent=Count("id", filter=Q(kind=Kind.DOCUMENT)), statuses=Count("id", filter=Q(kind=Kind.STATUS)))
        .order_by("-sent", "sender__code")
    )
    stuck = Delivery.objects.filter(state=DeliveryState.PENDING, created_at__lt=stuck_before)
    failed_push = Delivery.objects.filter(state=DeliveryState.PENDING, push_attempts__gt=0)
    total_documents = documents.count()
    deliveries = Delivery.objects.filter(message__kind=Kind.DOCUMENT, message__business_doc_type=0).count()
    return {
        "generated_at": now.isoformat(),
        "members": {"active": members.count(), "connected": connected, "total": Member.objects.count()},
        "documents": {"total": total_documents, "deliveries": deliveries},
        "messages_by_day": [{"day": r["day"].isoformat(), "kind": r["kind"], "count": r["n"]} for r in by_day],
        "traffic_by_agency": [
            {"code": r["sender__code"], "name_vi": r["sender__name_vi"], "documents": r["sent"], "statuses": r["statuses"]}
            for r in by_agency
        ],
        "traffic_by_agency_and_day": [
            {"day": r["day"].isoformat(), "code": r["sender__code"], "documents": r["sent"], "statuses": r["statuses"]}
            for r in by_agency_day
        ],
        "stuck": {
            "threshold_minutes": settings.EXCHANGE["stuck_after_minutes"],
            "count": stuck.count(),
            "oldest": [
                {"message_id": str(d.message_id), "recipient": d.recipient.code, "queued_at": d.created_at.isoformat(), "fetch_count": d.fetch_count}
                for d in stuck.select_related("recipient").order_by("created_at")[:20]
            ],
        },
        "failed_pushes": [
            {"message_id": str(d.message_id), "recipient": d.recipient.code, "attempts": d.push_attempts,
             "last_error": d.last_error, "next_try": d.next_push_at.isoformat() if d.next_push_at else None}
            for d in failed_push.select_related("recipient").order_by("-push_attempts")[:50]
        ],
        "certificates_expiring": [
            {"agency": c.agency.code, "fingerprint": c.fingerprint, "not_after": c.not_after.isoformat()}
            for c in expiring_certificates(30)
        ],
        # Every delivered copy is one paper dispatch that did not happen.
        "paper_saved_vnd": deliveries * settings.EXCHANGE["paper_cost_vnd"],
        "paper_cost_per_document_vnd": settings.EXCHANGE["paper_cost_vnd"],
    }
