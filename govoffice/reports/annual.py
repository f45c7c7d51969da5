"""The office's annual report: every figure the 2019 review gives, computed from the data.

The office's records and the hub are read here (reports.figures); each other area answers for
its own figures through `annual_figures(year)` in its selectors module (a contract, see
docs/reports.md). An area whose module is not installed leaves its keys null and is named in
`missing_areas`: a figure is never made up.
"""

from __future__ import annotations

import importlib
import importlib.util
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone

from govoffice.reports.figures import hub_figures, records_figures

# The keys of the report, in the order of the issue (item 5) and of the 2019 review.
KEYS: tuple[str, ...] = (
    "documents_received", "submissions", "documents_issued",
    "hub_members_connected", "hub_members_total", "hub_documents_exchanged",
    "cabinet_sessions", "cabinet_ballots",
    "portal_visits", "dossiers",
    "feedback_citizen_received", "feedback_citizen_in_scope", "feedback_business_received", "feedback_business_forwarded",
    "tasks_overdue_rate",
    "inspections", "inspected_ministries", "inspected_provinces",
)
DEFINITION_KEY = "tasks_overdue_rate_definition"

# area -> (its selectors module, the keys it answers for)
AREAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "cabinet": ("govoffice.cabinet.selectors", ("cabinet_sessions", "cabinet_ballots")),
    "portal": ("govoffice.portal.selectors", ("portal_visits", "dossiers")),
    "feedback": ("govoffice.portal.feedback.selectors", (
        "feedback_citizen_received", "feedback_citizen_in_scope", "feedback_business_received", "feedback_business_forwarded",
    )),
    "supervision": ("govoffice.supervision.selectors", (
        "tasks_overdue_rate", DEFINITION_KEY, "inspections", "inspected_ministries", "inspected_provinces",
    )),
}

# What the Government Office reported for 2019 (../shared/seed/): the demo year aims at these × scale.
SEED_2019: dict[str, int | float] = {
    "documents_received": 120_000, "submissions": 14_000, "documents_issued": 26_000,
    "hub_members_connected": 95, "hub_members_total": 95, "hub_documents_exchanged": 1_000_000,
    "cabinet_sessions": 8, "cabinet_ballots": 176,
    "feedback_citizen_received": 5_571, "feedback_citizen_in_scope": 229,
    "feedback_business_received": 1_175, "feedback_business_forwarded": 936,
    "tasks_overdue_rate": 2.07, "inspections": 18, "inspected_ministries": 24, "inspected_provinces": 17,
}

Figure = int | float | str | None


@dataclass
class AnnualReport:
    year: int
    figures: dict[str, Figure]
    missing_areas: list[str] = field(default_factory=list)
    failed_areas: dict[str, str] = field(default_factory=dict)  # area -> the database's error (tables not migrated)
    missing_keys: list[str] = field(default_factory=list)
    generated_at: str = ""
    seconds: float = 0.0

    @property
    def overdue_rate_definition(self) -> str | None:
        value = self.figures.get(DEFINITION_KEY)
        return None if value is None else str(value)

    def as_dict(self) -> dict[str, Any]:
        """The flat JSON object of `govoffice report annual --json` and of the API."""
        return {
            "year": self.year,
            **{key: self.figures.get(key) for key in KEYS},
            DEFINITION_KEY: self.overdue_rate_definition,
            "missing_areas": self.missing_areas,
            "failed_areas": self.failed_areas,
            "missing_keys": self.missing_keys,
            "generated_at": self.generated_at,
        }


def area_figures(area: str, year: int) -> dict[str, Figure] | None:
    """The area's `annual_figures(year)`, or None when its selectors module or function is not there."""
    module_name, _keys = AREAS[area]
    try:
        found = importlib.util.find_spec(module_name) is not None
    except ModuleNotFoundError:  # its package itself is absent
        found = False
    if not found:
        return None
    module = importlib.import_module(module_name)  # an error inside an existing module is a bug: let it show
    compute = getattr(module, "annual_figures", None)
    if compute is None:
        return None
    return dict(compute(year))


def annual_report(year: int) -> AnnualReport:
    """Compute every figure of the annual review for `year` from the data."""
    started = time.perf_counter()
    figures: dict[str, Figure] = {key: None for key in (*KEYS, DEFINITION_KEY)}
    figures.update(records_figures(year))
    figures.update(hub_figures(year))
    missing_areas: list[str] = []
    failed_areas: dict[str, str] = {}
    for area, (_module, keys) in AREAS.items():
        try:
            with transaction.atomic():  # a savepoint: PostgreSQL carries on after a failed query
                answer = area_figures(area, year)
        except DatabaseError as exc:  # e.g. the area's tables are not migrated on this database
            failed_areas[area] = str(exc).splitlines()[0][:200]
            continue
        if answer is None:
            missing_areas.append(area)
            continue
        for key in keys:
            figures[key] = answer.get(key)
    missing_keys = [key for key in (*KEYS, DEFINITION_KEY) if figures[key] is None]
    return AnnualReport(
        year=year, figures=figures, missing_areas=missing_areas, failed_areas=failed_areas, missing_keys=missing_keys,
        generated_at=timezone.now().isoformat(timespec="seconds"), seconds=round(time.perf_counter() - started, 3),
    )
