"""Writing to the audit log and verifying it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.utils import timezone

from govoffice.audit.chain import GENESIS, event_hash
from govoffice.audit.models import ChainHead, Event


def _json_safe(data: Any) -> Any:
    # Round-trip once so that what is hashed is exactly what the JSON column gives back.
    return json.loads(json.dumps(data, ensure_ascii=False, default=str, sort_keys=True))


def record_event(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    agency: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event to the chain; must run inside the transaction of the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("record_event must be called inside the state change's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor_id = getattr(actor, "pk", None)
    actor_name = getattr(actor, "username", "") if actor is not None else "system"
    if not agency and actor is not None and getattr(actor, "agency_id", None):
        agency = actor.agency.code
    payload = _json_safe(data or {})
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    at = timezone.now()
    seq = head.seq + 1
    digest = event_hash(
        seq=seq,
        at=at,
        actor_id=actor_id,
        actor=actor_name,
        agency=agency,
        action=action,
        object_type=object_type,
        object_id=object_id,
        data=payload,
        prev_hash=head.hash,
    )
    event = Event.objects.create(
        seq=seq,
        at=at,
        actor_id=actor_id,
        actor=actor_name,
        agency=agency,
        action=action,
        object_type=object_type,
        object_id=object_id,
        data=payload,
        prev_hash=head.hash,
        hash=digest,
    )
    ChainHead.objects.filter(id=1).update(seq=seq, hash=digest)
    return event


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain(batch: int = 5000) -> Verdict:
    """Walk the whole chain; report the first link that was edited, inserted or deleted."""
    # No lock and no long transaction: the head is read first and only events up to it are
    # walked. An event and the head move in one transaction, so every event up to the head
    # read here is already committed; events written during the walk are left for next time.
    head = ChainHead.objects.filter(id=1).first()
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else GENESIS
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    while True:
        rows = list(Event.objects.filter(seq__gt=last_seq, seq__lte=head_seq).order_by("seq")[:batch])
        if not rows:
            break
        for row in rows:
            problem = _check_link(row, expected_seq, expected_prev)
            if problem is not None:
                return Verdict(False, checked, *problem)
            expected_prev = row.hash
            expected_seq += 1
            checked += 1
            last_seq = row.seq
    if head_seq != checked or head_hash != expected_prev:
        return Verdict(
            False,
            checked,
            checked + 1 if head_seq > checked else head_seq,
            f"the chain ends at #{checked} but its head records #{head_seq}: "
            "events were removed from the end or the head was altered",
        )
    return Verdict(True, checked)


def _check_link(row: Event, expected_seq: int, expected_prev: str) -> tuple[int, str] | None:
    if row.seq != expected_seq:
        if row.seq > expected_seq:
            return expected_seq, f"event #{expected_seq} is missing"
        return row.seq, f"event #{row.seq} is out of sequence"
    if row.prev_hash != expected_prev:
        return row.seq, f"event #{row.seq} does not point to the event before it"
    recomputed = event_hash(
        seq=row.seq,
        at=row.at,
        actor_id=row.actor_id,
        actor=row.actor,
        agency=row.agency,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        data=row.data,
        prev_hash=row.prev_hash,
    )
    if recomputed != row.hash:
        return row.seq, f"event #{row.seq} was altered (hash mismatch)"
    return None
