"""Pull delivery: the inbox leases pending items, a lease runs out, an acknowledgement is final."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.test import Client
from django.utils import timezone
from govoffice_agent import edxml

from govoffice.directory.models import Role
from govoffice.exchange.models import Delivery, DeliveryState
from govoffice.exchange.receipts import verify_receipt
from govoffice.exchange.tests.conftest import Party

INBOX = "/api/v1/hub/inbox"


def inbox(client: Client, party: Party, **params: Any) -> list[dict[str, Any]]:
    response = client.get(INBOX, params, **auth(party))
    assert response.status_code == 200, response.json()
    return list(response.json()["items"])


def auth(party: Party) -> dict[str, Any]:
    return party.headers()


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["message"]["id"] for item in items]


def ack(client: Client, party: Party, message_id: str) -> Any:
    return client.post(f"/api/v1/hub/messages/{message_id}/ack", **auth(party))


def sent_document(finance: Party, to: list[Party], signed: Any, send: Any, number: str = "123") -> tuple[str, bytes]:
    raw = signed(finance, [p.code for p in to], number=number)
    response = send(finance, raw)
    assert response.status_code == 201, response.json()
    return response.json()["message_id"], raw


def expire_leases(party: Party) -> None:
    Delivery.objects.filter(recipient=party.agency).update(lease_until=timezone.now() - dt.timedelta(seconds=1))


def test_the_inbox_leases_pending_documents_and_statuses(client, finance, office, signed, send, status_of) -> None:
    doc_id, _ = sent_document(finance, [office], signed, send)
    status = send(office, status_of(office, "000.00.00.G12,2019/09/20,123/BTC-VP", "01"), "/api/v1/hub/statuses")
    assert status.status_code == 201, status.json()
    office_items = inbox(client, office)
    assert ids(office_items) == [doc_id]
    item = office_items[0]
    assert item["message"]["kind"] == "document" and item["message"]["sender"] == finance.code
    assert item["fetch_count"] == 1 and item["lease_until"] is not None
    finance_items = inbox(client, finance)
    assert ids(finance_items) == [status.json()["message_id"]]
    assert finance_items[0]["message"]["kind"] == "status"
    assert finance_items[0]["message"]["status_code"] == "01"
    assert finance_items[0]["message"]["about"] == doc_id


def test_a_second_call_within_the_lease_does_not_hand_out_the_same_items(client, finance, office, signed, send) -> None:
    sent_document(finance, [office], signed, send)
    assert len(inbox(client, office)) == 1
    assert inbox(client, office) == []


def test_items_come_back_when_the_lease_runs_out(client, finance, office, signed, send) -> None:
    doc_id, _ = sent_document(finance, [office], signed, send)
    assert ids(inbox(client, office, lease_seconds=1)) == [doc_id]
    assert inbox(client, office) == []
    expire_leases(office)
    again = inbox(client, office)
    assert ids(again) == [doc_id]
    assert again[0]["fetch_count"] == 2


def test_the_first_fetch_is_kept_through_a_second_lease_and_the_acknowledgement(client, finance, office, signed, send) -> None:
    doc_id, _ = sent_document(finance, [office], signed, send, number="11")
    inbox(client, office)
    first = Delivery.objects.get(message_id=doc_id).first_fetched_at
    assert first is not None
    Delivery.objects.filter(message_id=doc_id).update(first_fetched_at=first - dt.timedelta(hours=1))
    expire_leases(office)
    inbox(client, office)  # a second lease, then both acknowledgement roads
    assert Delivery.objects.get(message_id=doc_id).first_fetched_at == first - dt.timedelta(hours=1)
    assert client.post("/api/v1/hub/acks", {"message_ids": [doc_id]}, content_type="application/json", **auth(office)).status_code == 200
    delivery = Delivery.objects.get(message_id=doc_id)
    assert delivery.state == DeliveryState.ACKED and delivery.first_fetched_at == first - dt.timedelta(hours=1)
    # Acknowledged without ever being leased: the acknowledgement is its first fetch.
    never, _ = sent_document(finance, [office], signed, send, number="12")
    assert client.post("/api/v1/hub/acks", {"message_ids": [never]}, content_type="application/json", **auth(office)).status_code == 200
    delivery = Delivery.objects.get(message_id=never)
    assert delivery.first_fetched_at is not None and delivery.first_fetched_at == delivery.acked_at


def test_the_limit_leaves_the_rest_for_the_next_call(client, finance, office, signed, send) -> None:
    first, _ = sent_document(finance, [office], signed, send, number="1")
    second, _ = sent_document(finance, [office], signed, send, number="2")
    assert ids(inbox(client, office, limit=1)) == [first]
    assert ids(inbox(client, office, limit=1)) == [second]


def test_an_acknowledged_item_never_comes_back(client, finance, office, signed, send) -> None:
    doc_id, _ = sent_document(finance, [office], signed, send)
    inbox(client, office)
    response = ack(client, office, doc_id)
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "acked" and response.json()["acked_at"]
    expire_leases(office)
    assert inbox(client, office) == []
    assert Delivery.objects.get(message_id=doc_id).state == DeliveryState.ACKED


def test_acknowledging_twice_is_harmless(client, finance, office, signed, send) -> None:
    doc_id, _ = sent_document(finance, [office], signed, send)
    first = ack(client, office, doc_id).json()
    second = ack(client, office, doc_id)
    assert second.status_code == 200
    assert second.json() == first


def test_one_recipients_ack_leaves_the_other_recipients_copy_pending(client, finance, office, nghe_an, signed, send) -> None:
    doc_id, _ = sent_document(finance, [office, nghe_an], signed, send)
    ack(client, office, doc_id)
    assert ids(inbox(client, nghe_an)) == [doc_id]


def test_the_fetched_bytes_are_the_original_exactly(client, finance, office, signed, send) -> None:
    doc_id, raw = sent_document(finance, [office], signed, send)
    response = client.get(f"/api/v1/hub/messages/{doc_id}/edxml", **office.headers())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert response.content == raw
    assert response["X-Govoffice-Receipt"] and response["X-Govoffice-Receipt-Signature"]


def test_the_receipt_header_verifies_for_a_vietnamese_notation(client, finance, office, signed, send) -> None:
    response = send(finance, signed(finance, [office.code], code=edxml.Code("7816", "VPCP-TTĐT")))
    assert response.status_code == 201, response.json()
    fetched = client.get(f"/api/v1/hub/messages/{response.json()['message_id']}/edxml", **office.headers())
    assert fetched["X-Govoffice-Receipt"] == response.json()["receipt"]
    assert verify_receipt(fetched["X-Govoffice-Receipt"], fetched["X-Govoffice-Receipt-Signature"])


def test_a_non_recipient_gets_the_same_404_as_for_a_message_that_does_not_exist(client, finance, office, nghe_an, signed, send) -> None:
    doc_id, _ = sent_document(finance, [office], signed, send)
    missing = str(uuid.uuid4())
    for message_id in (doc_id, missing):
        fetched = client.get(f"/api/v1/hub/messages/{message_id}/edxml", **nghe_an.headers())
        acked = ack(client, nghe_an, message_id)
        assert fetched.status_code == 404 and acked.status_code == 404
        assert fetched.json()["error"]["code"] == "unknown_message"
        assert acked.json()["error"]["code"] == "unknown_message"
    assert client.get(f"/api/v1/hub/messages/{doc_id}/edxml", **nghe_an.headers()).json() == client.get(
        f"/api/v1/hub/messages/{missing}/edxml", **nghe_an.headers()
    ).json()
    assert Delivery.objects.get(message_id=doc_id).state == DeliveryState.PENDING


def test_the_sender_cannot_acknowledge_for_its_recipient(client, finance, office, signed, send) -> None:
    doc_id, _ = sent_document(finance, [office], signed, send)
    response = ack(client, finance, doc_id)
    assert response.status_code == 404
    assert Delivery.objects.get(message_id=doc_id).state == DeliveryState.PENDING


def test_a_clerk_signed_in_to_the_member_agency_uses_the_hub(finance, office, signed, send, make_user) -> None:
    doc_id, raw = sent_document(finance, [office], signed, send)
    clerk = make_user(Role.CLERK, agency=office.agency)
    browser = Client()
    browser.force_login(clerk)
    items = browser.get(INBOX).json()["items"]
    assert [i["message"]["id"] for i in items] == [doc_id]
    assert browser.get(f"/api/v1/hub/messages/{doc_id}/edxml").content == raw
    assert browser.post(f"/api/v1/hub/messages/{doc_id}/ack").status_code == 200


def test_a_specialist_of_the_member_agency_is_refused(finance, office, signed, send, make_user) -> None:
    doc_id, _ = sent_document(finance, [office], signed, send)
    specialist = make_user(Role.SPECIALIST, agency=office.agency)
    browser = Client()
    browser.force_login(specialist)
    for response in (
        browser.get(INBOX),
        browser.get(f"/api/v1/hub/messages/{doc_id}/edxml"),
        browser.post(f"/api/v1/hub/messages/{doc_id}/ack"),
    ):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
    assert Delivery.objects.get(message_id=doc_id).state == DeliveryState.PENDING


def test_a_clerk_of_another_agency_does_not_see_its_inbox(finance, office, nghe_an, signed, send, make_user) -> None:
    sent_document(finance, [office], signed, send)
    clerk = make_user(Role.CLERK, agency=nghe_an.agency)
    browser = Client()
    browser.force_login(clerk)
    assert browser.get(INBOX).json()["items"] == []
