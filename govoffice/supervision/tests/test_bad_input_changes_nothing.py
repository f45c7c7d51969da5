"""Bad input is refused with a clear message naming the field, and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.utils import timezone

from govoffice.audit.models import Event
from govoffice.lib.errors import DomainError
from govoffice.supervision.models import DeadlineChange, Extension, ProgressReport, Task
from govoffice.supervision.services.tasks import (
    TaskDraft,
    create_task,
    decide_extension,
    report_progress,
    request_extension,
)

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _snapshot() -> tuple[int, ...]:
    return (Task.objects.count(), ProgressReport.objects.count(), Extension.objects.count(),
            DeadlineChange.objects.count(), Event.objects.count())


def _refused(call: Callable[[], Any]) -> DomainError:
    before = _snapshot()
    with pytest.raises(DomainError) as caught:
        call()
    assert _snapshot() == before
    return caught.value


def test_a_deadline_before_the_assignment_is_refused(officer, ministry) -> None:
    draft = TaskDraft(content="Báo cáo", assigner="prime_minister", lead_agency=ministry.code, source_ref="1/CT-TTg",
                      assigned_on=TODAY - 3 * DAY, deadline=TODAY - 4 * DAY)
    exc = _refused(lambda: create_task(actor=officer, draft=draft))
    assert (exc.code, exc.field, exc.status) == ("deadline_before_assignment", "deadline", 400)
    assert TODAY.strftime("%d/%m/%Y") not in exc.message
    assert (TODAY - 4 * DAY).strftime("%d/%m/%Y") in exc.message


@pytest.mark.parametrize(("lead", "coordinating", "field"), [
    ("000.00.00.G99", [], "lead_agency"),
    ("000.00.00.G12", ["000.00.00.H99"], "coordinating_agencies"),
])
def test_an_unknown_agency_is_refused_by_its_code(officer, ministry, lead, coordinating, field) -> None:
    draft = TaskDraft(content="Báo cáo", assigner="government", lead_agency=lead, coordinating_agencies=coordinating, source_ref="2/NQ-CP")
    exc = _refused(lambda: create_task(actor=officer, draft=draft))
    assert (exc.code, exc.field) == ("unknown_agency", field)
    assert ("G99" if field == "lead_agency" else "H99") in exc.message


def test_progress_on_a_closed_task_is_a_conflict(assign, finance_staff) -> None:
    task = assign(deadline=TODAY + 5 * DAY)
    report_progress(actor=finance_staff, task=task, note="Đã hoàn thành", complete=True)
    exc = _refused(lambda: report_progress(actor=finance_staff, task=task, note="Bổ sung"))
    assert (exc.code, exc.status) == ("task_closed", 409)
    assert task.code in exc.message
    exc = _refused(lambda: request_extension(actor=finance_staff, task=task, requested_deadline=TODAY + 30 * DAY, reason="Thêm"))
    assert exc.code == "task_closed"


def test_an_extension_asked_by_someone_outside_the_lead_agency_is_forbidden(assign, make_user, home_affairs, officer) -> None:
    task = assign(deadline=TODAY + 5 * DAY)
    outsider = make_user("department_head", agency=home_affairs)
    for who in (outsider, officer):
        exc = _refused(partial(request_extension, actor=who, task=task, requested_deadline=TODAY + 9 * DAY, reason="Cần thêm thời gian"))
        assert (exc.code, exc.status) == ("forbidden", 403)


def test_an_extension_decided_by_someone_without_the_right_is_forbidden(assign, finance_staff, make_user, office) -> None:
    task = assign(deadline=TODAY + 5 * DAY)
    ext = request_extension(actor=finance_staff, task=task, requested_deadline=TODAY + 9 * DAY, reason="Cần thêm thời gian")
    for who in (finance_staff, make_user("office_leader", agency=office)):
        exc = _refused(partial(decide_extension, actor=who, extension=ext, approve=True))
        assert exc.status == 403
    task.refresh_from_db()
    assert task.deadline == TODAY + 5 * DAY


def test_an_extension_must_move_the_deadline_later_and_give_a_reason(assign, finance_staff) -> None:
    task = assign(deadline=TODAY + 5 * DAY)
    assert _refused(lambda: request_extension(actor=finance_staff, task=task, requested_deadline=TODAY + 5 * DAY, reason="x")).field == "requested_deadline"
    assert _refused(lambda: request_extension(actor=finance_staff, task=task, requested_deadline=TODAY + 9 * DAY, reason=" ")).field == "reason"


def test_only_supervision_officers_create_tasks(finance_staff, ministry) -> None:
    draft = TaskDraft(content="Báo cáo", assigner="government", lead_agency=ministry.code, source_ref="2/NQ-CP")
    assert _refused(lambda: create_task(actor=finance_staff, draft=draft)).status == 403
