"""A task's status is derived for any day, from its completion and the deadline then in force."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from govoffice.supervision import selectors
from govoffice.supervision.models import Status, Task
from govoffice.supervision.services.tasks import (
    decide_extension,
    report_progress,
    request_extension,
)

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _sql_status(task: Task, day: dt.date) -> set[str]:
    """The statuses whose database filter selects the task on `day` (exactly one, or none before it existed)."""
    return {s.value for s in Status if selectors.filter_status(Task.objects.filter(pk=task.pk), s, day).exists()}


def test_an_unfinished_task_is_within_term_until_its_deadline_then_overdue(assign) -> None:
    task = assign(assigned_on=TODAY - 20 * DAY, deadline=TODAY)
    assert selectors.status_on(task, TODAY) == Status.UNFINISHED_IN_TERM
    assert selectors.status_on(task, TODAY + DAY) == Status.UNFINISHED_OVERDUE
    assert _sql_status(task, TODAY) == {"unfinished_in_term"}
    assert _sql_status(task, TODAY + DAY) == {"unfinished_overdue"}


def test_a_task_did_not_exist_before_it_was_assigned(assign) -> None:
    task = assign(assigned_on=TODAY - 5 * DAY, deadline=TODAY + 5 * DAY)
    assert selectors.status_on(task, TODAY - 6 * DAY) is None
    assert _sql_status(task, TODAY - 6 * DAY) == set()


def test_completion_after_the_deadline_is_late_and_before_it_unfinished(assign, finance_staff) -> None:
    task = assign(assigned_on=TODAY - 30 * DAY, deadline=TODAY - 10 * DAY)
    report_progress(actor=finance_staff, task=task, note="Đã trình Chính phủ", complete=True)
    task.refresh_from_db()
    assert task.completed_on == TODAY
    assert selectors.status_on(task, TODAY) == Status.COMPLETED_LATE
    assert _sql_status(task, TODAY) == {"completed_late"}
    assert selectors.status_on(task, TODAY - DAY) == Status.UNFINISHED_OVERDUE
    assert _sql_status(task, TODAY - DAY) == {"unfinished_overdue"}


def test_completion_on_time_and_without_a_deadline(assign, finance_staff) -> None:
    timely = assign(assigned_on=TODAY - 3 * DAY, deadline=TODAY + 3 * DAY)
    open_ended = assign(assigned_on=TODAY - 3 * DAY)
    assert selectors.status_on(open_ended, TODAY) == Status.NO_DEADLINE
    assert _sql_status(open_ended, TODAY) == {"no_deadline"}
    for task in (timely, open_ended):
        report_progress(actor=finance_staff, task=task, note="Hoàn thành", complete=True)
        task.refresh_from_db()
        assert selectors.status_on(task, TODAY) == Status.COMPLETED_ON_TIME
        assert _sql_status(task, TODAY) == {"completed_on_time"}


def test_an_extension_approved_today_does_not_rescue_the_days_the_task_was_overdue(assign, finance_staff, officer) -> None:
    task = assign(assigned_on=TODAY - 30 * DAY, deadline=TODAY - 5 * DAY)
    ext = request_extension(actor=finance_staff, task=task, requested_deadline=TODAY + 10 * DAY, reason="Chờ ý kiến các bộ")
    decide_extension(actor=officer, extension=ext, approve=True)
    task.refresh_from_db()
    assert task.deadline == TODAY + 10 * DAY
    assert selectors.status_on(task, TODAY - 2 * DAY) == Status.UNFINISHED_OVERDUE
    assert _sql_status(task, TODAY - 2 * DAY) == {"unfinished_overdue"}
    assert selectors.status_on(task, TODAY) == Status.UNFINISHED_IN_TERM
    assert _sql_status(task, TODAY) == {"unfinished_in_term"}
    assert selectors.deadline_in_force(task, TODAY - 2 * DAY) == TODAY - 5 * DAY
