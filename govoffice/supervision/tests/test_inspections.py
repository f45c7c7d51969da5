"""The working group's inspections: a plan, findings whose recommendations become tasks, and the
year's figures (inspections carried out, ministries and provinces inspected)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govoffice.lib.errors import DomainError
from govoffice.supervision.models import Inspection, Source, Task
from govoffice.supervision.selectors import annual_figures
from govoffice.supervision.services import inspections as plans

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _plan(officer, *targets: str, start: dt.date | None = None) -> Inspection:
    start = start or TODAY - 10 * DAY
    return plans.create_inspection(actor=officer, plan=plans.Plan(
        title="Kiểm tra việc thực hiện nhiệm vụ được giao", starts_on=start, ends_on=start + 3 * DAY,
        members=[plans.Member("Mai Tiến Dũng", "Tổ trưởng"), plans.Member("Nguyễn Cao Lục", "Thành viên")],
        targets=[plans.Target(code, start + n * DAY) for n, code in enumerate(targets)]))


def test_a_finding_records_its_recommendations_as_tasks(officer, ministry, nghe_an) -> None:
    row = _plan(officer, ministry.code, nghe_an.code)
    assert row.code.startswith(f"DKT-{row.starts_on.year}-")
    finding = plans.record_finding(actor=officer, inspection=row, agency=nghe_an.code, summary="Chậm giải ngân vốn đầu tư công",
                                   recommendations=[plans.Recommendation("Đẩy nhanh giải ngân", deadline=TODAY + 30 * DAY),
                                                    plans.Recommendation("Báo cáo kết quả", lead_agency=ministry.code)])
    tasks = list(Task.objects.filter(finding=finding).order_by("pk"))
    assert [(t.lead_agency.code, t.source, t.assigner) for t in tasks] == [
        (nghe_an.code, Source.INSPECTION, "prime_minister"), (ministry.code, Source.INSPECTION, "prime_minister")]
    assert tasks[0].source_ref.startswith(row.code) and tasks[0].deadline == TODAY + 30 * DAY


def test_a_finding_at_an_agency_not_inspected_or_with_a_bad_deadline_changes_nothing(officer, ministry, nghe_an, home_affairs) -> None:
    row = _plan(officer, ministry.code)
    with pytest.raises(DomainError) as caught:
        plans.record_finding(actor=officer, inspection=row, agency=home_affairs.code, summary="x", recommendations=[])
    assert caught.value.code == "not_inspected"
    with pytest.raises(DomainError) as caught:
        plans.record_finding(actor=officer, inspection=row, agency=ministry.code, summary="x",
                             recommendations=[plans.Recommendation("Làm", deadline=TODAY - 300 * DAY)])
    assert caught.value.code == "deadline_before_assignment"
    assert row.findings.count() == 0 and Task.objects.count() == 0


def test_a_plan_needs_members_agencies_and_days_in_order(officer, ministry, finance_staff) -> None:
    def plan(**kw: object) -> plans.Plan:
        base = {"title": "Kiểm tra", "starts_on": TODAY, "ends_on": TODAY + DAY, "members": [plans.Member("A")],
                "targets": [plans.Target(ministry.code)]}
        return plans.Plan(**{**base, **kw})  # type: ignore[arg-type]

    for bad, field in ((plan(ends_on=TODAY - DAY), "ends_on"), (plan(members=[]), "members"),
                       (plan(targets=[plans.Target("000.00.00.G66")]), "targets"),
                       (plan(targets=[plans.Target(ministry.code, TODAY + 9 * DAY)]), "targets")):
        with pytest.raises(DomainError) as caught:
            plans.create_inspection(actor=officer, plan=bad)
        assert caught.value.field == field
    with pytest.raises(DomainError) as caught:
        plans.create_inspection(actor=finance_staff, plan=plan())
    assert caught.value.status == 403
    assert Inspection.objects.count() == 0


def test_the_year_counts_inspections_carried_out_and_the_ministries_and_provinces_they_covered(officer, ministry, home_affairs, nghe_an) -> None:
    year = (TODAY - 10 * DAY).year
    first = _plan(officer, ministry.code, nghe_an.code, start=dt.date(year, 1, 1) if TODAY.month > 1 else TODAY - 10 * DAY)
    second = _plan(officer, ministry.code, home_affairs.code, start=first.starts_on)
    _plan(officer, home_affairs.code, start=first.starts_on)  # planned, never carried out
    for row in (first, second):
        plans.complete_inspection(actor=officer, inspection=row)
    figures = annual_figures(first.starts_on.year)
    assert (figures["inspections"], figures["inspected_ministries"], figures["inspected_provinces"]) == (2, 2, 1)
    assert figures["tasks_overdue_rate_definition"] == "due-overdue@1"
    with pytest.raises(DomainError) as caught:
        plans.complete_inspection(actor=officer, inspection=first)
    assert caught.value.status == 409
