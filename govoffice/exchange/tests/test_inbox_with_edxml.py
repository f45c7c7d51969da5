"""GET /inbox?include_edxml=true: a page carries the documents themselves, no GET of each one."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from govoffice_agent import edxml

from govoffice.exchange import selectors
from govoffice.exchange.models import Delivery, DeliveryState, Message
from govoffice.exchange.receipts import verify_receipt
from govoffice.exchange.services import messages
from govoffice.exchange.tests.test_inbox_and_ack import ids, inbox, sent_document


def test_each_item_carries_the_original_bytes_and_the_senders_receipt(client, finance, office, signed, send, status_of) -> None:
    raw = signed(finance, [office.code], number="501")
    sent = send(finance, raw)
    assert sent.status_code == 201, sent.json()
    status_raw = status_of(office, "000.00.00.G12,2019/09/20,501/BTC-VP", "01")
    assert send(office, status_raw, "/api/v1/hub/statuses").status_code == 201

    [item] = inbox(client, office, include_edxml="true")
    assert item["message"]["id"] == sent.json()["message_id"]
    assert edxml.b64decode_strict(item["edxml"]) == raw  # byte for byte, signature and all
    assert item["receipt"] == sent.json()["receipt"]
    assert item["receipt_signature"] == sent.json()["signature"]
    assert verify_receipt(item["receipt"], item["receipt_signature"])
    # The same as GET /messages/{id}/edxml gives, and counted as that fetch is.
    fetched = client.get(f"/api/v1/hub/messages/{item['message']['id']}/edxml", **office.headers())
    assert fetched.content == raw
    delivery = Delivery.objects.get(message_id=item["message"]["id"], recipient=office.agency)
    assert delivery.first_fetched_at is not None and delivery.fetch_count == 1

    [status_item] = inbox(client, finance, include_edxml="true")  # statuses too
    assert status_item["message"]["kind"] == "status"
    assert edxml.b64decode_strict(status_item["edxml"]) == status_raw


def test_without_the_option_the_items_have_no_document_keys(client, finance, office, signed, send) -> None:
    sent_document(finance, [office], signed, send)
    [item] = inbox(client, office)
    assert set(item) == {"message", "lease_until", "fetch_count"}


def test_a_page_stops_before_the_byte_budget_and_leaves_the_rest_unleased(client, finance, office, signed, send, monkeypatch) -> None:
    first, _ = sent_document(finance, [office], signed, send, number="601")
    second, _ = sent_document(finance, [office], signed, send, number="602")
    third, _ = sent_document(finance, [office], signed, send, number="603")
    size = Message.objects.get(pk=first).size
    monkeypatch.setattr(messages, "INBOX_DOCUMENT_BYTES", 2 * size + size // 2)

    assert ids(inbox(client, office, include_edxml="true")) == [first, second]
    rest = Delivery.objects.get(message_id=third, recipient=office.agency)
    assert rest.state == DeliveryState.PENDING and rest.lease_until is None and rest.fetch_count == 0
    assert ids(inbox(client, office, include_edxml="true")) == [third]


def test_documents_that_fill_the_budget_exactly_come_together(client, finance, office, signed, send, monkeypatch) -> None:
    first, _ = sent_document(finance, [office], signed, send, number="651")
    second, _ = sent_document(finance, [office], signed, send, number="652")
    third, _ = sent_document(finance, [office], signed, send, number="653")
    sizes = dict(Message.objects.filter(pk__in=[first, second]).values_list("pk", "size"))
    monkeypatch.setattr(messages, "INBOX_DOCUMENT_BYTES", sum(sizes.values()))
    assert ids(inbox(client, office, include_edxml="true")) == [first, second]
    assert ids(inbox(client, office, include_edxml="true")) == [third]


def test_a_document_larger_than_the_budget_still_comes_one_a_page(client, finance, office, signed, send, monkeypatch) -> None:
    first, _ = sent_document(finance, [office], signed, send, number="701")
    second, _ = sent_document(finance, [office], signed, send, number="702")
    monkeypatch.setattr(messages, "INBOX_DOCUMENT_BYTES", 10)
    assert ids(inbox(client, office, include_edxml="true")) == [first]
    assert ids(inbox(client, office, include_edxml="true")) == [second]
    assert inbox(client, office, include_edxml="true") == []


@pytest.mark.parametrize("with_raw", [True, False])
def test_a_leased_pages_items_are_built_from_what_the_lease_read(
    finance, office, signed, send, status_of, with_raw, django_assert_num_queries
) -> None:
    """lease_inbox reads only the columns an item shows: building the items reads nothing more."""
    raw = signed(finance, [office.code], number="801")
    assert send(finance, raw).status_code == 201
    assert send(office, status_of(office, "000.00.00.G12,2019/09/20,801/BTC-VP", "01"), "/api/v1/hub/statuses").status_code == 201
    for agency in (office.agency, finance.agency):  # a document, and a status about it
        [leased] = messages.lease_inbox(agency, with_raw=with_raw)
        with django_assert_num_queries(0):
            item = selectors.inbox_item(leased, with_raw=with_raw)
        whole = Delivery.objects.select_related("message", "message__sender").get(pk=leased.pk)
        assert item == selectors.inbox_item(whole, with_raw=with_raw)  # the same as from the whole rows
        assert (item["message"]["about"] is not None) == (agency == finance.agency)


def test_the_option_must_be_a_boolean(client, office) -> None:
    response = client.get("/api/v1/hub/inbox", {"include_edxml": "perhaps"}, **office.headers())
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert response.json()["error"]["field"] == "include_edxml"


@pytest.mark.django_db(transaction=True)
def test_a_message_another_recipient_is_leasing_does_not_hide_it(client, finance, nghe_an, enroll, signed, send) -> None:
    """The page's sizes come from a join with the message: only the deliveries may be locked.

    (Not the Government Office as a recipient here: committed, its deliveries go to its own
    register at once.)"""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (FOR UPDATE ... SKIP LOCKED) are PostgreSQL's; SQLite locks the whole database")
    hcm = enroll("000.00.00.H29")
    doc_id, _ = sent_document(finance, [hcm, nghe_an], signed, send)
    locked, release = threading.Event(), threading.Event()

    def hold_the_message() -> None:
        try:
            with transaction.atomic():
                Message.objects.select_for_update().defer("raw").get(pk=doc_id)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_message)
    holder.start()
    try:
        assert locked.wait(10)
        assert ids(inbox(client, nghe_an, include_edxml="true")) == [doc_id]
    finally:
        release.set()
        holder.join()
