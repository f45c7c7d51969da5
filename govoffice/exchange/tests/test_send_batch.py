"""Many documents in one request: each checked and answered on its own, one audit event for all."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Sequence
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from govoffice.audit.models import Event
from govoffice.audit.services import verify_chain
from govoffice.exchange.models import Delivery, Message
from govoffice.exchange.receipts import verify_receipt
from govoffice.exchange.signals import document_accepted
from govoffice.exchange.tests.conftest import Party

BATCH = "/api/v1/hub/messages/batch"


def _headers(party: Party) -> dict[str, Any]:
    return dict(party.headers())


def post_batch(client: Client, party: Party, items: Sequence[tuple[bytes, str | None]]) -> Any:
    body = {"messages": [{"edxml": base64.b64encode(raw).decode(), "idempotency_key": key} for raw, key in items]}
    return client.post(BATCH, data=json.dumps(body), content_type="application/json", **_headers(party))


def test_a_batch_stores_each_document_with_its_own_signed_receipt(client, finance, office, nghe_an, signed) -> None:
    raws = [signed(finance, [office.code, nghe_an.code], number=str(n)) for n in range(1, 6)]
    response = post_batch(client, finance, [(raw, f"k{n}") for n, raw in enumerate(raws)])
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["accepted"] == 5
    assert [r["index"] for r in body["results"]] == [0, 1, 2, 3, 4]
    for raw, result in zip(raws, body["results"], strict=True):
        assert result["status"] == 201 and result["created"] is True
        assert verify_receipt(result["receipt"], result["signature"])
        message = Message.objects.get(id=result["message_id"])
        assert bytes(message.raw) == raw  # kept byte for byte
        assert json.loads(result["receipt"])["recipients"] == [office.code, nghe_an.code]
    assert Delivery.objects.count() == 10


def test_one_bad_document_is_refused_on_its_own_and_the_others_go_through(client, finance, office, signed) -> None:
    good = signed(finance, [office.code], number="1")
    unknown = signed(finance, ["000.00.00.G99"], number="2")
    tampered = signed(finance, [office.code], number="3").replace("năm 2019".encode(), "năm 2020".encode(), 1)
    response = post_batch(client, finance, [(good, None), (b"<not xml", None), (unknown, None), (tampered, None)])
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == [201, 400, 422, 422]
    assert [r["error"]["code"] for r in results[1:]] == ["malformed_xml", "unknown_recipient", "bad_signature"]
    assert Message.objects.count() == 1


def test_a_resend_in_a_later_batch_or_twice_in_one_returns_the_first_message(client, finance, office, signed) -> None:
    raw = signed(finance, [office.code], number="7")
    first = post_batch(client, finance, [(raw, "same"), (raw, "same")]).json()["results"]
    assert [r["status"] for r in first] == [201, 200]
    assert first[0]["message_id"] == first[1]["message_id"]
    again = signed(finance, [office.code], number="7")  # same DocumentId, no key
    second = post_batch(client, finance, [(again, None)]).json()["results"]
    assert second[0]["status"] == 200 and second[0]["created"] is False
    assert second[0]["message_id"] == first[0]["message_id"]
    assert Message.objects.count() == 1 and Delivery.objects.count() == 1


def test_a_batch_and_a_single_send_answer_a_resend_alike(client, finance, office, signed, send) -> None:
    raw = signed(finance, [office.code], number="8")
    single = send(finance, raw, HTTP_IDEMPOTENCY_KEY="abc")
    assert single.status_code == 201
    batch = post_batch(client, finance, [(raw, "abc")]).json()["results"][0]
    assert batch["status"] == 200 and batch["message_id"] == single.json()["message_id"]


def test_a_batch_writes_one_audit_event_listing_every_message_and_the_chain_verifies(client, finance, office, signed) -> None:
    before = Event.objects.count()
    raws = [signed(finance, [office.code], number=str(n)) for n in range(10, 14)]
    results = post_batch(client, finance, [(raw, None) for raw in raws]).json()["results"]
    events = list(Event.objects.filter(seq__gt=before).exclude(action="api_key.used"))
    accepted = [e for e in events if e.action == "hub.documents_accepted"]
    assert len(accepted) == 1
    listed = accepted[0].data["messages"]
    assert [m["id"] for m in listed] == [r["message_id"] for r in results]
    assert all(len(m["sha256"]) == 64 and m["to"] == [office.code] for m in listed)
    assert verify_chain().ok


def test_the_database_work_of_a_batch_does_not_grow_with_its_size(client, finance, office, signed) -> None:
    def queries(n: int, start: int) -> int:
        items = [(signed(finance, [office.code], number=str(start + i)), f"q{start + i}") for i in range(n)]
        with CaptureQueriesContext(connection) as captured:
            assert post_batch(client, finance, items).json()["accepted"] == n
        return len(captured.captured_queries)

    queries(1, 100)  # the first call also notes the key's use and the member's contact
    assert queries(2, 200) == queries(20, 300)


def test_a_batch_over_a_hundred_messages_is_refused_whole(client, finance, office, signed) -> None:
    raw = signed(finance, [office.code])
    response = post_batch(client, finance, [(raw, None)] * 101)
    assert response.status_code == 422
    assert Message.objects.count() == 0


def test_an_item_that_is_not_base64_is_refused_on_its_own(client, finance, office, signed) -> None:
    body = {"messages": [{"edxml": "!!!not base64"}, {"edxml": base64.b64encode(signed(finance, [office.code])).decode()}]}
    response = client.post(BATCH, data=json.dumps(body), content_type="application/json", **_headers(finance))
    results = response.json()["results"]
    assert results[0]["status"] == 400 and results[0]["error"]["code"] == "invalid_base64"
    assert results[1]["status"] == 201


def test_a_batch_needs_an_active_member(client, finance, office, signed) -> None:
    from govoffice.exchange.services.members import revoke_member

    raw = signed(finance, [office.code])
    revoke_member(actor=None, agency=finance.agency)
    response = post_batch(client, finance, [(raw, None)])
    assert response.status_code == 403
    assert Message.objects.count() == 0


def test_resends_are_looked_up_through_their_unique_indexes_not_the_senders_whole_history(finance) -> None:
    from govoffice.exchange.services.batch import _by_keys

    with CaptureQueriesContext(connection) as captured:
        assert _by_keys(finance.agency, {"a", "b", "c"}) == []
    if connection.vendor != "sqlite":
        return  # PostgreSQL plans from statistics; SQLite's choice without them is the one to pin
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + captured.captured_queries[0]["sql"])
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "one_message_per_idempotency_key" in plan and "exchange_me_sender" not in plan


def test_postgresql_keeps_the_signed_bytes_with_lz4_and_gives_them_back_unchanged(client, finance, office, signed) -> None:
    raw = signed(finance, [office.code])
    response = post_batch(client, finance, [(raw, "lz4-1")])
    assert response.status_code == 200 and response.json()["accepted"] == 1
    assert bytes(Message.objects.get(idempotency_key="lz4-1").raw) == raw
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        if not cursor.fetchone()[0]:
            pytest.skip("this PostgreSQL was built without lz4")
        cursor.execute(
            "SELECT attcompression FROM pg_attribute WHERE attrelid = 'exchange_message'::regclass AND attname = 'raw'"
        )
        assert cursor.fetchone()[0] == "l"
        cursor.execute("SELECT pg_column_compression(raw) FROM exchange_message WHERE idempotency_key = 'lz4-1'")
        assert cursor.fetchone()[0] in ("lz4", None)  # None: stored uncompressed (lz4 saved too little)


@pytest.mark.parametrize(
    "body",
    [
        b'{"messages": [{"edxml": "\\ud800"}]}',  # a lone surrogate: no character at all
        '{"messages": [{"edxml": "QUJD"}], "note": "Hà Nội"}'.encode("utf-16"),  # not UTF-8
        b'{"messages": [{"edxml": NaN}]}',
        b'{"messages": [',
    ],
)
def test_a_body_that_is_not_json_text_is_refused_whole_and_nothing_is_stored(client, finance, body) -> None:
    response = client.post(BATCH, data=body, content_type="application/json", **_headers(finance))
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "bad_request"
    assert Message.objects.count() == 0


def test_a_body_with_a_utf8_byte_order_mark_is_read_as_before(client, finance, office, signed) -> None:
    body = {"messages": [{"edxml": base64.b64encode(signed(finance, [office.code], number="1")).decode()}]}
    data = b"\xef\xbb\xbf" + json.dumps(body).encode()
    response = client.post(BATCH, data=data, content_type="application/json", **_headers(finance))
    assert response.status_code == 200, response.content
    assert response.json()["accepted"] == 1


def test_base64_with_line_breaks_or_trailing_data_is_refused_on_its_own(client, finance, office, signed) -> None:
    good = base64.b64encode(signed(finance, [office.code], number="1")).decode()
    wrapped = "\n".join(good[i : i + 76] for i in range(0, len(good), 76))  # MIME-style lines
    items = [{"edxml": good}, {"edxml": wrapped}, {"edxml": good + "=="}, {"edxml": " " + good}]
    response = client.post(BATCH, data=json.dumps({"messages": items}), content_type="application/json", **_headers(finance))
    assert response.status_code == 200
    assert [(r["status"], (r.get("error") or {}).get("code")) for r in response.json()["results"]] == [
        (201, None), (400, "invalid_base64"), (400, "invalid_base64"), (400, "invalid_base64")
    ]
    assert Message.objects.count() == 1


def test_message_ids_are_time_ordered_uuids(client, finance, office, signed) -> None:
    first = post_batch(client, finance, [(signed(finance, [office.code], number=str(n)), None) for n in range(3)])
    time.sleep(0.002)
    second = post_batch(client, finance, [(signed(finance, [office.code], number=str(n)), None) for n in range(3, 5)])
    ids = [uuid.UUID(r["message_id"]) for body in (first.json(), second.json()) for r in body["results"]]
    assert all(i.version == 7 for i in ids)
    assert max(ids[:3]) < min(ids[3:])  # a later batch sorts after an earlier one


def test_an_app_that_fails_on_one_document_neither_fails_the_batch_nor_keeps_the_others_from_it(
    client, finance, office, signed, django_capture_on_commit_callbacks
) -> None:
    told: list[str] = []

    def subscriber(sender: Any, message: Message, recipients: Any, **kwargs: Any) -> None:
        told.append(message.document_id)
        if len(told) == 1:
            raise RuntimeError("a subscribing app's own failure")

    document_accepted.connect(subscriber, dispatch_uid="test-failing-subscriber")
    try:
        raws = [signed(finance, [office.code], number=str(n)) for n in (1, 2, 3)]
        # The callbacks run as the block ends, as they would after the request's commit: the
        # first one's failure must not escape (in a request, a 500) nor stop the next two.
        with django_capture_on_commit_callbacks(execute=True):
            response = post_batch(client, finance, [(raw, None) for raw in raws])
    finally:
        document_accepted.disconnect(dispatch_uid="test-failing-subscriber")
    assert len(told) == 3  # every document was told, after the failing first
    assert [r["status"] for r in response.json()["results"]] == [201, 201, 201]
    assert Message.objects.count() == 3
