"""Working days: Monday to Friday less Vietnam's public holidays, with configured changes.

Every deadline in govoffice comes from here. The public holidays come from the `holidays`
library (Vietnam, including the lunar Tết and Hùng Kings days); an office adds the days the
Government announces each year (extra days off, make-up working Saturdays) by configuration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays


def _dates(values: Iterable[str | dt.date]) -> frozenset[dt.date]:
    out = set()
    for value in values:
        out.add(value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value).strip()))
    return frozenset(out)


class WorkCalendar:
    """A calendar of working days; immutable, so one instance can be shared."""

    def __init__(
        self,
        extra_holidays: Iterable[str | dt.date] = (),
        removed_holidays: Iterable[str | dt.date] = (),
        extra_workdays: Iterable[str | dt.date] = (),
    ) -> None:
        self.extra_holidays = _dates(extra_holidays)
        self.removed_holidays = _dates(removed_holidays)
        self.extra_workdays = _dates(extra_workdays)

    @staticmethod
    @lru_cache(maxsize=64)
    def _national(year: int) -> frozenset[dt.date]:
        return frozenset(holidays.country_holidays("VN", years=year).keys())

    @staticmethod
    @lru_cache(maxsize=64)
    def _make_up_saturdays(year: int) -> frozenset[dt.date]:
        # Weekend days the Government turned into working days to bridge a holiday.
        days = holidays.country_holidays("VN", years=year).weekend_workdays
        return frozenset(d for d in days if d.year == year)

    def is_holiday(self, day: dt.date) -> bool:
        if day in self.extra_holidays:
            return True
        return day in self._national(day.year) and day not in self.removed_holidays

    def is_workday(self, day: dt.date) -> bool:
        if day in self.extra_workdays or day in self._make_up_saturdays(day.year):
            return True
        return day.weekday() < 5 and not self.is_holiday(day)

    def add(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start` (before it when negative); 0 = next working day on or after."""
        step = 1 if days >= 0 else -1
        day = start
        if days == 0:
            while not self.is_workday(day):
                day += dt.timedelta(days=1)
            return day
        remaining = abs(days)
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_workday(day):
                remaining -= 1
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative if end is earlier)."""
        if end < start:
            return -self.between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def holidays_in(self, year: int) -> list[dt.date]:
        days = (set(self._national(year)) - self.removed_holidays) | {
            d for d in self.extra_holidays if d.year == year
        }
        return sorted(days)
