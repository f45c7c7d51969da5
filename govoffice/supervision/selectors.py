"""Reads worth a name: a task's status on any day, status counts and the overdue rate for a
period, agency and assigner, the annual figures, and what dashboards show.

A task's status on day D is derived, never stored: tasks assigned after D do not exist yet;
a task completed on or before D is completed on time when it was completed on or before the
deadline in force (no deadline: on time), otherwise late; an unfinished one is overdue when
the deadline in force on D has passed, within term otherwise, or has no deadline. The deadline
in force on D comes from the history of deadline changes (an extension approved after D does
not rescue a task that was overdue on D).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from govoffice.directory.models import Agency, User
from govoffice.lib.orgcode import parse
from govoffice.records.models import DocType, Outgoing, OutgoingState
from govoffice.supervision import rates
from govoffice.supervision.models import (
    DeadlineChange,
    Extension,
    ExtensionState,
    Inspection,
    InspectionState,
    InspectionTarget,
    Status,
    Task,
)
from govoffice.supervision.permissions import visible_tasks

TASK_DOC_TYPES = (DocType.QUYET_DINH, DocType.CHI_THI, DocType.THONG_BAO)


def deadline_on(day: dt.date) -> Coalesce | F:
    """The deadline in force on `day`, as an expression over Task rows."""
    if day >= timezone.localdate():
        return F("deadline")  # changes take effect the day they are made: today's deadline is the current one
    changes = DeadlineChange.objects.filter(task=OuterRef("pk"))
    latest_before = changes.filter(effective_on__lte=day).order_by("-effective_on", "-id").values("new_deadline")[:1]
    first_after = changes.filter(effective_on__gt=day).order_by("effective_on", "id").values("old_deadline")[:1]
    return Coalesce(Subquery(latest_before), Subquery(first_after), F("deadline"))


def _done(day: dt.date) -> Q:
    return Q(completed_on__isnull=False, completed_on__lte=day)


STATUS_FILTERS = {
    Status.COMPLETED_ON_TIME: lambda d: _done(d) & (Q(deadline_then__isnull=True) | Q(completed_on__lte=F("deadline_then"))),
    Status.COMPLETED_LATE: lambda d: _done(d) & Q(completed_on__gt=F("deadline_then")),
    Status.UNFINISHED_IN_TERM: lambda d: ~_done(d) & Q(deadline_then__gte=d),
    Status.UNFINISHED_OVERDUE: lambda d: ~_done(d) & Q(deadline_then__lt=d),
    Status.NO_DEADLINE: lambda d: ~_done(d) & Q(deadline_then__isnull=True),
}


def with_status_basis(qs: QuerySet[Task], day: dt.date) -> QuerySet[Task]:
    """Tasks that exist on `day`, annotated with the deadline then in force (`deadline_then`)."""
    return qs.filter(assigned_on__lte=day).annotate(deadline_then=deadline_on(day))


def filter_status(qs: QuerySet[Task], status: str, day: dt.date) -> QuerySet[Task]:
    return with_status_basis(qs, day).filter(STATUS_FILTERS[Status(status)](day))


def status_on(task: Task, day: dt.date | None = None) -> Status | None:
    """One task's status on a day (None before it was assigned)."""
    day = day or timezone.localdate()
    if task.assigned_on > day:
        return None
    deadline = deadline_in_force(task, day)
    if task.completed_on is not None and task.completed_on <= day:
        return Status.COMPLETED_LATE if deadline is not None and task.completed_on > deadline else Status.COMPLETED_ON_TIME
    if deadline is None:
        return Status.NO_DEADLINE
    return Status.UNFINISHED_OVERDUE if deadline < day else Status.UNFINISHED_IN_TERM


def deadline_in_force(task: Task, day: dt.date) -> dt.date | None:
    changes = sorted(task.deadline_changes.all(), key=lambda c: (c.effective_on, c.pk))  # prefetched on lists
    before = [c for c in changes if c.effective_on <= day]
    if before:
        return before[-1].new_deadline
    return changes[0].old_deadline if changes else task.deadline


@dataclass(frozen=True)
class Scope:
    date_from: dt.date
    date_to: dt.date
    agency: Agency | None = None
    assigner: str = ""

    @property
    def as_of(self) -> dt.date:
        """Statuses are read at the end of the period, or today if it has not ended."""
        return min(self.date_to, timezone.localdate())


def scoped_tasks(scope: Scope, base: QuerySet[Task] | None = None) -> QuerySet[Task]:
    qs = base if base is not None else Task.objects.all()
    qs = qs.filter(assigned_on__gte=scope.date_from, assigned_on__lte=scope.date_to)
    if scope.agency is not None:
        qs = qs.filter(Q(lead_agency=scope.agency) | Q(lead_agency__parent=scope.agency))
    if scope.assigner:
        qs = qs.filter(assigner=scope.assigner)
    return qs


def status_counts(scope: Scope, base: QuerySet[Task] | None = None) -> rates.Counts:
    """How many tasks assigned in the period are in each status at its end.

    Tasks whose deadline never changed are counted in one aggregate over their own column; the
    few with a history of deadlines are read one by one (a correlated subquery per row and per
    status would make a year's report take seconds on PostgreSQL).
    """
    day = scope.as_of
    tasks = scoped_tasks(scope, base).filter(assigned_on__lte=day)
    changed = Exists(DeadlineChange.objects.filter(task=OuterRef("pk")))
    plain = tasks.filter(~changed).annotate(deadline_then=F("deadline"))
    row = plain.aggregate(**{s.value: Count("pk", filter=STATUS_FILTERS[s](day)) for s in Status})
    counts = {k: int(v or 0) for k, v in row.items()}
    for task in tasks.filter(changed).prefetch_related("deadline_changes").iterator(chunk_size=2000):
        status = status_on(task, day)
        if status is not None:
            counts[status.value] += 1
    return rates.Counts(**counts)


