"""Every notice to a person goes through send_notice: stored in the caller's transaction, sent after commit."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from govoffice.directory.models import User
from govoffice.lib.errors import DomainError
from govoffice.notify.models import Channel, Notice, NoticeState
from govoffice.notify.sms import SmsError, provider

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# Longer than one send may take (EMAIL_TIMEOUT is 30 s; the SMS gateway's 10 s).
CLAIM = dt.timedelta(minutes=5)


def _address(to: User | str, channel: str) -> str:
    if isinstance(to, str):
        return to.strip()
    return (to.email if channel == Channel.EMAIL else to.phone).strip()


def send_notice(
    *,
    to: User | str,
    subject: str,
    body: str,
    kind: str,
    ref: str = "",
    channels: Iterable[str] = (Channel.EMAIL,),
    actor: Any = None,
) -> list[Notice]:
    """Queue a notice to a person (or a bare address) on each channel they can be reached on."""
    notices: list[Notice] = []
    for channel in channels:
        if channel not in Channel.values:
            raise DomainError("unknown_channel", f"No such notice channel: {channel}", field="channels")
        address = _address(to, channel)
        if not address:
            continue  # a person without a phone number gets no SMS; the other channels still go
        notices.append(Notice.objects.create(
            channel=channel, user=to if isinstance(to, User) else None, address=address,
            subject=subject[:255], body=body, kind=kind[:64], ref=ref[:64]))
    if notices:
        ids = [n.pk for n in notices]
        transaction.on_commit(lambda: _queue(ids))
    return notices


def _queue(ids: list[int]) -> None:
    from govoffice.notify.tasks import deliver

    for pk in ids:
        deliver(pk)


def deliver_notice(notice_id: int) -> str:
    """Send one pending notice; a notice already sent, or being sent by another worker, is left alone.

    The notice is claimed in a short transaction and sent outside it: a slow mail server or SMS
    gateway (up to EMAIL_TIMEOUT / the gateway's timeout) must not keep a write transaction, and on
    SQLite the one writer's turn, open meanwhile. A worker that dies while sending lets the claim
    lapse after CLAIM and the 5-minute sweep sends it again (as a crash after the server accepted
    the message but before the commit always could).
    """
    now = timezone.now()
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.state == NoticeState.SENT:
            return "skipped"
        if notice.claimed_until is not None and notice.claimed_until > now:
            return "skipped"  # another worker is sending it now
        notice.attempts += 1
        notice.claimed_until = now + CLAIM
        notice.save(update_fields=["attempts", "claimed_until"])
    try:
        if notice.channel == Channel.EMAIL:
            send_mail(notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, [notice.address])
        else:
            provider().send(notice.address, f"{notice.subject}\n{notice.body}"[:1000])
    except Exception as exc:
        # A refusal the sender knows (OSError, SmsError) is answered "failed"; anything else (a bug,
        # a misconfigured backend) is raised. Both count, so a notice ends FAILED after MAX_ATTEMPTS.
        known = isinstance(exc, (OSError, SmsError))
        state = NoticeState.FAILED if notice.attempts >= MAX_ATTEMPTS else NoticeState.PENDING
        _settle(notice.pk, last_error=(str(exc) if known else f"{type(exc).__name__}: {exc}")[:500], state=state)
        if known:
            return "failed"
        raise
    except BaseException:
        _settle(notice.pk)  # interrupted: not sent, free for the next try
        raise
    _settle(notice.pk, state=NoticeState.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def _settle(notice_id: int, **fields: Any) -> None:
    """Let the claim go, with what the attempt came to (in a transaction: on SQLite, writers queue)."""
    with transaction.atomic():
        Notice.objects.filter(pk=notice_id).update(claimed_until=None, **fields)


def retry_pending(older_than_minutes: int = 5) -> int:
    """Send again what a crash or an outage left pending; returns how many were tried."""
    cutoff = timezone.now() - dt.timedelta(minutes=older_than_minutes)
    ids = list(Notice.objects.filter(state=NoticeState.PENDING, created_at__lt=cutoff).values_list("pk", flat=True)[:500])
    for pk in ids:
        try:
            deliver_notice(pk)
        except Exception:  # one notice's fault must not hold back the others
            log.exception("notice %s could not be sent", pk)
    return len(ids)
