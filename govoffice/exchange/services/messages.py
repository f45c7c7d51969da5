"""Accepting documents and statuses, and handing them to their recipients."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from govoffice_agent import edxml

from govoffice.audit.services import record_event
from govoffice.db.binding import server_side_binding
from govoffice.directory.models import Agency, User
from govoffice.exchange import signals
from govoffice.exchange.models import Delivery, DeliveryState, Kind, Member, Message
from govoffice.exchange.receipts import make_receipt
from govoffice.exchange.selectors import INBOX_ITEM_FIELDS, INBOX_ITEM_RAW_FIELDS
from govoffice.exchange.validation import check_document, check_status
from govoffice.lib.errors import Conflict, DomainError, Forbidden, NotFound
from govoffice.lib.ids import uuid7

log = logging.getLogger(__name__)
REQUEST_TYPES = (edxml.DOC_REVOKE, edxml.DOC_UPDATE, edxml.DOC_REPLACE)
RECIPIENT_CODES = {"01", "02", "03", "04", "05", "06"}
ANSWER_CODES = {"15", "16"}
# What a revoke, update, replace or status 13 can be about: a document, or a replacement (it has its own DocumentId).
ORIGINAL_TYPES = (edxml.DOC_NEW, edxml.DOC_REPLACE)
# A push delivery is tried at once after commit; should that try never run (the process died
# between commit and enqueue), the periodic retry picks the delivery up after this grace.
PUSH_GRACE = dt.timedelta(minutes=2)


@dataclass
class Accepted:
    message: Message
    created: bool


def require_member(agency: Agency) -> Member:
    member = Member.objects.filter(agency=agency, active=True).first()
    if member is None:
        raise Forbidden("not_a_member", f"{agency.code} is not an active member of the hub")
    return member


def _replay(agency: Agency, idempotency_key: str | None) -> Message | None:
    if not idempotency_key:
        return None
    return Message.objects.defer("raw").filter(sender=agency, idempotency_key=idempotency_key).first()


def _receipt(message_id: uuid.UUID, kind: str, document_id: str, digest: str, at: dt.datetime, to: list[Agency]) -> tuple[str, str]:
    return make_receipt(
        {
            "hub": settings.PUBLIC_URL,
            "message_id": str(message_id),
            "kind": kind,
            "document_id": document_id,
            "sha256": digest,
            "received_at": at.isoformat(),
            "recipients": [a.code for a in to],
        }
    )


def _store(
    *,
    agency: Agency,
    actor: User | None,
    kind: str,
    raw: bytes,
    document_id: str,
    recipients: list[Agency],
    idempotency_key: str | None,
    fields: dict[str, Any],
    lookup: Q,
) -> Accepted:
    """Write the message, its deliveries and its audit event in one transaction."""
    message_id = uuid7()
    now = timezone.now()
    digest = hashlib.sha256(raw).hexdigest()
    # Signed before the transaction: the write lock is held only for the inserts.
    receipt, signature = _receipt(message_id, kind, document_id, digest, now, recipients)
    message = Message(
        id=message_id, kind=kind, sender=agency, document_id=document_id, raw=raw, digest=digest,
        size=len(raw), idempotency_key=idempotency_key or None, received_at=now,
        receipt=receipt, receipt_signature=signature, **fields,
    )
    pushed = _push_recipients(recipients)
    retry_at = now + PUSH_GRACE
    try:
        with transaction.atomic():
            with server_side_binding():  # the document goes as bytes, not hex in the SQL
                message.save(force_insert=True)
            Delivery.objects.bulk_create(
                [
                    Delivery(message=message, recipient=r, created_at=now, next_push_at=retry_at if r.pk in pushed else None)
                    for r in recipients
                ]
            )
            record_event(
                f"hub.{kind}_accepted", actor=actor, obj=message, agency=agency.code,
                data={"document_id": document_id, "sha256": digest, "to": [r.code for r in recipients], **fields_for_audit(fields)},
            )
            transaction.on_commit(lambda: _after_commit(message, recipients, bool(pushed)))
    except IntegrityError:
        # Another request carrying the same message won the race: answer with its result.
        existing = Message.objects.defer("raw").filter(lookup).first()
        if existing is None:
            raise
        return Accepted(existing, False)
    return Accepted(message, True)


def _push_recipients(recipients: list[Agency]) -> set[int]:
    """The recipients that take deliveries by push, from the member rows the checks loaded when they did."""
    cached = Agency.hub_member  # the reverse one-to-one, filled by Member.objects.select_related("agency")
    if all(cached.is_cached(r) for r in recipients):
        members = [getattr(r, "hub_member", None) for r in recipients]
        return {m.agency_id for m in members if m is not None and m.active and m.push_url}
    return set(
        Member.objects.filter(agency__in=recipients, active=True).exclude(push_url="").values_list("agency_id", flat=True)
    )


def fields_for_audit(fields: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in fields.items() if k in ("business_doc_type", "status_code")}
    if fields.get("about") is not None:
        out["about"] = str(fields["about"].pk)
    return out


def _after_commit(message: Message, recipients: list[Agency], push: bool) -> None:
    """After the message's commit: queue its pushes and tell the subscribing apps.

    The message is stored and the sender is answered whatever happens here: a failure is
    logged, not raised, so it neither turns the answer into a 500 nor keeps the other messages
    of a batch from their own turn (Django drops the callbacks after one that raises). Pushes
    not queued are picked up by the periodic retry after PUSH_GRACE; documents not registered by
    the records sweep.
    """
    from govoffice.exchange.services.push import queue_pushes

    if push:  # most members pull: no query for them
        try:
            queue_pushes(message)
        except Exception:
            log.exception("queueing the pushes of message %s failed; the periodic retry will push it", message.pk)
    tell_subscribers(message, recipients)


def tell_subscribers(message: Message, recipients: list[Agency]) -> None:
    """Tell the apps that subscribe to the hub (records, portal, supervision) of a stored message.

    Robustly: one app's failure is logged with its traceback and keeps neither the others nor
    the message's acknowledgement from going ahead (each app has its own sweep or trail).
    """
    if message.kind == Kind.DOCUMENT:
        answers = signals.document_accepted.send_robust(sender=Message, message=message, recipients=recipients)
    else:
        answers = signals.status_accepted.send_robust(sender=Message, status=message, document=message.about)
    for receiver, result in answers:
        if isinstance(result, Exception):
            log.error("%s failed on message %s", getattr(receiver, "__qualname__", receiver), message.pk, exc_info=result)


def accept_document(
    *, agency: Agency, actor: User | None, raw: bytes, idempotency_key: str | None = None, member: Member | None = None
) -> Accepted:
    """Check a signed edXML document from `agency`, keep it byte for byte, queue it for each recipient.

    A resend (same Idempotency-Key, or the same DocumentId and business type from the same
    sender) returns the first result and delivers nothing again.
    """
    if member is None:  # the API passes the member its authentication already loaded
        require_member(agency)
    replay = _replay(agency, idempotency_key)
    if replay is not None:
        return Accepted(replay, False)
    checked = check_document(raw, agency)
    msg = checked.message
    doc_type = msg.business.doc_type
    lookup = Q(sender=agency, kind=Kind.DOCUMENT, document_id=msg.document_id, business_doc_type=doc_type)
    if idempotency_key:
        lookup |= Q(sender=agency, idempotency_key=idempotency_key)
    # A resend of the same DocumentId is caught by the unique constraint in _store, which
    # then answers with the first message: no lookup on the way in.
    about = _original_for(agency, msg) if doc_type in REQUEST_TYPES else None
    fields = {
        "business_doc_type": doc_type,
        "about": about,
        "subject": msg.subject[:500],
        "notation": f"{msg.code.code_number}/{msg.code.code_notation}"[:100],
        "doc_type": msg.document_type.type,
        "description": msg.business.reason[:500],
    }
    return _store(
        agency=agency, actor=actor, kind=Kind.DOCUMENT, raw=raw, document_id=msg.document_id,
        recipients=checked.recipients, idempotency_key=idempotency_key, fields=fields, lookup=lookup,
    )


def _original_for(agency: Agency, msg: edxml.Message) -> Message:
    """The document a revoke, update or replace is about; it must be the sender's own."""
    wanted = msg.business.replaces if msg.business.doc_type == edxml.DOC_REPLACE else [msg.document_id]
    if not wanted:
        raise DomainError("invalid_structure", "A replacement must name the document it replaces (ReplacementInfoList)", status=422)
    original = (
        Message.objects.defer("raw")
        .filter(sender=agency, kind=Kind.DOCUMENT, business_doc_type__in=ORIGINAL_TYPES, document_id__in=wanted)
        .order_by("business_doc_type", "received_at")
        .first()
    )
    if original is None:
        raise NotFound("unknown_document", f"{agency.code} sent no document {wanted[0]} to take back, update or replace")
    if msg.business.doc_type == edxml.DOC_REVOKE:
        # A document is taken back from those who have it. (An update may reach new recipients:
        # correcting the distribution list is one reason to send it; a replacement is a new document.)
        had = set(Delivery.objects.filter(message=original).values_list("recipient__code", flat=True))
        strangers = sorted({org.organ_id for org in msg.to} - had)
        if strangers:
            raise DomainError(
                "not_a_recipient_of_document",
                f"{', '.join(strangers)} never received {original.document_id}: there is nothing to take back there",
                field="To", status=422,
            )
    return original


