"""The demo year of supervision: the tasks the Government, the Prime Minister and the deputies
assigned, their progress and completion, deadlines moved by extensions, and the working
group's inspections of ministries and provinces.

The status counts are chosen so that the year's overdue rate under the default definition
reads back the seed's figure exactly (2.07% for 2019): the number of completed tasks is the
first, from about 73% of the year's tasks, for which some whole number of overdue tasks gives
that truncated percentage. The inspections cover SEED ministries and provinces x scale.
Everything comes from the area's seeded generator, so a seed gives the same rows every time.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from govoffice.audit.services import record_event
from govoffice.deadlines import calendar
from govoffice.demo.year import vocab
from govoffice.demo.year.context import SEED, VN, YearContext
from govoffice.directory.models import Agency, Role, User
from govoffice.records.models import Outgoing, OutgoingState
from govoffice.supervision import rates
from govoffice.supervision.models import (
    Assigner,
    Channel,
    DeadlineChange,
    Finding,
    Inspection,
    InspectionMember,
    InspectionState,
    InspectionTarget,
    ProgressReport,
    Source,
    Task,
)
from govoffice.supervision.selectors import TASK_DOC_TYPES
from govoffice.supervision.services.tasks import next_codes

CHUNK = 2_000
TASKS_AT_SCALE_1 = 21_000  # the office followed 21,914 tasks in 2017 (DOMAIN.md §5)
COMPLETED_SHARE = 0.73
LATE_SHARE = 0.12  # of the completed
NO_DEADLINE_SHARE = 0.03  # of all
EXTENDED_SHARE = 0.04  # of the completed on time: an approved extension moved their deadline
DEPUTIES = ("Trương Hòa Bình", "Phạm Bình Minh", "Vương Đình Huệ", "Vũ Đức Đam", "Trịnh Đình Dũng")
VERBS = (
    "Chủ trì, phối hợp với các cơ quan liên quan khẩn trương hoàn thiện", "Nghiên cứu, đề xuất", "Tổng hợp, báo cáo Thủ tướng Chính phủ về",
    "Xây dựng, trình Chính phủ", "Rà soát, sửa đổi các quy định về", "Chỉ đạo quyết liệt việc thực hiện", "Kiểm tra, xử lý dứt điểm vướng mắc trong",
    "Đẩy nhanh tiến độ", "Hướng dẫn các địa phương thực hiện",
)
GROUP = (
    ("Mai Tiến Dũng", "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ, Tổ trưởng Tổ công tác"),
    ("Nguyễn Cao Lục", "Phó Chủ nhiệm Văn phòng Chính phủ"),
    ("Nguyễn Sĩ Hiệp", "Phó Chủ nhiệm Văn phòng Chính phủ"),
    ("Đại diện Bộ Tư pháp", "Thành viên Tổ công tác"),
    ("Đại diện Bộ Kế hoạch và Đầu tư", "Thành viên Tổ công tác"),
)


def rate_counts(target: float, about: int) -> tuple[int, int]:
    """(completed, overdue) near `about` completed whose rate under the default definition is exactly `target`."""
    definition = rates.get_definition(None)

    def rate(completed: int, overdue: int) -> float | None:
        return definition.compute(rates.Counts(completed_on_time=completed, unfinished_overdue=overdue))

    completed = max(about, 1)
    while True:
        overdue = 0  # the least overdue count that reaches the target (a few hundred steps at scale 1)
        while (value := rate(completed, overdue)) is not None and value < target:
            overdue += 1
        if value == target:
            return completed, overdue
        completed += 1


@dataclass
class Shape:
    on_time: int
    late: int
    overdue: int
    in_term: int
    no_deadline: int

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.overdue + self.in_term + self.no_deadline


def shape(ctx: YearContext) -> Shape:
    total = ctx.scaled(TASKS_AT_SCALE_1)
    completed, overdue = rate_counts(SEED["tasks_overdue_rate"], round(total * COMPLETED_SHARE))
    late = round(completed * LATE_SHARE)
    no_deadline = round(total * NO_DEADLINE_SHARE)
    in_term = max(total - completed - overdue - no_deadline, 1)
    return Shape(completed - late, late, overdue, in_term, no_deadline)


class Days:
    """Working days of the year and after it, to draw dates from."""

    def __init__(self, year: int) -> None:
        cal = calendar()
        start, self.end = dt.date(year, 1, 2), dt.date(year, 12, 31)
        self.cal = cal
        self.year = [start + dt.timedelta(days=i) for i in range((self.end - start).days + 1)]
        self.year = [d for d in self.year if cal.is_workday(d)]
        self.index = {d: i for i, d in enumerate(self.year)}

    def pick(self, rng: random.Random, first: dt.date | None = None, last: dt.date | None = None) -> dt.date:
        lo = self.index.get(first, 0) if first else 0
        hi = self.index.get(last, len(self.year) - 1) if last else len(self.year) - 1
        if first and first not in self.index:
            lo = next((i for i, d in enumerate(self.year) if d >= first), len(self.year) - 1)
        if last and last not in self.index:
            hi = max((i for i, d in enumerate(self.year) if d <= last), default=0)
        return self.year[rng.randint(lo, max(lo, hi))]

    def later(self, day: dt.date, n: int) -> dt.date:
        return self.cal.add(day, n)


def _content(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)} {rng.choice(vocab.TOPICS)}{rng.choice(vocab.PERIODS)}."


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    local = dt.datetime.combine(day, dt.time(8), tzinfo=VN) + dt.timedelta(seconds=rng.randint(0, 9 * 3600 - 1))
    return local.astimezone(dt.UTC)


def _officer(ctx: YearContext) -> User | None:
    for user in ctx.people.values():
        if user.agency_id == ctx.office.pk and user.has_role(Role.SUPERVISION_OFFICER):
            return user
    return None


def _inspections(ctx: YearContext, rng: random.Random, days: Days, officer: User | None) -> list[Finding]:
    """SEED inspections x scale, covering SEED ministries and provinces x scale; one finding per visit."""
    count = ctx.target("inspections")
    ministries = [a for a in ctx.ministries if a.pk != ctx.office.pk]
    chosen = rng.sample(ministries, min(ctx.target("inspected_ministries"), len(ministries)))
    chosen += rng.sample(ctx.provinces, min(ctx.target("inspected_provinces"), len(ctx.provinces)))
    rng.shuffle(chosen)
    visits: list[list[Agency]] = [[] for _ in range(count)]
    for i, agency in enumerate(chosen):
        visits[i % count].append(agency)
    for i in range(count):  # fewer agencies than inspections: a later visit returns to one
        if not visits[i]:
            visits[i].append(chosen[i % len(chosen)])
    codes = next_codes("DKT", ctx.year, count)
    starts = sorted(days.pick(rng, dt.date(ctx.year, 2, 15), dt.date(ctx.year, 11, 30)) for _ in range(count))
    rows = []
    for code, start, targets in zip(codes, starts, visits, strict=True):
        names = ", ".join(a.short_name or a.name_vi for a in targets)
        rows.append(Inspection(code=code, title=f"Kiểm tra việc thực hiện nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao tại {names}"[:500],
                               starts_on=start, ends_on=days.later(start, max(len(targets), 1)), state=InspectionState.COMPLETED,
                               created_by=officer, completed_at=_at(days.later(start, len(targets) + 1), rng)))
    Inspection.objects.bulk_create(rows)
    members, targets_rows, findings = [], [], []
    for row, targets in zip(rows, visits, strict=True):
        members += [InspectionMember(inspection=row, full_name=n, position=p) for n, p in GROUP[: rng.randint(3, len(GROUP))]]
        for n, agency in enumerate(targets):
            day = days.later(row.starts_on, n) if n else row.starts_on
            targets_rows.append(InspectionTarget(inspection=row, agency=agency, visit_on=min(day, row.ends_on)))
            findings.append(Finding(inspection=row, agency=agency, recorded_by=officer, recorded_at=_at(row.ends_on, rng),
                                    summary=f"Còn chậm triển khai một số nhiệm vụ về {rng.choice(vocab.TOPICS)}; đề nghị khắc phục."))
    InspectionMember.objects.bulk_create(members)
    InspectionTarget.objects.bulk_create(targets_rows)
    Finding.objects.bulk_create(findings)
    return findings


def _sources(ctx: YearContext) -> list[tuple[int, str, dt.date]]:
    """The office's issued decisions, directives and conclusion notices of the year (id, notation, day)."""
    qs = Outgoing.objects.filter(agency=ctx.office, state=OutgoingState.ISSUED, doc_type__in=TASK_DOC_TYPES, year=ctx.year)
    return [(pk, notation, timezone.localtime(at, VN).date()) for pk, notation, at in qs.values_list("pk", "notation", "issued_at").order_by("pk")]


