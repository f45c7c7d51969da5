"""Push delivery: the hub POSTs to a member's URL until it answers 2xx, backing off between tries."""

from __future__ import annotations

import datetime as dt
import logging
import time

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from govoffice.exchange.models import Delivery, DeliveryState, Member, Message
from govoffice.exchange.services.messages import PUSH_GRACE, acknowledge

log = logging.getLogger(__name__)
BASE_DELAY = 30  # seconds; doubles each failed try, capped at MAX_DELAY
MAX_DELAY = 3600
RUN_BUDGET = 45.0  # seconds a retry run may spend (a run starts every minute)
# A try holds its delivery for this long (next_push_at moves on by it before the POST); a row
# whose next try lies further ahead than PUSH_GRACE is held by another try, or backing off.
# Far longer than any POST lasts (15 s a phase): an overlapping retry run or a late immediate
# push leaves it alone. A worker that dies mid-try delays the next one by this much, no more.
CLAIM = dt.timedelta(minutes=10)


def backoff(attempts: int) -> dt.timedelta:
    # The exponent is capped so that a delivery tried for weeks does not build huge integers.
    return dt.timedelta(seconds=min(BASE_DELAY * 2 ** min(max(attempts - 1, 0), 16), MAX_DELAY))


def queue_pushes(message: Message) -> None:
    """After commit: try each push member's delivery now (in the worker)."""
    from govoffice.exchange.tasks import push_delivery

    push_ids = list(
        Delivery.objects.filter(message=message, recipient__hub_member__push_url__gt="", recipient__hub_member__active=True)
        .values_list("id", flat=True)
    )
    for delivery_id in push_ids:
        push_delivery(delivery_id)


def push_once(delivery_id: int, client: httpx.Client | None = None) -> bool:
    """One try at pushing a delivery; True when the member took it (and it is acknowledged)."""
    return _try(delivery_id, client) == TOOK


# What a try came to. DOWN: the member's host failed (no answer, 5xx, 408, 429), so its other
# deliveries would fail too; REFUSED: it answered and refused this delivery (another 4xx, or a
# header httpx cannot send), which says nothing of the others; LEFT: not this try's to make.
TOOK, DOWN, REFUSED, LEFT = "took", "down", "refused", "left"
# The split is read from the error a failed try records (Delivery.last_error), here for one
# try and in SQL for the member's others: "HTTP 4xx" but 408 and 429 (which say "not now", not
# "not this one"), or "ValueError: …".
_BUSY_ERRORS = ("HTTP 408", "HTTP 429")
_REFUSED_ERROR = (Q(last_error__startswith="HTTP 4") & ~Q(last_error__in=_BUSY_ERRORS)) | Q(last_error__startswith="ValueError")


def _refused(error: str) -> bool:
    """The member refused this delivery (not down): the Python side of _REFUSED_ERROR."""
    return (error.startswith("HTTP 4") and error not in _BUSY_ERRORS) or error.startswith("ValueError")


def _try(delivery_id: int, client: httpx.Client | None) -> str:
    delivery = Delivery.objects.select_related("message", "message__sender", "recipient").filter(pk=delivery_id).first()
    if delivery is None or delivery.state == DeliveryState.ACKED:
        return TOOK
    member = Member.objects.filter(agency=delivery.recipient, active=True).first()
    if member is None or not member.push_url:
        # Revoked, or pulls now: stop retrying, or these rows would crowd the front of due_pushes.
        Delivery.objects.filter(pk=delivery_id, next_push_at__isnull=False).update(next_push_at=None)
        return LEFT
    # Claim the try: only the caller that moves next_push_at on from what it read pushes now.
    # Two retry runs that overlap (each may take minutes against a silent host), or a retry run
    # and the immediate push, would otherwise POST the same document twice and count two tries.
    now = timezone.now()
    due = delivery.next_push_at
    if due is not None and due > now + PUSH_GRACE:
        return LEFT  # held by a try under way, or backing off
    if delivery.push_attempts == 0 and _wait_for_failing_member(delivery_id, due, delivery.recipient_id, now):
        return DOWN  # the member's pushes are failing: this one waits for their next try
    pending = Delivery.objects.filter(pk=delivery_id, state=DeliveryState.PENDING)
    claimed = pending.filter(next_push_at__isnull=True) if due is None else pending.filter(next_push_at=due)
    if not claimed.update(next_push_at=now + CLAIM):
        return LEFT  # another try claimed it first, or it was acknowledged meanwhile
    message = delivery.message
    headers = {
        "Content-Type": "application/xml",
        "X-Govoffice-Message-Id": str(message.id),
        "X-Govoffice-Kind": message.kind,
        "X-Govoffice-Sender": message.sender.code,
        "X-Govoffice-Receipt": message.receipt,
        "X-Govoffice-Receipt-Signature": message.receipt_signature,
    }
    error = ""
    try:
        own = client or httpx.Client(timeout=15)
        try:
            response = own.post(member.push_url, content=bytes(message.raw), headers=headers)
        finally:
            if client is None:
                own.close()
        if 200 <= response.status_code < 300:
            acknowledge(agency=delivery.recipient, actor=None, message_id=message.id)
            return TOOK
        error = f"HTTP {response.status_code}"
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        # ValueError: a header or URL httpx cannot encode; recorded like any failed try, never lost.
        # Any ValueError (UnicodeEncodeError included) is written as one, as _REFUSED_ERROR reads it.
        error = f"{'ValueError' if isinstance(exc, ValueError) else type(exc).__name__}: {exc}"[:500]
    _record_failure(delivery_id, error)
    return REFUSED if _refused(error) else DOWN


