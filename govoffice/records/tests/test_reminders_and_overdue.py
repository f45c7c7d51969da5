"""Handlers are e-mailed before a deadline (settings.RECORDS["reminder_days"] working days
ahead), once per assignment, by a periodic task; leaders see what passed its deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from govoffice.audit.models import Event
from govoffice.deadlines import calendar
from govoffice.records import tasks
from govoffice.records.models import Assignment, Clearance
from govoffice.records.services.handling import (
    AssignmentPlan,
    assign_incoming,
    complete_incoming,
    reminder_horizon,
    send_due_reminders,
)
from govoffice.records.tests.incoming_people import desk, register, signed_in  # noqa: F401

pytestmark = pytest.mark.django_db


def _assigned(desk, days_ahead: int, **doc: object) -> Assignment:  # noqa: F811
    incoming = register(desk, scans=[], **doc)
    deadline = calendar().add(timezone.localdate(), days_ahead) if days_ahead else timezone.localdate()
    return assign_incoming(actor=desk.leader, incoming=incoming, plan=AssignmentPlan(lead_person=desk.specialist, deadline=deadline))


def test_a_handler_is_reminded_once_before_the_deadline(desk, settings) -> None:  # noqa: F811
    settings.RECORDS = {**settings.RECORDS, "reminder_days": 2}
    soon = _assigned(desk, 2)
    assert send_due_reminders() == 1
    assert send_due_reminders() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["chuyenvien@chinhphu.vn"]
    assert f"{soon.deadline:%d/%m/%Y}" in message.subject and soon.incoming.subject in message.body
    assert f"/records/incoming/{soon.incoming_id}/" in message.body
    assert Assignment.objects.get(pk=soon.pk).reminded_at is not None
    assert Event.objects.filter(action="records.deadline_reminder", object_id=str(soon.incoming_id)).count() == 1


def test_deadlines_further_away_and_finished_documents_are_not_reminded(desk, settings) -> None:  # noqa: F811
    settings.RECORDS = {**settings.RECORDS, "reminder_days": 2}
    _assigned(desk, 3)
    done = _assigned(desk, 1)
    complete_incoming(actor=desk.specialist, incoming=done.incoming)
    assert send_due_reminders() == 0
    assert mail.outbox == []


def test_the_reminder_window_counts_working_days() -> None:
    today = dt.date(2026, 1, 2)  # a Friday: two working days ahead reach Tuesday 6 January
    assert calendar().add(today, 2) == dt.date(2026, 1, 6)
    assert reminder_horizon(today) >= dt.date(2026, 1, 6)


def test_a_reassigned_document_reminds_only_its_new_handler(desk) -> None:  # noqa: F811
    a = _assigned(desk, 1)
    assign_incoming(actor=desk.leader, incoming=a.incoming, plan=AssignmentPlan(lead_person=desk.head, deadline=a.deadline))
    assert send_due_reminders() == 1
    assert [m.to for m in mail.outbox] == [["vutruong@chinhphu.vn"]]


def test_a_secret_documents_summary_stays_out_of_the_mail(desk) -> None:  # noqa: F811
    a = _assigned(desk, 1, confidentiality=Clearance.MAT, subject="Nội dung mật không được gửi qua thư")
    send_due_reminders()
    assert "không được gửi" not in mail.outbox[0].body and "không được gửi" not in mail.outbox[0].subject
    assert str(a.incoming.arrival_number) in mail.outbox[0].subject


def test_the_periodic_task_sends_the_reminders(desk) -> None:  # noqa: F811
    _assigned(desk, 0)
    assert tasks.remind_deadlines.call_local() == 1
    assert len(mail.outbox) == 1


def test_leaders_see_the_overdue_list(desk) -> None:  # noqa: F811
    late = _assigned(desk, 1, subject="Báo cáo đã quá hạn")
    finished = _assigned(desk, 1, subject="Báo cáo đã xong")
    _assigned(desk, 5, subject="Báo cáo còn hạn")
    Assignment.objects.filter(pk__in=[late.pk, finished.pk]).update(deadline=timezone.localdate() - dt.timedelta(days=7))
    complete_incoming(actor=desk.specialist, incoming=finished.incoming)
    page = signed_in(desk.leader).get("/records/incoming/overdue/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Báo cáo đã quá hạn" in html
    assert "Báo cáo đã xong" not in html and "Báo cáo còn hạn" not in html


def test_the_overdue_list_is_for_leaders(desk) -> None:  # noqa: F811
    assert signed_in(desk.specialist).get("/records/incoming/overdue/").status_code == 403
    assert signed_in(desk.clerk).get("/records/incoming/overdue/").status_code == 403
