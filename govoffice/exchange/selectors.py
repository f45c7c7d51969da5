"""Reads of the hub worth naming: a message as a party sees it, its trace, members, sent lists."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Q, QuerySet
from govoffice_agent.edxml import (
    DOC_NEW,
    DOC_REPLACE,
    DOC_REVOKE,
    DOC_UPDATE,
    STATUS_CODES,
    b64encode,
)

from govoffice.directory.models import Agency
from govoffice.exchange.models import Delivery, Kind, Member, Message
from govoffice.lib.errors import NotFound
from govoffice.signing.models import Certificate
from govoffice.signing.services import expiring

ANSWERS = {"15": "agreed", "16": "refused"}
REQUEST_NAMES = {1: "revoke", 2: "update", 3: "replace"}


def message_for(agency: Agency, message_id: uuid.UUID, *, with_raw: bool = False) -> Message:
    """A message its sender or one of its recipients may read; 404 for anyone else alike."""
    qs = Message.objects.select_related("sender", "about")
    if not with_raw:
        qs = qs.defer("raw", "about__raw")
    message = qs.filter(Q(sender=agency) | Q(deliveries__recipient=agency), id=message_id).distinct().first()
    if message is None:
        raise NotFound("unknown_message", "No such message for this agency")
    return message


def message_out(message: Message) -> dict[str, Any]:
    return {
        "id": str(message.id),
        "kind": message.kind,
        "document_id": message.document_id,
        "sender": message.sender.code,
        "business_doc_type": message.business_doc_type,
        "status_code": message.status_code or None,
        "about": str(message.about_id) if message.about_id else None,
        "subject": message.subject,
        "notation": message.notation,
        "description": message.description,
        "sha256": message.digest,
        "size": message.size,
        "received_at": message.received_at.isoformat(),
    }


# The columns an inbox item shows (message_out and inbox_item below), for lease_inbox to read and
# no others: a page holds up to a thousand rows, each column is converted in Python, and the
# message a status is about needs no join (its id is on the row). Keep in step with both functions;
# test_inbox_with_edxml checks that building a page's items reads nothing more.
INBOX_ITEM_FIELDS = (
    "id", "created_at", "lease_until", "fetch_count",
    "message__id", "message__kind", "message__document_id", "message__sender__code", "message__business_doc_type",
    "message__status_code", "message__about_id", "message__subject", "message__notation", "message__description",
    "message__digest", "message__size", "message__received_at",
)
INBOX_ITEM_RAW_FIELDS = ("message__raw", "message__receipt", "message__receipt_signature")


def inbox_item(delivery: Delivery, *, with_raw: bool = False) -> dict[str, Any]:
    """One item of a leased inbox page; WITH_RAW adds the original bytes (base64) and the sender's receipt,
    as GET /messages/{id}/edxml gives them."""
    item: dict[str, Any] = {
        "message": message_out(delivery.message),
        "lease_until": delivery.lease_until.isoformat() if delivery.lease_until else None,
        "fetch_count": delivery.fetch_count,
    }
    if with_raw:
        message = delivery.message
        item |= {
            "edxml": b64encode(message.raw),
            "receipt": message.receipt,
            "receipt_signature": message.receipt_signature,
        }
    return item


def delivery_out(delivery: Delivery) -> dict[str, Any]:
    return {
        "state": delivery.state,
        "queued_at": delivery.created_at.isoformat(),
        "first_fetched_at": delivery.first_fetched_at.isoformat() if delivery.first_fetched_at else None,
        "acked_at": delivery.acked_at.isoformat() if delivery.acked_at else None,
        "fetch_count": delivery.fetch_count,
        "push_attempts": delivery.push_attempts,
    }


def _status_out(status: Message) -> dict[str, Any]:
    return {
        "code": status.status_code,
        "meaning": STATUS_CODES.get(status.status_code, ""),
        "description": status.description,
        "sender": status.sender.code,
        "received_at": status.received_at.isoformat(),
        "message_id": str(status.id),
    }


def _subject_of(message: Message) -> Message:
    """The document a trace is about: a status's document; a revoke's or update's original; an answer's."""
    for _ in range(3):  # answer -> request (status 13, revoke, update) -> original
        if not message.about_id or not (message.kind == Kind.STATUS or message.business_doc_type in (DOC_REVOKE, DOC_UPDATE)):
            break
        message = Message.objects.defer("raw").select_related("sender").get(pk=message.about_id)
    return message


def trace(agency: Agency, document: Message) -> dict[str, Any]:
    """The whole history of a document: per recipient, delivery and statuses; revoke/update/replace outcomes.

    The sender sees every recipient; a recipient sees only itself, and only the requests it was sent.
    """
    document = _subject_of(document)
    is_sender = document.sender_id == agency.pk
    deliveries = document.deliveries.select_related("recipient").order_by("recipient__code")
    if not is_sender:
        deliveries = deliveries.filter(recipient=agency)
    requests = (
        Message.objects.defer("raw").select_related("sender")
        .filter(Q(about=document, kind=Kind.DOCUMENT) | Q(about=document, kind=Kind.STATUS, status_code="13"))
    )
    if not is_sender:
        requests = requests.filter(deliveries__recipient=agency)
    asked: dict[uuid.UUID, list[str]] = {}
    request_list = list(requests.order_by("received_at"))
    for message_id, code in Delivery.objects.filter(message__in=request_list).values_list("message_id", "recipient__code"):
        asked.setdefault(message_id, []).append(code)
    statuses = list(
        Message.objects.defer("raw").select_related("sender")
        .filter(kind=Kind.STATUS, about__in=[document, *request_list])
        .exclude(status_code="13")
        .order_by("received_at")
    )
    recipients = []
    for delivery in deliveries:
        # 15/16 about a replacement answer the replace request, not how the document is handled.
        own = [
            s for s in statuses
            if s.sender_id == delivery.recipient_id and s.about_id == document.pk and s.status_code not in ANSWERS
        ]
        recipients.append(
            {
                "organ_id": delivery.recipient.code,
                "delivery": delivery_out(delivery),
                "statuses": [_status_out(s) for s in own],
                "last_status": own[-1].status_code if own else None,
            }
        )
    visible = None if is_sender else {agency.code}
    return {"message": message_out(document), "you_are": "sender" if is_sender else "recipient",
            "recipients": recipients, "requests": [_request_out(r, asked, statuses, visible) for r in request_list]}


def _request_out(request: Message, asked: dict[uuid.UUID, list[str]], statuses: list[Message], visible: set[str] | None) -> dict[str, Any]:
    """A revoke/update/replace request and, per recipient asked (that the caller may see), its answer."""
    answers = []
    for organ_id in sorted(asked.get(request.pk, [])):
        if visible is not None and organ_id not in visible:
            continue
        # Its answer is its 15 or 16: a replacement is a document too, and the 01 or 03 it gets
        # about itself is no answer to the request.
        answer = next(
            (s for s in statuses if s.about_id == request.pk and s.sender.code == organ_id and s.status_code in ANSWERS), None
        )
        answers.append(
            {
                "organ_id": organ_id,
                "outcome": ANSWERS.get(answer.status_code, "pending") if answer else "pending",
                "description": answer.description if answer else "",
            }
        )
    kind = REQUEST_NAMES.get(request.business_doc_type, "revoke") if request.kind == Kind.DOCUMENT else "revoke"
    return {"message_id": str(request.id), "request": kind, "document_id": request.document_id,
            "reason": request.description, "received_at": request.received_at.isoformat(), "answers": answers}


def document_by_id(agency: Agency, document_id: str) -> Message:
    """The document with this DocumentId that `agency` sent or received: the original, or a replacement's own."""
    message = (
        Message.objects.defer("raw").select_related("sender")
        .filter(kind=Kind.DOCUMENT, document_id=document_id, business_doc_type__in=(DOC_NEW, DOC_REPLACE))
        .filter(Q(sender=agency) | Q(deliveries__recipient=agency))
        .distinct()
        .order_by("business_doc_type", "received_at")
        .first()
    )
    if message is None:
        raise NotFound("unknown_document", f"No document {document_id} was sent or received by {agency.code}")
    return message


def sent(agency: Agency, since: Any = None, limit: int = 100) -> QuerySet[Message]:
    qs = Message.objects.defer("raw").select_related("sender", "about").filter(sender=agency)
    if since is not None:
        qs = qs.filter(received_at__gt=since)
    return qs.order_by("received_at")[:limit]


def members() -> QuerySet[Member]:
    return Member.objects.select_related("agency").order_by("agency__code")


def expiring_certificates(within_days: int = 30, *, now: dt.datetime | None = None) -> list[Certificate]:
    """Members' certificates that expire within `within_days`, less those already superseded.

    A certificate is superseded when its agency holds a newer one (registered after it,
    unrevoked, valid now): a renewed member has nothing left to renew, though its old certificate
    still verifies until it expires or is revoked. People's signing certificates are not the
    hub's: they neither show here nor supersede a member's certificate (signing.services.expiring).
    """
    return expiring(within_days, now=now, agencies_only=True)
