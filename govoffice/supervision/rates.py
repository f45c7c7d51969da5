"""Named, versioned definitions of the overdue rate (tỷ lệ nhiệm vụ quá hạn).

A definition turns the status counts of a set of tasks into a percentage. Every result and
every saved report carries the definition's key (name@version), so a figure can always be
traced to the arithmetic behind it. A changed formula is a new version, never an edit.

The default, "due-overdue@1", is the one the issue and DOMAIN.md §5 name: unfinished overdue ÷
(completed + unfinished overdue). For 2017 it gives 223 / 16,274 = 1.370…% → 1.37%, one
hundredth under the 1.38% the Government Office published; that published figure is what
unfinished overdue ÷ completed gives (223 / 16,051 = 1.389…% → 1.38%), kept as
"vpcp-overdue@1" so a report can reproduce the published series (docs/supervision.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from govoffice.lib.errors import DomainError

DEFAULT = "due-overdue@1"


@dataclass(frozen=True)
class Counts:
    completed_on_time: int = 0
    completed_late: int = 0
    unfinished_in_term: int = 0
    unfinished_overdue: int = 0
    no_deadline: int = 0

    @property
    def completed(self) -> int:
        return self.completed_on_time + self.completed_late

    @property
    def unfinished(self) -> int:
        return self.unfinished_in_term + self.unfinished_overdue + self.no_deadline

    @property
    def total(self) -> int:
        return self.completed + self.unfinished

    def as_dict(self) -> dict[str, int]:
        return {
            "completed_on_time": self.completed_on_time, "completed_late": self.completed_late,
            "unfinished_in_term": self.unfinished_in_term, "unfinished_overdue": self.unfinished_overdue,
            "no_deadline": self.no_deadline, "completed": self.completed, "unfinished": self.unfinished,
            "total": self.total,
        }


def truncated_percent(numerator: int, denominator: int) -> float | None:
    """numerator / denominator in percent, cut (not rounded) to two decimals, in exact integers."""
    if denominator <= 0:
        return None
    return (numerator * 10000 // denominator) / 100


@dataclass(frozen=True)
class Definition:
    name: str
    version: int
    label: str
    formula: str
    compute: Callable[[Counts], float | None]

    @property
    def key(self) -> str:
        return f"{self.name}@{self.version}"


DEFINITIONS: dict[str, Definition] = {}


def register_definition(definition: Definition) -> Definition:
    """Add a definition; a key is never redefined (a new formula is a new version)."""
    if definition.key in DEFINITIONS:
        raise ValueError(f"overdue-rate definition {definition.key} is already registered")
    DEFINITIONS[definition.key] = definition
    return definition


def get_definition(key: str | None) -> Definition:
    key = key or DEFAULT
    definition = DEFINITIONS.get(key)
    if definition is None:
        raise DomainError("unknown_definition", f"No overdue-rate definition {key}; known: {', '.join(sorted(DEFINITIONS))}",
                          field="definition", status=422)
    return definition


register_definition(Definition(
    "vpcp-overdue", 1, "Unfinished overdue ÷ completed (the Government Office's published figures)",
    "unfinished_overdue / completed × 100, truncated to 2 decimals",
    lambda c: truncated_percent(c.unfinished_overdue, c.completed),
))
register_definition(Definition(
    "due-overdue", 1, "Unfinished overdue ÷ (completed + unfinished overdue)",
    "unfinished_overdue / (completed + unfinished_overdue) × 100, truncated to 2 decimals",
    lambda c: truncated_percent(c.unfinished_overdue, c.completed + c.unfinished_overdue),
))
register_definition(Definition(
    "all-overdue", 1, "Overdue at any point (late or still overdue) ÷ all tasks with a deadline",
    "(completed_late + unfinished_overdue) / (total − no_deadline) × 100, truncated to 2 decimals",
    lambda c: truncated_percent(c.completed_late + c.unfinished_overdue, c.total - c.no_deadline),
))
