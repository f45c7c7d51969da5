"""Acknowledging many deliveries in one request: each answered on its own, final, one audit event."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.test import Client

from govoffice.audit.models import Event
from govoffice.audit.services import verify_chain
from govoffice.exchange.models import Delivery, DeliveryState
from govoffice.exchange.tests.conftest import Party

ACKS = "/api/v1/hub/acks"


def _headers(party: Party) -> dict[str, Any]:
    return dict(party.headers())


def sent(finance: Party, office: Party, signed: Any, send: Any, count: int) -> list[str]:
    ids = []
    for n in range(count):
        response = send(finance, signed(finance, [office.code], number=str(n + 1)))
        assert response.status_code == 201, response.json()
        ids.append(response.json()["message_id"])
    return ids


def ack_many(client: Client, party: Party, ids: list[str]) -> Any:
    return client.post(ACKS, data=json.dumps({"message_ids": ids}), content_type="application/json", **_headers(party))


def test_acknowledging_many_at_once_settles_each_delivery(client, finance, office, signed, send) -> None:
    ids = sent(finance, office, signed, send, 3)
    response = ack_many(client, office, ids)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["acknowledged"] == 3
    assert [r["message_id"] for r in body["results"]] == ids
    assert all(r["status"] == 200 and r["state"] == "acked" and r["acked_at"] for r in body["results"])
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.ACKED}
    inbox = client.get("/api/v1/hub/inbox", **office.headers()).json()["items"]
    assert inbox == []


def test_unknown_other_agencys_and_malformed_ids_are_refused_on_their_own(client, finance, office, nghe_an, signed, send) -> None:
    ids = sent(finance, office, signed, send, 1)
    theirs = send(finance, signed(finance, [nghe_an.code], number="9")).json()["message_id"]
    response = ack_many(client, office, [ids[0], str(uuid.uuid4()), theirs, "not-a-uuid"])
    results = response.json()["results"]
    assert [r["status"] for r in results] == [200, 404, 404, 422]
    assert results[1]["error"]["code"] == "unknown_message"
    assert Delivery.objects.get(recipient=nghe_an.agency).state == DeliveryState.PENDING


def test_acknowledging_twice_is_harmless_and_keeps_the_first_time(client, finance, office, signed, send) -> None:
    ids = sent(finance, office, signed, send, 2)
    first = ack_many(client, office, ids[:1]).json()["results"][0]
    again = ack_many(client, office, ids).json()["results"]
    assert again[0]["acked_at"] == first["acked_at"]
    assert [r["status"] for r in again] == [200, 200]


def test_a_bulk_acknowledgement_is_one_audit_event_and_the_chain_verifies(client, finance, office, signed, send) -> None:
    ids = sent(finance, office, signed, send, 3)
    before = Event.objects.count()
    ack_many(client, office, ids)
    events = list(Event.objects.filter(seq__gt=before, action="hub.deliveries_acked"))
    assert len(events) == 1 and events[0].data["messages"] == sorted(ids)
    ack_many(client, office, ids)  # nothing new to record
    assert Event.objects.filter(action="hub.deliveries_acked").count() == 1
    assert verify_chain().ok


def test_more_than_a_thousand_ids_are_refused_whole(client, office) -> None:
    response = ack_many(client, office, [str(uuid.uuid4()) for _ in range(1001)])
    assert response.status_code == 422
