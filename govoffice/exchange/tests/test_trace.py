"""The trace of a document: the sender sees every recipient, a recipient only itself, others nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from govoffice.exchange.tests.conftest import Party

DOC = "000.00.00.G12,2019/09/20,123/BTC-VP"


@pytest.fixture
def document(finance, office, nghe_an, signed, send) -> str:
    response = send(finance, signed(finance, [office.code, nghe_an.code]))
    assert response.status_code == 201, response.json()
    return str(response.json()["message_id"])


def auth(party: Party) -> dict[str, Any]:
    return party.headers()


def by_message(client: Client, party: Party, message_id: str) -> Any:
    return client.get(f"/api/v1/hub/messages/{message_id}/trace", **auth(party))


def by_document_id(client: Client, party: Party, document_id: str = DOC) -> Any:
    return client.get("/api/v1/hub/trace", {"document_id": document_id}, **auth(party))


def recipients(response: Any) -> list[str]:
    assert response.status_code == 200, response.json()
    return [r["organ_id"] for r in response.json()["recipients"]]


def test_the_sender_sees_every_recipient(client, document, finance, office, nghe_an) -> None:
    for response in (by_message(client, finance, document), by_document_id(client, finance)):
        assert recipients(response) == [office.code, nghe_an.code]
        body = response.json()
        assert body["you_are"] == "sender"
        assert body["message"]["id"] == document and body["message"]["document_id"] == DOC
        assert all(r["delivery"]["state"] == "pending" and r["statuses"] == [] for r in body["recipients"])


def test_a_recipient_sees_only_itself(client, document, office, nghe_an) -> None:
    for party in (office, nghe_an):
        for response in (by_message(client, party, document), by_document_id(client, party)):
            assert recipients(response) == [party.code]
            assert response.json()["you_are"] == "recipient"


def test_a_third_agency_gets_404_as_if_the_document_did_not_exist(client, enroll, document) -> None:
    home = enroll("000.00.00.G09")
    response = by_message(client, home, document)
    assert response.status_code == 404
    assert response.json() == by_message(client, home, str(uuid.uuid4())).json()
    assert response.json()["error"]["code"] == "unknown_message"
    response = by_document_id(client, home)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_document"
    unknown = by_document_id(client, home, "000.00.00.G12,2019/09/20,999/BTC-VP").json()["error"]
    assert response.json()["error"]["message"] == unknown["message"].replace("999/", "123/")


def test_the_trace_shows_fetches_and_acknowledgements(client, document, finance, office, nghe_an) -> None:
    client.get("/api/v1/hub/inbox", **office.headers())
    client.post(f"/api/v1/hub/messages/{document}/ack", **office.headers())
    rows = {r["organ_id"]: r["delivery"] for r in by_message(client, finance, document).json()["recipients"]}
    assert rows[office.code]["state"] == "acked" and rows[office.code]["acked_at"]
    assert rows[office.code]["fetch_count"] == 1 and rows[office.code]["first_fetched_at"]
    assert rows[nghe_an.code] == {**rows[nghe_an.code], "state": "pending", "acked_at": None, "fetch_count": 0, "first_fetched_at": None}


def test_a_status_message_leads_to_the_trace_of_its_document(client, document, finance, office, nghe_an, send, status_of) -> None:
    status = send(office, status_of(office, DOC, "03"), "/api/v1/hub/statuses").json()["message_id"]
    for party in (finance, office):
        response = by_message(client, party, status)
        assert response.status_code == 200
        assert response.json()["message"]["id"] == document
    assert by_message(client, nghe_an, status).status_code == 404


def test_an_answer_to_a_revoke_request_leads_to_the_trace_of_the_original(client, document, finance, office, send, status_of) -> None:
    assert send(finance, status_of(finance, DOC, "13"), "/api/v1/hub/statuses").status_code == 201
    answer = send(office, status_of(office, DOC, "15"), "/api/v1/hub/statuses").json()["message_id"]
    for party in (finance, office):
        body = by_message(client, party, answer).json()
        assert body["message"]["id"] == document
        assert [a["outcome"] for a in body["requests"][0]["answers"] if a["organ_id"] == office.code] == ["agreed"]


def test_the_trace_needs_a_document_id(client, document, finance) -> None:
    response = client.get("/api/v1/hub/trace", **finance.headers())
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "document_id"


def test_the_trace_of_an_unknown_document_id_is_404(client, document, finance) -> None:
    response = by_document_id(client, finance, "000.00.00.G12,2019/09/20,999/BTC-VP")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_document"


def test_the_sent_list_shows_what_the_agency_sent(client, document, finance, office) -> None:
    sent = client.get("/api/v1/hub/sent", **finance.headers()).json()
    assert [m["id"] for m in sent] == [document]
    assert client.get("/api/v1/hub/sent", **office.headers()).json() == []
