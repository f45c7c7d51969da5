"""Counting public page views for the annual report without a write per view.

Each process keeps its counts in memory and adds them to the day's DailyVisits row with one
atomic UPDATE … SET count = count + n every few seconds (or every few hundred views), and once
more when the process exits. A crash loses at most one interval's views of that process: the
report's figure is a count of page views, not an audit record, so that trade buys a surge
that never waits on a write lock.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
import time
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from govoffice.portal import conf
from govoffice.portal.models import DailyVisits

PAGES = ("home", "catalogue", "procedure", "lookup")

_lock = threading.Lock()
_pending: Counter[tuple[str, str]] = Counter()
_state = {"last_flush": time.monotonic(), "views": 0}


def count(page: str) -> None:
    """Count one view of a public page; flushes to the database now and then."""
    day = timezone.localdate().isoformat()
    with _lock:
        _pending[(day, page)] += 1
        _state["views"] += 1
        due = (_state["views"] >= conf.get("visits_flush_views")
               or time.monotonic() - _state["last_flush"] >= conf.get("visits_flush_seconds"))
    if due:
        flush()


def flush() -> int:
    """Write the pending counts (one F() increment per day and page); the number of views written."""
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        _state["views"] = 0
        _state["last_flush"] = time.monotonic()
    for (day, page), n in batch.items():
        add(day, page, n)
    return sum(batch.values())


def add(day: str, page: str, n: int) -> None:
    """Add n views to a day's counter, creating its row the first time."""
    with transaction.atomic():
        if DailyVisits.objects.filter(day=day, page=page).update(count=F("count") + n):
            return
        try:
            with transaction.atomic():
                DailyVisits.objects.create(day=day, page=page, count=n)
        except IntegrityError:  # another process created it first
            DailyVisits.objects.filter(day=day, page=page).update(count=F("count") + n)


def _flush_at_exit() -> None:
    with contextlib.suppress(Exception):  # the database may be gone at exit; these are only counts
        flush()


atexit.register(_flush_at_exit)


def discard() -> None:
    """Forget the pending counts (tests start from nothing)."""
    with _lock:
        _pending.clear()
        _state["views"] = 0
        _state["last_flush"] = time.monotonic()
