"""The lead agency reports progress and asks for more time; the office decides; the deadlines' history stays."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from govoffice.audit.models import Event
from govoffice.notify.models import Notice
from govoffice.supervision.models import DeadlineChange, ExtensionState
from govoffice.supervision.services.tasks import (
    decide_extension,
    report_progress,
    request_extension,
)

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def test_progress_reports_are_kept_and_the_completing_one_closes_the_task(assign, finance_staff) -> None:
    task = assign(deadline=TODAY + 10 * DAY)
    report_progress(actor=finance_staff, task=task, note="Đã lấy ý kiến các bộ", percent=40)
    report_progress(actor=finance_staff, task=task, note="Đã trình Thủ tướng", complete=True)
    task.refresh_from_db()
    assert [(r.note, r.percent, r.completes) for r in task.reports.all()] == [
        ("Đã lấy ý kiến các bộ", 40, False), ("Đã trình Thủ tướng", 100, True)]
    assert task.completed_on == TODAY
    actions = list(Event.objects.filter(object_type="supervision.task", object_id=str(task.pk)).values_list("action", flat=True))
    assert actions == ["supervision.task_created", "supervision.progress_reported", "supervision.task_completed"]


def test_an_approved_extension_moves_the_deadline_and_keeps_the_old_one(assign, finance_staff, officer) -> None:
    task = assign(deadline=TODAY + 2 * DAY)
    ext = request_extension(actor=finance_staff, task=task, requested_deadline=TODAY + 20 * DAY, reason="Chờ Bộ Tư pháp thẩm định")
    decide_extension(actor=officer, extension=ext, approve=True, note="Đồng ý")
    task.refresh_from_db()
    ext.refresh_from_db()
    assert task.deadline == TODAY + 20 * DAY
    assert ext.state == ExtensionState.APPROVED and ext.decided_by == officer
    change = DeadlineChange.objects.get(task=task)
    assert (change.old_deadline, change.new_deadline, change.effective_on, change.extension_id) == (TODAY + 2 * DAY, TODAY + 20 * DAY, TODAY, ext.pk)
    notice = Notice.objects.get(kind="supervision.extension_decided", ref=f"task:{task.code}")
    assert notice.address == "chuyenvien@mof.gov.vn"


def test_a_refused_extension_leaves_the_deadline_and_needs_a_reason(assign, finance_staff, officer) -> None:
    task = assign(deadline=TODAY + 2 * DAY)
    ext = request_extension(actor=finance_staff, task=task, requested_deadline=TODAY + 20 * DAY, reason="Thiếu nhân lực")
    decide_extension(actor=officer, extension=ext, approve=False, note="Nhiệm vụ cấp bách, không gia hạn")
    task.refresh_from_db()
    assert task.deadline == TODAY + 2 * DAY
    assert not DeadlineChange.objects.filter(task=task).exists()
    # A new request may follow a decided one.
    again = request_extension(actor=finance_staff, task=task, requested_deadline=TODAY + 9 * DAY, reason="Đề nghị lần hai")
    assert again.state == ExtensionState.PENDING
