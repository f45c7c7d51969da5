"""A document the hub delivers to the office is registered at once; the sender hears 01 and 03."""

from __future__ import annotations

import pytest

from govoffice.exchange.models import Delivery, DeliveryState, Kind, Message
from govoffice.records.models import Channel, Incoming, IncomingState
from govoffice.records.services.incoming import register_pending_hub_documents

pytestmark = pytest.mark.django_db(transaction=True)


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