def accept_status(
    *, agency: Agency, actor: User | None, raw: bytes, idempotency_key: str | None = None, member: Member | None = None
) -> Accepted:
    """Check a signed status message and route it: a recipient's to the sender, a sender's to the recipients."""
    if member is None:  # the API passes the member its authentication already loaded
        require_member(agency)
    replay = _replay(agency, idempotency_key)
    if replay is not None:
        return Accepted(replay, False)
    checked = check_status(raw, agency)
    status = checked.status
    digest = hashlib.sha256(raw).hexdigest()
    lookup = Q(sender=agency, kind=Kind.STATUS, digest=digest)
    if idempotency_key:
        lookup |= Q(sender=agency, idempotency_key=idempotency_key)
    existing = Message.objects.defer("raw").filter(lookup).first()
    if existing is not None:
        return Accepted(existing, False)
    about, targets = _route_status(agency, status)
    fields = {"status_code": status.status_code, "about": about, "description": status.description[:500]}
    try:
        return _store(
            agency=agency, actor=actor, kind=Kind.STATUS, raw=raw, document_id=status.response_for.document_id,
            recipients=targets, idempotency_key=idempotency_key, fields=fields, lookup=lookup,
        )
    except IntegrityError as exc:
        # Only the one-answer-per-request constraint is left to fail here: another answer by
        # this recipient to the same request was stored in the meantime.
        raise Conflict("already_answered", f"{agency.code} has already answered this request about {about.document_id}") from exc


