"""A document the hub delivers to the office is registered at once; the sender hears 01 and 03."""

from __future__ import annotations

import pytest
from govoffice_agent import edxml

from govoffice.exchange.models import Delivery, DeliveryState, Kind, Message
from govoffice.lib.errors import DomainError
from govoffice.records.models import Channel, Incoming, IncomingState, NumberSeries
from govoffice.records.services.incoming import (
    ARRIVAL_SERIES,
    register_from_hub,
    register_pending_hub_documents,
)

pytestmark = pytest.mark.django_db(transaction=True)

DOC = "000.00.00.G12,2019/09/20,123/BTC-VP"


def test_a_document_from_the_hub_is_registered_with_the_next_arrival_number(office_hub, finance, signed, send) -> None:
    send(finance, signed(finance, [office_hub.code], number="1"))
    send(finance, signed(finance, [office_hub.code], number="2"))
    rows = list(Incoming.objects.order_by("arrival_number"))
    assert [r.arrival_number for r in rows] == [1, 2]
    first = rows[0]
    assert first.channel == Channel.ELECTRONIC and first.state == IncomingState.REGISTERED
    assert first.number_notation == "1/BTC-VP" and first.sender == finance.agency
    assert first.files.count() == 1 and first.files.get().content_type == "application/pdf"
    assert Delivery.objects.get(message=first.hub_message, recipient=office_hub.agency).state == DeliveryState.ACKED


def test_the_sender_hears_arrived_then_registered(office_hub, finance, signed, send) -> None:
    send(finance, signed(finance, [office_hub.code]))
    statuses = Message.objects.filter(kind=Kind.STATUS, sender=office_hub.agency).order_by("received_at")
    assert [s.status_code for s in statuses] == ["01", "03"]
    assert "số đến 1" in statuses[1].description
    assert all(Delivery.objects.filter(message=s, recipient=finance.agency).exists() for s in statuses)


def test_the_sweep_registers_what_the_listener_missed_and_never_twice(office_hub, finance, signed, send) -> None:
    send(finance, signed(finance, [office_hub.code]))
    Incoming.objects.all().delete()
    assert register_pending_hub_documents() == 1
    assert register_pending_hub_documents() == 0
    assert Incoming.objects.count() == 1


@pytest.mark.parametrize("doc_type", [edxml.DOC_REVOKE, edxml.DOC_UPDATE], ids=["revoke", "update"])
def test_a_revoke_or_update_request_is_left_to_the_clerk_by_the_listener_and_the_sweep(
    office_hub, finance, signed, send, status_of, doc_type: int
) -> None:
    send(finance, signed(finance, [office_hub.code]))
    original = Incoming.objects.get()
    business = edxml.Business(doc_type=doc_type, reason="Ban hành nhầm số ký hiệu")
    response = send(finance, signed(finance, [office_hub.code], business=business))
    assert response.status_code == 201, response.json()
    asked = Message.objects.get(id=response.json()["message_id"])
    assert asked.business_doc_type == doc_type and asked.about == original.hub_message

    assert register_pending_hub_documents() == 0  # the sweep agrees with the listener: nothing to register
    assert list(Incoming.objects.all()) == [original] and original.arrival_number == 1
    assert NumberSeries.objects.get(agency=office_hub.agency, key=ARRIVAL_SERIES).last_number == 1
    statuses = Message.objects.filter(kind=Kind.STATUS, sender=office_hub.agency).order_by("received_at")
    assert [(s.status_code, s.about) for s in statuses] == [("01", original.hub_message), ("03", original.hub_message)]
    with pytest.raises(DomainError) as refused:
        register_from_hub(asked, office_hub.agency)
    assert refused.value.code == "not_a_new_document" and Incoming.objects.count() == 1

    # The request waits in the office's hub inbox for a clerk, who answers it through the hub.
    assert Delivery.objects.get(message=asked, recipient=office_hub.agency).state == DeliveryState.PENDING
    answer = send(office_hub, status_of(office_hub, DOC, "15"), "/api/v1/hub/statuses")
    assert answer.status_code == 201, answer.json()
    assert Message.objects.get(id=answer.json()["message_id"]).about == asked


def test_a_replacement_is_registered_as_a_document_of_its_own_and_its_request_answered(
    office_hub, finance, signed, send, status_of
) -> None:
    send(finance, signed(finance, [office_hub.code]))
    original = Incoming.objects.get()
    business = edxml.Business(doc_type=edxml.DOC_REPLACE, reason="Thay thế văn bản ban hành nhầm", replaces=[DOC])
    response = send(finance, signed(finance, [office_hub.code], number="124", business=business))
    assert response.status_code == 201, response.json()
    replacement = Message.objects.get(id=response.json()["message_id"])
    # Registered once (by the listener; the sweep finds nothing more), with the next number.
    assert register_pending_hub_documents() == 0
    registered = Incoming.objects.exclude(pk=original.pk).get()
    assert registered.hub_message == replacement and registered.arrival_number == 2
    statuses = Message.objects.filter(kind=Kind.STATUS, sender=office_hub.agency, about=replacement)
    assert sorted(s.status_code for s in statuses) == ["01", "03"]  # about the replacement, not the original
    answer = send(office_hub, status_of(office_hub, DOC, "15"), "/api/v1/hub/statuses")
    assert answer.status_code == 201, answer.json()
    assert Message.objects.get(id=answer.json()["message_id"]).about == replacement
