"""A leader assigns a document to a lead unit or person with co-ordinating ones, a direction and
a deadline; the lead handler marks it processing and done; the sender hears 04, 05, 06."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govoffice.audit.models import Event
from govoffice.deadlines import calendar
from govoffice.exchange.models import Kind, Message
from govoffice.lib.errors import Forbidden
from govoffice.records.models import Assignment, Incoming, IncomingState, SearchEntry
from govoffice.records.services.handling import (
    AssignmentPlan,
    assign_incoming,
    complete_incoming,
    start_processing,
)
from govoffice.records.tests.incoming_people import desk, register  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_leader_assigns_a_lead_person_coordinators_a_direction_and_a_deadline(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    deadline = calendar().add(timezone.localdate(), 10)
    a = assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(
        lead_person=desk.specialist, coordinators=[desk.colleague], coordinating_units=[desk.other_unit],
        direction="Chủ trì, phối hợp với Vụ Pháp luật nghiên cứu, báo cáo.", deadline=deadline,
    ))
    assert a.active and a.deadline == deadline and a.assigned_by == desk.leader
    assert list(a.coordinators.all()) == [desk.colleague] and list(a.coordinating_units.all()) == [desk.other_unit]
    row = Incoming.objects.get(pk=doc.pk)
    assert row.state == IncomingState.ASSIGNED and row.receiving_person == desk.specialist
    event = Event.objects.get(action="records.incoming_assigned")
    assert event.data["lead_person"] == "chuyenvien" and event.data["deadline"] == deadline.isoformat()
    assert SearchEntry.objects.get(kind="incoming", object_id=doc.pk).handler == desk.specialist


def test_a_deadline_in_working_days_follows_the_offices_calendar(desk, settings) -> None:  # noqa: F811
    today = timezone.localdate()
    next_workday = calendar().add(today, 1)
    settings.WORKDAYS = {**settings.WORKDAYS, "extra_holidays": [next_workday.isoformat()]}
    calendar.cache_clear()
    try:
        doc = register(desk, scans=[])
        a = assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(lead_unit=desk.unit, deadline_days=1))
        assert a.deadline == calendar().add(next_workday, 1) > next_workday
        assert a.deadline.weekday() < 5
    finally:
        calendar.cache_clear()


def test_the_lead_handler_marks_processing_then_done(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(lead_person=desk.specialist))
    assert start_processing(actor=desk.specialist, incoming=doc).state == IncomingState.PROCESSING
    done = complete_incoming(actor=desk.specialist, incoming=doc, note="Đã có văn bản trả lời số 55/VPCP-TH")
    assert done.state == IncomingState.DONE and done.completed_at is not None
    actions = list(Event.objects.filter(object_type="records.incoming", object_id=str(doc.pk)).order_by("seq").values_list("action", flat=True))
    assert actions == [
        "records.incoming_registered", "records.incoming_assigned", "records.incoming_processing", "records.incoming_done",
    ]


def test_a_member_of_the_lead_unit_handles_it(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(lead_unit=desk.unit))
    assert start_processing(actor=desk.head, incoming=doc).state == IncomingState.PROCESSING
    with pytest.raises(Forbidden):
        complete_incoming(actor=desk.colleague, incoming=doc)


def test_a_reassignment_ends_the_old_assignment(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    first = assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(lead_person=desk.specialist))
    start_processing(actor=desk.specialist, incoming=doc)
    second = assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(lead_person=desk.colleague))
    first.refresh_from_db()
    assert not first.active and first.ended_at is not None and second.active
    assert Assignment.objects.filter(incoming=doc, active=True).get() == second
    assert Incoming.objects.get(pk=doc.pk).state == IncomingState.ASSIGNED
    with pytest.raises(Forbidden):
        start_processing(actor=desk.specialist, incoming=doc)
    assert start_processing(actor=desk.colleague, incoming=doc).state == IncomingState.PROCESSING
    event = Event.objects.get(action="records.incoming_reassigned")
    assert event.data["ended"] == [first.pk] and event.data["lead_person"] == "dongnghiep"


def test_a_paper_document_sends_no_status(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(lead_person=desk.specialist, deadline=timezone.localdate()))
    complete_incoming(actor=desk.specialist, incoming=doc)
    assert not Message.objects.filter(kind=Kind.STATUS).exists()


@pytest.mark.django_db(transaction=True)
def test_the_sender_hears_assigned_processing_and_done(desk, finance, signed, send) -> None:  # noqa: F811
    send(finance, signed(finance, [desk.agency.code]))
    doc = Incoming.objects.get()
    deadline = timezone.localdate() + dt.timedelta(days=30)
    assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(lead_unit=desk.unit, lead_person=desk.specialist, deadline=deadline))
    start_processing(actor=desk.specialist, incoming=doc)
    complete_incoming(actor=desk.specialist, incoming=doc)
    statuses = list(Message.objects.filter(kind=Kind.STATUS, sender=desk.agency).order_by("received_at"))
    assert [s.status_code for s in statuses] == ["01", "03", "04", "05", "06"]
    assert "Vụ Tổng hợp" in statuses[2].description and f"{deadline:%d/%m/%Y}" in statuses[2].description
    assert all(s.about == doc.hub_message for s in statuses)