def _route_status(agency: Agency, status: edxml.Status) -> tuple[Message, list[Agency]]:
    doc_id = status.response_for.document_id
    code = status.status_code
    documents = Message.objects.defer("raw").filter(kind=Kind.DOCUMENT, document_id=doc_id)
    if code == "13":
        original = documents.filter(sender=agency, business_doc_type__in=ORIGINAL_TYPES).order_by("business_doc_type", "received_at").first()
        if original is None:
            raise NotFound("unknown_document", f"{agency.code} sent no document {doc_id}")
        return original, [d.recipient for d in original.deliveries.select_related("recipient")]
    if code in ANSWER_CODES:
        request = _open_request(agency, doc_id)
        return request, [request.sender]
    if code not in RECIPIENT_CODES:
        raise DomainError("invalid_status_code", f"Status {code} cannot be sent here", status=422)
    document = documents.filter(deliveries__recipient=agency).order_by("business_doc_type", "received_at").first()
    if document is None:
        if documents.filter(sender=agency).exists():
            raise Forbidden("not_a_recipient", f"Status {code} is sent by a recipient of {doc_id}, not by its sender")
        raise NotFound("unknown_document", f"No document {doc_id} was delivered to {agency.code}")
    return document, [document.sender]


def _open_request(agency: Agency, doc_id: str) -> Message:
    """The latest revoke/update/replace (or status 13) about `doc_id` delivered to `agency` and not yet answered by it.

    A replacement may be answered by its own DocumentId or by the one it replaces.
    """
    requests = list(
        Message.objects.defer("raw")
        .filter(deliveries__recipient=agency)
        .filter(
            Q(kind=Kind.DOCUMENT, business_doc_type__in=REQUEST_TYPES) & (Q(document_id=doc_id) | Q(about__document_id=doc_id))
            | Q(kind=Kind.STATUS, status_code="13", document_id=doc_id)
        )
        .select_related("sender")
        .order_by("-received_at")[:100]
    )
    if not requests:
        raise Conflict("no_open_request", f"Nobody asked {agency.code} to take back, update or replace {doc_id}")
    answered = set(
        Message.objects.filter(kind=Kind.STATUS, sender=agency, about__in=requests, status_code__in=ANSWER_CODES)
        .values_list("about_id", flat=True)
    )
    for request in requests:
        if request.pk not in answered:
            return request
    raise Conflict("already_answered", f"{agency.code} has already answered every request about {doc_id}")


