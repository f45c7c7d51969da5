"""A clerk returns a misaddressed document: the sender hears 02 with the reason, the line stays
in the register marked returned, and an assigned document can no longer be returned."""

from __future__ import annotations

import pytest

from govoffice.audit.models import Event
from govoffice.exchange.models import Delivery, Kind, Message
from govoffice.lib.errors import Conflict, DomainError, Forbidden
from govoffice.records.models import Incoming, IncomingState
from govoffice.records.services.handling import AssignmentPlan, assign_incoming
from govoffice.records.services.incoming import return_incoming
from govoffice.records.tests.incoming_people import desk, register, snapshot  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_the_sender_hears_02_with_the_reason(desk, finance, signed, send) -> None:  # noqa: F811
    send(finance, signed(finance, [desk.agency.code]))
    doc = Incoming.objects.get()
    return_incoming(actor=desk.clerk, incoming=doc, reason="Gửi nhầm cơ quan nhận")
    statuses = Message.objects.filter(kind=Kind.STATUS, sender=desk.agency).order_by("received_at")
    assert [s.status_code for s in statuses] == ["01", "03", "02"]
    last = statuses.last()
    assert last is not None and last.description == "Gửi nhầm cơ quan nhận"
    assert Delivery.objects.filter(message=last, recipient=finance.agency).exists()


def test_the_returned_document_keeps_its_line_and_number(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    row = return_incoming(actor=desk.clerk, incoming=doc, reason="Không thuộc thẩm quyền")
    assert row.state == IncomingState.RETURNED and row.arrival_number == 1
    assert Event.objects.filter(action="records.incoming_returned", object_id=str(doc.pk)).get().data["reason"] == "Không thuộc thẩm quyền"
    assert register(desk, scans=[]).arrival_number == 2


def test_a_paper_document_is_returned_without_a_status(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    return_incoming(actor=desk.clerk, incoming=doc, reason="Gửi nhầm")
    assert not Message.objects.filter(kind=Kind.STATUS).exists()


def test_returning_needs_a_reason_and_changes_nothing_without_one(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    before = snapshot()
    with pytest.raises(DomainError) as err:
        return_incoming(actor=desk.clerk, incoming=doc, reason="  ")
    assert err.value.field == "reason" and err.value.status == 422
    assert snapshot() == before


def test_only_a_clerk_returns_a_document(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    before = snapshot()
    with pytest.raises(Forbidden):
        return_incoming(actor=desk.leader, incoming=doc, reason="Gửi nhầm")
    assert snapshot() == before


def test_an_assigned_document_cannot_be_returned(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(lead_person=desk.specialist))
    before = snapshot()
    with pytest.raises(Conflict) as err:
        return_incoming(actor=desk.clerk, incoming=doc, reason="Gửi nhầm")
    assert err.value.status == 409
    assert snapshot() == before
    assert Incoming.objects.get(pk=doc.pk).state == IncomingState.ASSIGNED