def _wait_for_failing_member(delivery_id: int, due: dt.datetime | None, recipient: int, now: dt.datetime) -> bool:
    """A first try to a member whose pushes are failing (another delivery of its backing off) waits
    for that one's next try instead (True): a host that is down then costs the workers one timeout
    a retry run, not one a document."""
    retry_at = (
        Delivery.objects.filter(recipient_id=recipient, state=DeliveryState.PENDING, push_attempts__gt=0, next_push_at__gt=now)
        .exclude(pk=delivery_id)
        .exclude(_REFUSED_ERROR)  # one delivery the member refuses does not hold up its others
        .aggregate(first=Min("next_push_at"))["first"]
    )
    if retry_at is None:
        return False
    pending = Delivery.objects.filter(pk=delivery_id, state=DeliveryState.PENDING)
    (pending.filter(next_push_at__isnull=True) if due is None else pending.filter(next_push_at=due)).update(next_push_at=retry_at)
    return True


def _record_failure(delivery_id: int, error: str) -> None:
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        delivery.push_attempts += 1
        delivery.last_error = error
        limit = settings.EXCHANGE["push_max_attempts"]  # 0: until acknowledged
        if not limit or delivery.push_attempts < limit:
            delivery.next_push_at = timezone.now() + backoff(delivery.push_attempts)
        else:
            delivery.next_push_at = None  # given up: the member can still pull it
        delivery.save(update_fields=["push_attempts", "last_error", "next_push_at"])
    log.warning("push of delivery %s failed (%s)", delivery_id, error)


def due_pushes(limit: int = 500) -> list[int]:
    return [delivery_id for delivery_id, _ in _due(limit)]


def _due(limit: int) -> list[tuple[int, int]]:
    """The deliveries whose next try is due, oldest first, with their recipients."""
    now = timezone.now()
    return list(
        Delivery.objects.filter(state=DeliveryState.PENDING, next_push_at__lte=now)
        # On a tie (a member's waiting deliveries share its failing one's next try), the most
        # backed-off goes first: if the host is still down, it alone pays the timeout and the
        # others stay at its pace, not the 30 s of a first failure.
        .order_by("next_push_at", "-push_attempts", "id")
        .values_list("id", "recipient_id")[:limit]
    )


def retry_pushes(limit: int = 500, budget: float = RUN_BUDGET, client: httpx.Client | None = None) -> int:
    """Try the due pushes once each, within `budget` seconds; returns how many were tried.

    A member whose push fails is not tried again in this run: its other due deliveries wait
    until the failed one's next try, so a host that is down costs one timeout a run, not one a
    delivery, and does not hold the front of the queue against the other members. One
    delivery's error is logged and does not stop the run.
    """
    started = time.monotonic()
    failing: set[int] = set()
    tried = 0
    for delivery_id, recipient in _due(limit):
        if recipient in failing:
            continue
        if tried and time.monotonic() - started > budget:
            break  # the next run (a minute on) takes the rest: runs do not pile up on a slow host
        tried += 1
        try:
            if _try(delivery_id, client) != DOWN:
                continue  # taken, refused on its own, or another try's to make (an overlapping run's claim)
        except Exception:  # a database hiccup on one row: the others still get their try
            log.exception("push of delivery %s could not be tried", delivery_id)
            continue
        failing.add(recipient)
        _defer_member(delivery_id, recipient)
    return tried


def _defer_member(failed_id: int, recipient: int) -> None:
    """Move the member's other due deliveries to the failed one's next try (not counted as tries)."""
    until = Delivery.objects.filter(pk=failed_id).values_list("next_push_at", flat=True).first()
    if until is None or until <= timezone.now():
        return  # acknowledged meanwhile, set aside (the member pulls now), or not scheduled
    Delivery.objects.filter(
        recipient_id=recipient, state=DeliveryState.PENDING, next_push_at__lte=timezone.now()
    ).update(next_push_at=until)