def _kinds(s: Shape, rng: random.Random) -> list[str]:
    kinds = ["on_time"] * s.on_time + ["late"] * s.late + ["overdue"] * s.overdue + ["in_term"] * s.in_term + ["none"] * s.no_deadline
    rng.shuffle(kinds)
    return kinds


def _dates(kind: str, rng: random.Random, days: Days, today: dt.date) -> tuple[dt.date, dt.date | None, dt.date | None, dt.date | None]:
    """(assigned_on, deadline, completed_on, original deadline when extended) for a task of `kind`."""
    end = days.end
    after = lambda n: (end + dt.timedelta(days=n)) if end + dt.timedelta(days=n) <= today else None  # noqa: E731
    if kind == "in_term":
        a = days.pick(rng)
        d = max(days.later(a, rng.randint(10, 90)), days.later(end, rng.randint(0, 60)))
        return a, d, after(rng.randint(5, 120)), None
    if kind == "none":
        return days.pick(rng), None, after(rng.randint(20, 200)), None
    a = days.pick(rng, last=dt.date(end.year, 10, 31))
    d = days.later(a, rng.randint(5, 30))
    if kind == "overdue":
        return a, d, after(rng.randint(3, 90)), None
    if kind == "late":
        return a, d, days.pick(rng, d + dt.timedelta(days=1), end), None
    c = days.pick(rng, a, d)
    if rng.random() < EXTENDED_SHARE:
        original = days.later(a, 1)
        if original < c:
            return a, d, c, original
    return a, d, c, None


