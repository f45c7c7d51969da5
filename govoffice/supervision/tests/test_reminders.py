"""Reminders before deadlines go to the lead agency's people, once per deadline."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from govoffice.deadlines import calendar
from govoffice.notify.models import Notice
from govoffice.supervision.services.tasks import (
    decide_extension,
    request_extension,
    send_task_reminders,
)

TODAY = timezone.localdate()


def test_a_task_due_within_the_horizon_is_reminded_once_and_again_after_an_extension(assign, finance_staff, make_user, ministry, officer) -> None:
    make_user("department_head", agency=ministry, email="vutruong@mof.gov.vn")
    make_user("specialist", agency=ministry, email="")  # no address: nobody to write to
    soon = assign("Sắp đến hạn", deadline=calendar().add(TODAY, 2))
    assign("Còn lâu", deadline=TODAY + dt.timedelta(days=60))
    assert send_task_reminders(TODAY) == 1
    notices = Notice.objects.filter(kind="supervision.deadline_reminder", ref=f"task:{soon.code}")
    assert sorted(notices.values_list("address", flat=True)) == ["chuyenvien@mof.gov.vn", "vutruong@mof.gov.vn"]
    assert all(soon.code in n.subject for n in notices)
    assert send_task_reminders(TODAY) == 0
    ext = request_extension(actor=finance_staff, task=soon, requested_deadline=calendar().add(TODAY, 3), reason="Chờ số liệu")
    decide_extension(actor=officer, extension=ext, approve=True)
    assert send_task_reminders(TODAY) == 1


def test_a_completed_task_is_not_reminded(assign, finance_staff) -> None:
    from govoffice.supervision.services.tasks import report_progress

    task = assign(deadline=calendar().add(TODAY, 1))
    report_progress(actor=finance_staff, task=task, note="Xong", complete=True)
    assert send_task_reminders(TODAY) == 0