# A page of the inbox that carries the documents themselves holds at most this many bytes of
# them (but always one document, whatever its size): a page of a thousand 20 MB documents would
# be 27 GB of JSON.
INBOX_DOCUMENT_BYTES = 16 * 1024 * 1024


def first_fetch(now: dt.datetime) -> Coalesce:
    """`first_fetched_at` for an UPDATE that hands a delivery out: kept if set, else now.

    One statement instead of a second UPDATE of the rows still unfetched: on PostgreSQL each
    UPDATE writes a new version of every row it touches.
    """
    return Coalesce(F("first_fetched_at"), Value(now, output_field=DateTimeField()))


def lease_inbox(
    agency: Agency, *, limit: int = 100, lease_seconds: int | None = None, with_raw: bool = False
) -> list[Delivery]:
    """Hand out up to `limit` pending deliveries for a while; unacknowledged ones come back later.

    With `with_raw` the messages' original bytes are loaded too (one query for the page instead of
    one request per document), and the page holds at most INBOX_DOCUMENT_BYTES of them (but always
    one): what is not handed out is not leased either, so it waits for the next call.
    """
    now = timezone.now()
    lease = dt.timedelta(seconds=lease_seconds or settings.EXCHANGE["lease_seconds"])
    with transaction.atomic():
        due = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(recipient=agency, state=DeliveryState.PENDING)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .order_by("created_at", "id")
        )
        if with_raw:
            ids: list[int] = []
            total = 0
            # The size comes from a join: only the deliveries are locked (`of`), never the message,
            # which another recipient of it may be leasing at the same moment. Rows read past the
            # budget stay locked until the commit without being leased: a concurrent poller of the
            # same agency skips them for a moment (nothing is lost or handed out twice).
            sized = due.select_for_update(skip_locked=True, of=("self",)).values_list("id", "message__size")
            for delivery_id, size in sized[:limit]:
                if ids and total + size > INBOX_DOCUMENT_BYTES:
                    break
                ids.append(delivery_id)
                total += size
        else:
            ids = list(due.values_list("id", flat=True)[:limit])
        if ids:
            Delivery.objects.filter(id__in=ids).update(
                lease_until=now + lease, fetch_count=F("fetch_count") + 1, first_fetched_at=first_fetch(now)
            )
    fields = INBOX_ITEM_FIELDS + (INBOX_ITEM_RAW_FIELDS if with_raw else ())
    return list(
        Delivery.objects.select_related("message", "message__sender")
        .only(*fields)
        .filter(id__in=ids)
        .order_by("created_at", "id")
    )


def acknowledge(*, agency: Agency, actor: User | None, message_id: uuid.UUID) -> Delivery:
    """The recipient confirms it has the message; acknowledging twice is harmless."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .filter(message_id=message_id, recipient=agency)
            .first()
        )
        if delivery is None:
            raise NotFound("unknown_message", "No such message for this agency")
        if delivery.state == DeliveryState.ACKED:
            return delivery
        now = timezone.now()
        delivery.state = DeliveryState.ACKED
        delivery.acked_at = now
        delivery.lease_until = None
        delivery.first_fetched_at = delivery.first_fetched_at or now
        delivery.save(update_fields=["state", "acked_at", "lease_until", "first_fetched_at"])
        record_event("hub.delivery_acked", actor=actor, obj=delivery, agency=agency.code, data={"message": str(message_id)})
    return delivery