def _chunks(rows: list[Task]) -> Iterator[list[Task]]:
    for i in range(0, len(rows), CHUNK):
        yield rows[i : i + CHUNK]


def generate(ctx: YearContext) -> None:
    """The year's tasks (with the seed's overdue rate) and inspections (with its counts)."""
    rng = ctx.rng_for("supervision")
    days = Days(ctx.year)
    today = timezone.localdate()
    officer = _officer(ctx)
    s = shape(ctx)
    lead_pool = [a for a in ctx.members if a.pk != ctx.office.pk] or [ctx.office]
    with transaction.atomic():
        findings = _inspections(ctx, rng, days, officer)
        sources = _sources(ctx)
        codes = next_codes("NV", ctx.year, s.total)
        kinds = _kinds(s, rng)
        tasks: list[Task] = []
        extended: dict[int, dt.date] = {}
        for i, kind in enumerate(kinds):
            a, d, c, original = _dates(kind, rng, days, today)
            roll = rng.random()
            assigner = Assigner.PRIME_MINISTER if roll < 0.6 else Assigner.DEPUTY_PRIME_MINISTER if roll < 0.9 else Assigner.GOVERNMENT
            task = Task(code=codes[i], content=_content(rng), assigner=assigner,
                        assigner_name=rng.choice(DEPUTIES) if assigner == Assigner.DEPUTY_PRIME_MINISTER else "",
                        lead_agency=rng.choice(lead_pool), assigned_on=a, deadline=d, importance=rng.choice((0, 0, 0, 1, 1, 2)),
                        source=Source.MEETING, source_ref="Phiên họp Chính phủ thường kỳ", created_by=officer,
                        completed_on=c, completed_at=_at(c, rng) if c else None, reminded_for=d)
            pick = rng.random()
            finding = rng.choice(findings) if findings and pick < 0.03 else None
            if finding is not None and finding.inspection.ends_on <= a:
                task.source, task.finding, task.lead_agency = Source.INSPECTION, finding, finding.agency
                task.source_ref = f"Kết luận kiểm tra của Tổ công tác của Thủ tướng Chính phủ ({finding.agency.short_name or finding.agency.name_vi})"
            elif sources and pick < 0.75:
                doc_id, notation, _issued = rng.choice(sources)
                task.source, task.source_document_id, task.source_ref = Source.DOCUMENT, doc_id, notation
            if original is not None:
                extended[i] = original
            tasks.append(task)
        for n, chunk in enumerate(_chunks(tasks)):
            Task.objects.bulk_create(chunk)
            ctx.progress("supervision: tasks", min((n + 1) * CHUNK, len(tasks)), len(tasks))
        through = Task.coordinating_agencies.through
        links = []
        for task in tasks:
            if rng.random() < 0.3:
                for other in rng.sample(lead_pool, 2):
                    if other.pk != task.lead_agency.pk:
                        links.append(through(task_id=task.pk, agency_id=other.pk))
        through.objects.bulk_create(links, batch_size=CHUNK)
        changes = []
        for i, original in extended.items():
            task = tasks[i]
            assert task.deadline is not None and task.completed_on is not None
            effective = days.pick(rng, task.assigned_on, min(original, task.completed_on))
            changes.append(DeadlineChange(task=task, old_deadline=original, new_deadline=task.deadline, effective_on=effective,
                                          changed_by=officer, at=_at(effective, rng)))
        DeadlineChange.objects.bulk_create(changes, batch_size=CHUNK)
        reports = []
        channels = (Channel.HUB, Channel.HUB, Channel.API, Channel.PAGE)
        for task in tasks:
            if task.completed_on is not None:
                reports.append(ProgressReport(task=task, agency=task.lead_agency, channel=rng.choice(channels), completes=True, percent=100,
                                              note="Đã hoàn thành nhiệm vụ, báo cáo Thủ tướng Chính phủ.", at=task.completed_at or _at(task.completed_on, rng)))
            elif task.deadline is not None and rng.random() < 0.5:
                reports.append(ProgressReport(task=task, agency=task.lead_agency, channel=rng.choice(channels), percent=rng.choice((20, 40, 60, 80)),
                                              note="Đang triển khai, tổng hợp ý kiến các cơ quan liên quan.", at=_at(task.assigned_on, rng)))
        ProgressReport.objects.bulk_create(reports, batch_size=CHUNK)
        record_event("demo.supervision_generated", object_type="supervision.task", data={
            "year": ctx.year, "scale": ctx.scale, "seed": ctx.seed, "tasks": len(tasks), "inspections": ctx.target("inspections"),
            "on_time": s.on_time, "late": s.late, "overdue": s.overdue, "in_term": s.in_term, "no_deadline": s.no_deadline})
    ctx.notes.append(f"supervision: {len(tasks)} tasks ({s.overdue} overdue of {s.on_time + s.late} completed), "
                     f"{ctx.target('inspections')} inspections")

