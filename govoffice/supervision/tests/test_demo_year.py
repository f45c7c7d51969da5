"""The demo year of supervision reads back the seed's figures, and the same seed gives the same rows."""

from __future__ import annotations

from typing import Any

import pytest

from govoffice.demo.year import supervision as demo
from govoffice.demo.year.context import YearContext
from govoffice.directory.models import Agency, AgencyKind
from govoffice.directory.services import create_agency
from govoffice.supervision import rates
from govoffice.supervision.models import (
    CodeCounter,
    DeadlineChange,
    Inspection,
    ProgressReport,
    Task,
)
from govoffice.supervision.selectors import annual_figures

MEMBERS = [("000.00.00.G12", "Bộ Tài chính", "BTC"), ("000.00.00.G09", "Bộ Nội vụ", "BNV"), ("000.00.00.G05", "Bộ Giáo dục và Đào tạo", "BGDĐT"),
           ("000.00.00.H41", "UBND tỉnh Nghệ An", "Nghệ An"), ("000.00.00.H29", "UBND thành phố Hà Nội", "Hà Nội")]


@pytest.fixture
def members(office: Agency) -> list[Agency]:
    out = [office]
    for code, name, short in MEMBERS:
        out.append(create_agency(actor=None, code=code, name_vi=name, short_name=short,
                                 kind=AgencyKind.PROVINCE if ".H" in code else AgencyKind.MINISTRY))
    return out


def _ctx(office: Agency, members: list[Agency], scale: float, seed: int = 7) -> YearContext:
    return YearContext(year=2019, scale=scale, seed=seed, office=office, members=members, people={})


def _rows() -> list[tuple[Any, ...]]:
    return list(Task.objects.order_by("code").values_list("code", "content", "lead_agency__code", "assigned_on", "deadline", "completed_on", "assigner"))


@pytest.mark.parametrize("target", [2.07, 1.38, 0.5])
def test_the_counts_found_give_exactly_the_target_rate(target: float) -> None:
    for about in (7, 150, 193, 15_330):
        completed, overdue = demo.rate_counts(target, about)
        assert completed >= about
        assert rates.get_definition(None).compute(rates.Counts(completed_on_time=completed, unfinished_overdue=overdue)) == target


def test_a_small_year_reads_back_the_seeds_rate_and_inspections(office, members) -> None:
    demo.generate(_ctx(office, members, 0.1))
    figures = annual_figures(2019)
    assert figures == {"tasks_overdue_rate": 2.07, "tasks_overdue_rate_definition": "due-overdue@1",
                       "inspections": 2, "inspected_ministries": 2, "inspected_provinces": 2}
    assert Task.objects.count() >= 2_100
    assert Inspection.objects.filter(targets__agency=office).count() == 0  # the office does not inspect itself
    completed = Task.objects.filter(completed_on__isnull=False, completed_on__year=2019)
    assert ProgressReport.objects.filter(completes=True).count() == Task.objects.filter(completed_on__isnull=False).count()
    assert completed.filter(source="document").count() == 0  # no issued documents in this database: meetings and inspections only
    assert DeadlineChange.objects.exists()


def test_the_same_seed_gives_the_same_year_and_another_seed_another(office, members) -> None:
    demo.generate(_ctx(office, members, 0.01))
    first = _rows()
    assert annual_figures(2019)["tasks_overdue_rate"] == 2.07
    for model in (ProgressReport, DeadlineChange, Task, Inspection, CodeCounter):
        model.objects.all().delete()
    demo.generate(_ctx(office, members, 0.01))
    assert _rows() == first
    for model in (ProgressReport, DeadlineChange, Task, Inspection, CodeCounter):
        model.objects.all().delete()
    demo.generate(_ctx(office, members, 0.01, seed=8))
    assert _rows() != first
    assert annual_figures(2019)["tasks_overdue_rate"] == 2.07
