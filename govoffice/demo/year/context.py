"""What every area's demo-year generator receives: the year, the scale, seeded randomness, the cast.

Each area has `govoffice/demo/year/<area>.py` with `generate(ctx: YearContext) -> None`. A
generator must give the same rows for the same seed and scale, insert in bulk, and make data
from which the area's `annual_figures(year)` reads back SEED[key] x scale (rounded).
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from govoffice.directory.models import Agency, User

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# The figures the Government Office reported for 2019 (../shared/seed/ and DOMAIN.md), at scale 1.
SEED: dict[str, float] = {
    "documents_received": 120_000,
    "submissions": 14_000,
    "documents_issued": 26_000,
    "hub_members_connected": 95,
    "hub_members_total": 95,
    "hub_documents_exchanged": 1_000_000,
    "cabinet_sessions": 8,
    "cabinet_ballots": 176,
    "feedback_citizen_received": 5_571,
    "feedback_citizen_in_scope": 229,
    "feedback_business_received": 1_175,
    "feedback_business_forwarded": 936,
    "tasks_overdue_rate": 2.07,
    "inspections": 18,
    "inspected_ministries": 24,
    "inspected_provinces": 17,
}

Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    pass


@dataclass
class YearContext:
    year: int
    scale: float
    seed: int
    office: Agency  # the Government Office, 000.00.00.G22
    members: list[Agency]  # the agencies enrolled on the hub (the 95 ministries and provinces)
    people: dict[str, User]  # the demo logins, by username
    progress: Progress = _quiet
    notes: list[str] = field(default_factory=list)  # lines the command prints at the end

    def rng_for(self, area: str) -> random.Random:
        """A generator of its own per area and year: adding an area never changes another's data, and two years differ."""
        return random.Random(self.seed * 1_000_003 + zlib.crc32(f"{area}/{self.year}".encode()))

    def scaled(self, n: float) -> int:
        """n x scale, rounded; at least 1 when n is positive."""
        value = round(n * self.scale)
        return max(value, 1) if n > 0 else 0

    def target(self, key: str) -> int:
        """The seed's figure for `key` at this scale."""
        return self.scaled(SEED[key])

    @property
    def ministries(self) -> list[Agency]:
        return [a for a in self.members if a.code.rsplit(".", 1)[-1].startswith("G")]

    @property
    def provinces(self) -> list[Agency]:
        return [a for a in self.members if a.code.rsplit(".", 1)[-1].startswith("H")]

    def moment(self, rng: random.Random, *, start: dt.date | None = None, end: dt.date | None = None) -> dt.datetime:
        """A random aware time in working hours (08:00–17:00, Monday–Friday) within the year."""
        first = start or dt.date(self.year, 1, 2)
        last = end or dt.date(self.year, 12, 31)
        span = (last - first).days
        for _ in range(20):
            day = first + dt.timedelta(days=rng.randint(0, max(span, 0)))
            if day.weekday() < 5:
                break
        seconds = rng.randint(8 * 3600, 17 * 3600 - 1)
        local = dt.datetime.combine(day, dt.time(), tzinfo=VN) + dt.timedelta(seconds=seconds)
        return local.astimezone(dt.UTC)
