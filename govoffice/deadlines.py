"""The office's working-day calendar, built once from settings.WORKDAYS."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from govoffice.lib.workdays import WorkCalendar


@cache
def calendar() -> WorkCalendar:
    """The configured calendar (Vietnam's holidays plus the office's announced changes)."""
    conf = settings.WORKDAYS
    return WorkCalendar(conf["extra_holidays"], conf["removed_holidays"], conf["extra_workdays"])
