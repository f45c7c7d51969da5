"""The overdue rate for a period, an agency and an assigner, computed from the tasks themselves."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from govoffice.supervision import selectors
from govoffice.supervision.models import RateReport
from govoffice.supervision.services.reports import save_rate_report
from govoffice.supervision.services.tasks import report_progress

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _make(assign, finance_staff, home_affairs) -> None:
    past = TODAY - 40 * DAY
    for n in range(3):  # Finance: 3 completed on time, 1 late, 1 overdue, 1 within term (by the Prime Minister)
        report_progress(actor=finance_staff, task=assign(f"Nhiệm vụ {n}", assigned_on=past, deadline=TODAY + DAY), note="Xong", complete=True)
    report_progress(actor=finance_staff, task=assign("Trễ", assigned_on=past, deadline=TODAY - DAY), note="Xong", complete=True)
    assign("Quá hạn", assigned_on=past, deadline=TODAY - 2 * DAY)
    assign("Trong hạn", assigned_on=past, deadline=TODAY + 9 * DAY)
    # Home Affairs: one overdue task from a Deputy Prime Minister
    assign("Quá hạn nội vụ", lead=home_affairs.code, assigned_on=past, deadline=TODAY - 3 * DAY, assigner="deputy_prime_minister")


def test_the_rate_counts_each_status_and_names_its_definition(assign, finance_staff, home_affairs) -> None:
    _make(assign, finance_staff, home_affairs)
    result = selectors.overdue_rate(selectors.Scope(TODAY - 60 * DAY, TODAY))
    assert result.counts.as_dict() == {
        "completed_on_time": 3, "completed_late": 1, "unfinished_in_term": 1, "unfinished_overdue": 2, "no_deadline": 0,
        "completed": 4, "unfinished": 3, "total": 7,
    }
    assert result.definition.key == "due-overdue@1"
    assert result.rate == 33.33  # 2 overdue ÷ (4 completed + 2 overdue)
    assert selectors.overdue_rate(selectors.Scope(TODAY - 60 * DAY, TODAY), "vpcp-overdue@1").rate == 50.0  # 2 ÷ 4


def test_the_rate_narrows_to_an_agency_and_an_assigner(assign, finance_staff, home_affairs, ministry) -> None:
    _make(assign, finance_staff, home_affairs)
    finance = selectors.overdue_rate(selectors.Scope(TODAY - 60 * DAY, TODAY, ministry))
    assert (finance.counts.unfinished_overdue, finance.counts.completed, finance.rate) == (1, 4, 20.0)
    deputies = selectors.overdue_rate(selectors.Scope(TODAY - 60 * DAY, TODAY, assigner="deputy_prime_minister"))
    assert (deputies.counts.total, deputies.rate) == (1, 100.0)  # its one task is overdue, none completed
    assert selectors.overdue_rate(selectors.Scope(TODAY - 60 * DAY, TODAY, assigner="deputy_prime_minister"), "vpcp-overdue@1").rate is None


def test_a_period_counts_only_the_tasks_assigned_in_it_with_statuses_at_its_end(assign, finance_staff, home_affairs) -> None:
    _make(assign, finance_staff, home_affairs)
    earlier = selectors.overdue_rate(selectors.Scope(TODAY - 60 * DAY, TODAY - 2 * DAY))
    # On that day nothing was completed yet; the tasks due before it were overdue.
    assert earlier.counts.completed == 0
    assert earlier.counts.unfinished_overdue == 1  # only "Quá hạn nội vụ" (due 3 days ago) had passed its deadline
    assert selectors.overdue_rate(selectors.Scope(TODAY - 10 * DAY, TODAY)).counts.total == 0


def test_a_saved_report_records_the_definition_it_used(assign, finance_staff, home_affairs, officer) -> None:
    _make(assign, finance_staff, home_affairs)
    report, result = save_rate_report(actor=officer, scope=selectors.Scope(TODAY - 60 * DAY, TODAY), definition="vpcp-overdue@1")
    stored = RateReport.objects.get(pk=report.pk)
    assert stored.definition == "vpcp-overdue@1"
    assert stored.rate == result.rate == 50.0
    assert stored.counts["unfinished_overdue"] == 2
