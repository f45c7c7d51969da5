"""Many documents in one call, many acknowledgements in one call.

Each document of a batch is checked on its own, exactly as a single send is, and answered on
its own: a receipt, the first result of a resend, or its own error. What is shared is the
bookkeeping: one lookup for resends, one transaction with bulk inserts, and one audit event
for the whole batch (it lists every message with its digest), so the audit chain's head is
locked once per batch rather than once per message.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from govoffice.audit.services import record_event
from govoffice.db.binding import server_side_binding
from govoffice.directory.models import Agency, User
from govoffice.exchange.models import Delivery, DeliveryState, Kind, Member, Message
from govoffice.exchange.services.messages import (
    PUSH_GRACE,
    REQUEST_TYPES,
    Accepted,
    _after_commit,
    _original_for,
    _push_recipients,
    _receipt,
    _store,
    fields_for_audit,
    first_fetch,
    require_member,
)
from govoffice.exchange.validation import Lookups, check_document
from govoffice.lib.errors import DomainError
from govoffice.lib.ids import uuid7

# At most this many documents or acknowledgements in one request.
MAX_BATCH = 100


@dataclass
class Item:
    raw: bytes
    idempotency_key: str | None = None


@dataclass
class Outcome:
    """What one item of a batch came to: a message (new or the first one), or an error."""

    accepted: Accepted | None = None
    error: DomainError | None = None


@dataclass
class _Ready:
    index: int
    message: Message
    recipients: list[Agency]
    fields: dict[str, Any]
    lookup: Q


def _key_of(document_id: str, doc_type: int) -> tuple[str, int]:
    return document_id, doc_type


def _by_keys(agency: Agency, keys: set[str]) -> list[Message]:
    """The sender's messages with these Idempotency-Keys.

    The key column comes after the 50 KB body in each row, so the plan matters: it must search the
    (sender, key) unique index once per key, never walk the sender's (sender, received_at) index
    and read every message the sender ever sent (which the model's default ordering by
    received_at would invite: hence `order_by()`). The unique index is partial (keys that are not
    NULL); its condition is stated so that no planner has to infer it from `IN`.
    """
    return list(
        Message.objects.defer("raw")
        .filter(sender=agency, idempotency_key__isnull=False, idempotency_key__in=keys)
        .order_by()
    )


def accept_documents(
    *, agency: Agency, actor: User | None, items: list[Item], member: Member | None = None
) -> list[Outcome]:
    """Check each signed edXML document of a batch on its own; store the good ones together.

    The answer has one outcome per item, in order. A resend (same Idempotency-Key, or the same
    DocumentId and business type) inside the batch or from before returns the first message
    and delivers nothing again, as a single send does.
    """
    if len(items) > MAX_BATCH:
        raise DomainError("batch_too_large", f"At most {MAX_BATCH} messages in one batch", field="messages", status=422)
    if member is None:
        require_member(agency)
    outcomes = [Outcome() for _ in items]
    # Resends by Idempotency-Key: one query for the whole batch.
    keys: set[str] = {i.idempotency_key for i in items if i.idempotency_key}
    by_key = {m.idempotency_key: m for m in _by_keys(agency, keys)} if keys else {}
    checked: list[tuple[int, Any]] = []
    lookups = Lookups()
    for index, item in enumerate(items):
        first = by_key.get(item.idempotency_key) if item.idempotency_key else None
        if first is not None:
            outcomes[index].accepted = Accepted(first, False)
            continue
        try:
            checked.append((index, check_document(item.raw, agency, lookups)))
        except DomainError as exc:
            outcomes[index].error = exc
    # Resends by DocumentId and business type: one query too.
    wanted = {_key_of(c.message.document_id, c.message.business.doc_type) for _, c in checked}
    existing: dict[tuple[str, int], Message] = {}
    if wanted:
        # By DocumentId alone (its own index), the sender and kind checked here: SQLite would
        # otherwise walk the sender's (sender, received_at) index and read every row it has.
        rows = Message.objects.defer("raw").filter(document_id__in={d for d, _ in wanted}).order_by()
        existing = {
            _key_of(m.document_id, m.business_doc_type): m
            for m in rows
            if m.sender_id == agency.pk and m.kind == Kind.DOCUMENT
        }
    ready: list[_Ready] = []
    in_batch: dict[tuple[str, int] | str, _Ready] = {}
    now = timezone.now()
    for index, c in checked:
        item = items[index]
        msg = c.message
        doc_key = _key_of(msg.document_id, msg.business.doc_type)
        earlier = existing.get(doc_key)
        if earlier is not None:
            outcomes[index].accepted = Accepted(earlier, False)
            continue
        twin = in_batch.get(doc_key) or (in_batch.get(item.idempotency_key) if item.idempotency_key else None)
        if twin is not None:
            outcomes[index].accepted = Accepted(twin.message, False)
            continue
        try:
            about = _original_for(agency, msg) if msg.business.doc_type in REQUEST_TYPES else None
        except DomainError as exc:
            outcomes[index].error = exc
            continue
        fields = {
            "business_doc_type": msg.business.doc_type,
            "about": about,
            "subject": msg.subject[:500],
            "notation": f"{msg.code.code_number}/{msg.code.code_notation}"[:100],
            "doc_type": msg.document_type.type,
            "description": msg.business.reason[:500],
        }
        message_id = uuid7()
        digest = hashlib.sha256(item.raw).hexdigest()
        receipt, signature = _receipt(message_id, Kind.DOCUMENT, msg.document_id, digest, now, c.recipients)
        message = Message(
            id=message_id, kind=Kind.DOCUMENT, sender=agency, document_id=msg.document_id, raw=item.raw,
            digest=digest, size=len(item.raw), idempotency_key=item.idempotency_key or None, received_at=now,
            receipt=receipt, receipt_signature=signature, **fields,
        )
        lookup = Q(sender=agency, kind=Kind.DOCUMENT, document_id=msg.document_id, business_doc_type=msg.business.doc_type)
        if item.idempotency_key:
            lookup |= Q(sender=agency, idempotency_key=item.idempotency_key)
        entry = _Ready(index, message, c.recipients, fields, lookup)
        ready.append(entry)
        in_batch[doc_key] = entry
        if item.idempotency_key:
            in_batch[item.idempotency_key] = entry
    if ready:
        _store_batch(agency=agency, actor=actor, ready=ready, items=items, outcomes=outcomes)
    return outcomes


def _store_batch(*, agency: Agency, actor: User | None, ready: list[_Ready], items: list[Item], outcomes: list[Outcome]) -> None:
    now = ready[0].message.received_at
    retry_at = now + PUSH_GRACE
    pushed = _push_recipients([r for e in ready for r in e.recipients])
    try:
        with transaction.atomic():
            with server_side_binding():  # the 50 KB documents go as bytes, not hex in the SQL
                Message.objects.bulk_create([e.message for e in ready])
            Delivery.objects.bulk_create(
                [
                    Delivery(message=e.message, recipient=r, created_at=now, next_push_at=retry_at if r.pk in pushed else None)
                    for e in ready
                    for r in e.recipients
                ]
            )
            record_event(
                "hub.documents_accepted", actor=actor, object_type="exchange.batch", object_id=str(uuid.uuid4()),
                agency=agency.code,
                data={
                    "count": len(ready),
                    "messages": [
                        {
                            "id": str(e.message.id), "document_id": e.message.document_id, "sha256": e.message.digest,
                            "to": [r.code for r in e.recipients], **fields_for_audit(e.fields),
                        }
                        for e in ready
                    ],
                },
            )
            for e in ready:
                transaction.on_commit(
                    lambda e=e: _after_commit(e.message, e.recipients, any(r.pk in pushed for r in e.recipients))  # type: ignore[misc]
                )
    except IntegrityError:
        # A concurrent request stored one of these first: store them one by one, each
        # answered with its own result (the first message for the one that lost the race).
        for e in ready:
            item = items[e.index]
            try:
                outcomes[e.index].accepted = _store(
                    agency=agency, actor=actor, kind=Kind.DOCUMENT, raw=item.raw, document_id=e.message.document_id,
                    recipients=e.recipients, idempotency_key=item.idempotency_key, fields=e.fields, lookup=e.lookup,
                )
            except IntegrityError:
                outcomes[e.index].error = DomainError("conflict", "This message clashes with another one sent at the same time", status=409)
        return
    for e in ready:
        outcomes[e.index].accepted = Accepted(e.message, True)


@dataclass
class AckOutcome:
    message_id: uuid.UUID
    delivery: Delivery | None = None
    error: DomainError | None = None


def acknowledge_many(*, agency: Agency, actor: User | None, message_ids: list[uuid.UUID]) -> list[AckOutcome]:
    """The recipient confirms many messages at once; each is answered on its own, twice is harmless."""
    if len(message_ids) > MAX_BATCH * 10:
        raise DomainError("batch_too_large", f"At most {MAX_BATCH * 10} acknowledgements in one request", field="message_ids", status=422)
    now = timezone.now()
    with transaction.atomic():
        deliveries = {
            d.message_id: d
            for d in Delivery.objects.select_for_update().filter(message_id__in=set(message_ids), recipient=agency)
        }
        pending = [d for d in deliveries.values() if d.state != DeliveryState.ACKED]
        if pending:
            Delivery.objects.filter(id__in=[d.id for d in pending]).update(
                state=DeliveryState.ACKED, acked_at=now, lease_until=None, first_fetched_at=first_fetch(now)
            )
            for d in pending:
                d.state, d.acked_at, d.lease_until = DeliveryState.ACKED, now, None
                d.first_fetched_at = d.first_fetched_at or now
            record_event(
                "hub.deliveries_acked", actor=actor, object_type="exchange.batch", object_id=str(uuid.uuid4()),
                agency=agency.code, data={"count": len(pending), "messages": sorted(str(d.message_id) for d in pending)},
            )
    out = []
    for message_id in message_ids:
        delivery = deliveries.get(message_id)
        if delivery is None:
            out.append(AckOutcome(message_id, error=DomainError("unknown_message", "No such message for this agency", status=404)))
        else:
            out.append(AckOutcome(message_id, delivery))
    return out