@dataclass(frozen=True)
class RateResult:
    scope: Scope
    definition: rates.Definition
    counts: rates.Counts
    rate: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "date_from": self.scope.date_from, "date_to": self.scope.date_to, "as_of": self.scope.as_of,
            "agency": self.scope.agency.code if self.scope.agency else None, "assigner": self.scope.assigner or None,
            "definition": self.definition.key, "formula": self.definition.formula,
            "counts": self.counts.as_dict(), "rate": self.rate,
        }


def overdue_rate(scope: Scope, definition: str | None = None, base: QuerySet[Task] | None = None) -> RateResult:
    """The overdue rate of the tasks in scope under a named definition (default due-overdue@1)."""
    chosen = rates.get_definition(definition)
    counts = status_counts(scope, base)
    return RateResult(scope, chosen, counts, chosen.compute(counts))


def year_scope(year: int) -> Scope:
    return Scope(dt.date(year, 1, 1), dt.date(year, 12, 31))


def inspections_in(year: int) -> QuerySet[Inspection]:
    return Inspection.objects.filter(state=InspectionState.COMPLETED, starts_on__year=year)


def inspected_tops(year: int) -> tuple[set[str], set[str]]:
    """The ministries (G) and provinces (H) the working group inspected in a year, by top code."""
    codes = InspectionTarget.objects.filter(inspection__in=inspections_in(year)).values_list("agency__code", flat=True).distinct()
    ministries: set[str] = set()
    provinces: set[str] = set()
    for code in codes:
        try:
            parsed = parse(code)
        except ValueError:
            continue
        (provinces if parsed.is_province else ministries).add(parsed.top)
    return ministries, provinces


def annual_figures(year: int) -> dict[str, int | float | str]:
    """The supervision figures of the annual report (a contract: keys fixed)."""
    result = overdue_rate(year_scope(year))
    ministries, provinces = inspected_tops(year)
    return {
        "tasks_overdue_rate": result.rate if result.rate is not None else 0.0,
        "tasks_overdue_rate_definition": result.definition.key,
        "inspections": inspections_in(year).count(),
        "inspected_ministries": len(ministries),
        "inspected_provinces": len(provinces),
    }


# For dashboards ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyOverdue:
    agency_code: str
    agency_name: str
    overdue: int
    open: int


def overdue_by_agency(user: User, day: dt.date | None = None, limit: int = 20) -> list[AgencyOverdue]:
    """Per lead agency, the tasks overdue on `day` and all unfinished ones: most overdue first."""
    day = day or timezone.localdate()
    qs = with_status_basis(Task.objects.filter(visible_tasks(user)), day).filter(~_done(day))
    rows = (
        qs.values("lead_agency__code", "lead_agency__name_vi")
        .annotate(overdue=Count("pk", filter=Q(deadline_then__lt=day)), open=Count("pk"))
        .filter(overdue__gt=0)
        .order_by("-overdue", "lead_agency__code")[:limit]
    )
    return [AgencyOverdue(r["lead_agency__code"], r["lead_agency__name_vi"], r["overdue"], r["open"]) for r in rows]


def overdue_tasks(user: User, day: dt.date | None = None) -> QuerySet[Task]:
    """The tasks `user` may see that are unfinished and past their deadline on `day`."""
    day = day or timezone.localdate()
    return filter_status(Task.objects.filter(visible_tasks(user)), Status.UNFINISHED_OVERDUE, day).select_related("lead_agency")


def pending_extensions(user: User) -> QuerySet[Extension]:
    """Extension requests waiting for a decision, among the tasks `user` may see."""
    return (
        Extension.objects.filter(state=ExtensionState.PENDING, task__in=Task.objects.filter(visible_tasks(user)))
        .select_related("task", "task__lead_agency", "requested_by").order_by("requested_at")
    )


def due_soon(user: User, until: dt.date, day: dt.date | None = None) -> QuerySet[Task]:
    """Unfinished tasks `user` may see whose deadline falls between `day` and `until`."""
    day = day or timezone.localdate()
    return (
        Task.objects.filter(visible_tasks(user), completed_on__isnull=True, deadline__gte=day, deadline__lte=until)
        .select_related("lead_agency").order_by("deadline", "pk")
    )


def documents_awaiting_tasks(office: Agency | None = None) -> QuerySet[Outgoing]:
    """Decisions, directives and conclusion notices the office issued that no task cites yet."""
    qs = Outgoing.objects.filter(state=OutgoingState.ISSUED, doc_type__in=TASK_DOC_TYPES, supervised_tasks__isnull=True)
    if office is not None:
        qs = qs.filter(agency=office)
    return qs.order_by("-issued_at", "-pk")


def waiting_items(user: User) -> dict[str, int]:
    """What waits, for a dashboard: overdue tasks, decisions to make, documents to break into tasks."""
    from govoffice.directory.permissions import may

    out = {
        "overdue_tasks": overdue_tasks(user).count(),
        "pending_extensions": pending_extensions(user).count() if may(user, "supervision.manage") else 0,
    }
    out["documents_awaiting_tasks"] = documents_awaiting_tasks().count() if may(user, "supervision.manage") else 0
    return out
