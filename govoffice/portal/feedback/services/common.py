"""Helpers the feedback services share: locking a row and moving it to a state with its history."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from govoffice.lib.errors import NotFound
from govoffice.portal import public_cache
from govoffice.portal.feedback.models import Feedback, StatusEntry


def locked(pk: int) -> Feedback:
    row = (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("agency", "forwarded_to", "duplicate_of")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise NotFound("not_found", "No such feedback")
    return row


def move(feedback: Feedback, state: str, *, note: str = "", hub_status: str = "", at: dt.datetime | None = None) -> None:
    """Set the state, write its history line and touch updated_at (the caller saves the row)."""
    now = at or timezone.now()
    feedback.state = state
    feedback.updated_at = now
    StatusEntry.objects.create(feedback=feedback, at=now, state=state, hub_status=hub_status, note=note[:500])
    # The portal's lookup page caches public statuses: drop this code's answer once committed.
    public_cache.forget_status_on_commit(feedback.code)
