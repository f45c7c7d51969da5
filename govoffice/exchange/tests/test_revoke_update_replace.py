"""Revoke, update, replace (BussinessDocType 1–3): each recipient agrees or refuses; both sides see it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from govoffice_agent import edxml

from govoffice.exchange.models import Delivery, Message
from govoffice.exchange.tests.conftest import Party

DOC = "000.00.00.G12,2019/09/20,123/BTC-VP"
NEW_DOC = "000.00.00.G12,2019/09/20,124/BTC-VP"
STATUSES = "/api/v1/hub/statuses"


@pytest.fixture
def original(finance, office, nghe_an, signed, send) -> str:
    response = send(finance, signed(finance, [office.code, nghe_an.code]))
    assert response.status_code == 201, response.json()
    return str(response.json()["message_id"])


def auth(party: Party) -> dict[str, Any]:
    return party.headers()


def request(send: Any, signed: Any, finance: Party, to: list[Party], doc_type: int, reason: str, **overrides: Any) -> Any:
    business = edxml.Business(doc_type=doc_type, reason=reason, replaces=overrides.pop("replaces", []))
    return send(finance, signed(finance, [p.code for p in to], business=business, **overrides))


def answer(send: Any, status_of: Any, party: Party, code: str, description: str = "", document_id: str = DOC) -> Any:
    response = send(party, status_of(party, document_id, code, description), STATUSES)
    assert response.status_code == 201, response.json()
    return response


def trace_of(client: Client, party: Party, document_id: str = DOC) -> dict[str, Any]:
    response = client.get("/api/v1/hub/trace", {"document_id": document_id}, **auth(party))
    assert response.status_code == 200, response.json()
    return dict(response.json())


def outcomes(trace: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    return [(r["request"], {a["organ_id"]: a["outcome"] for a in r["answers"]}) for r in trace["requests"]]


@pytest.mark.parametrize(("doc_type", "name"), [(1, "revoke"), (2, "update")])
def test_each_recipient_agrees_or_refuses_and_both_sides_see_it(
    client, original, finance, office, nghe_an, signed, send, status_of, doc_type, name
) -> None:
    response = request(send, signed, finance, [office, nghe_an], doc_type, "Ban hành nhầm số ký hiệu")
    assert response.status_code == 201, response.json()
    asked = Message.objects.get(id=response.json()["message_id"])
    assert asked.business_doc_type == doc_type and str(asked.about_id) == original
    assert asked.document_id == DOC and asked.description == "Ban hành nhầm số ký hiệu"
    for party in (office, nghe_an):
        items = client.get("/api/v1/hub/inbox", **auth(party)).json()["items"]
        assert [(i["message"]["id"], i["message"]["business_doc_type"]) for i in items] == [(original, 0), (str(asked.id), doc_type)]
    assert outcomes(trace_of(client, finance)) == [(name, {office.code: "pending", nghe_an.code: "pending"})]

    answer(send, status_of, office, "15")
    assert outcomes(trace_of(client, finance)) == [(name, {office.code: "agreed", nghe_an.code: "pending"})]
    answer(send, status_of, nghe_an, "16", "Văn bản đã được tổ chức thực hiện")

    sender_view = trace_of(client, finance)
    assert outcomes(sender_view) == [(name, {office.code: "agreed", nghe_an.code: "refused"})]
    assert sender_view["requests"][0]["reason"] == "Ban hành nhầm số ký hiệu"
    refusal = next(a for a in sender_view["requests"][0]["answers"] if a["organ_id"] == nghe_an.code)
    assert refusal["description"] == "Văn bản đã được tổ chức thực hiện"
    assert outcomes(trace_of(client, office)) == [(name, {office.code: "agreed"})]
    assert outcomes(trace_of(client, nghe_an)) == [(name, {nghe_an.code: "refused"})]
    by_id = client.get(f"/api/v1/hub/messages/{original}/trace", **finance.headers()).json()
    assert by_id == sender_view
    # The answers are routed to the sender's inbox, and are not mistaken for handling statuses.
    answers = [i["message"] for i in client.get("/api/v1/hub/inbox", **finance.headers()).json()["items"]]
    assert sorted((m["sender"], m["status_code"], m["about"]) for m in answers) == sorted(
        [(office.code, "15", str(asked.id)), (nghe_an.code, "16", str(asked.id))]
    )
    assert all(r["statuses"] == [] for r in sender_view["recipients"])


def test_the_trace_of_the_request_itself_is_the_originals(client, original, finance, office, nghe_an, signed, send) -> None:
    asked = request(send, signed, finance, [office, nghe_an], 1, "Thu hồi").json()["message_id"]
    for party in (finance, office):
        via_request = client.get(f"/api/v1/hub/messages/{asked}/trace", **auth(party)).json()
        assert via_request["message"]["id"] == original
        assert via_request == client.get(f"/api/v1/hub/messages/{original}/trace", **auth(party)).json()


def test_a_replacement_has_a_new_number_and_names_the_document_it_replaces(
    client, original, finance, office, nghe_an, signed, send, status_of
) -> None:
    response = request(send, signed, finance, [office, nghe_an], 3, "Thay thế do sai nội dung", number="124", replaces=[DOC])
    assert response.status_code == 201, response.json()
    replacement = Message.objects.get(id=response.json()["message_id"])
    assert replacement.document_id == NEW_DOC and str(replacement.about_id) == original
    # A recipient may answer by the replaced DocumentId or by the replacement's own.
    answer(send, status_of, office, "15", document_id=DOC)
    answer(send, status_of, nghe_an, "16", "Chưa nhận được bản giấy", document_id=NEW_DOC)
    assert outcomes(trace_of(client, finance)) == [("replace", {office.code: "agreed", nghe_an.code: "refused"})]
    assert outcomes(trace_of(client, office)) == [("replace", {office.code: "agreed"})]
    # The replacement is a document of its own: it is traced and handled under its new number.
    answer(send, status_of, office, "03", document_id=NEW_DOC)
    own = trace_of(client, finance, NEW_DOC)
    assert own["message"]["id"] == str(replacement.id)
    assert {r["organ_id"]: r["last_status"] for r in own["recipients"]} == {office.code: "03", nghe_an.code: None}
    assert {r["organ_id"]: r["last_status"] for r in trace_of(client, finance)["recipients"]} == {office.code: None, nghe_an.code: None}


def test_a_recipients_01_about_a_replacement_is_not_its_answer_to_the_request(
    client, original, finance, office, signed, send, status_of
) -> None:
    assert request(send, signed, finance, [office], 3, "Thay thế", number="124", replaces=[DOC]).status_code == 201
    answer(send, status_of, office, "01", "Đã nhận", document_id=NEW_DOC)  # received: no answer yet
    assert outcomes(trace_of(client, finance)) == [("replace", {office.code: "pending"})]
    answer(send, status_of, office, "15", "Đồng ý thay thế", document_id=NEW_DOC)
    assert outcomes(trace_of(client, finance)) == [("replace", {office.code: "agreed"})]
    [reply] = trace_of(client, office)["requests"][0]["answers"]
    assert reply["description"] == "Đồng ý thay thế"


def test_a_replacement_can_itself_be_revoked(client, original, finance, office, signed, send, status_of) -> None:
    assert request(send, signed, finance, [office], 3, "Thay thế", number="124", replaces=[DOC]).status_code == 201
    response = request(send, signed, finance, [office], 1, "Thu hồi bản thay thế", number="124")
    assert response.status_code == 201, response.json()
    answer(send, status_of, office, "15", document_id=NEW_DOC)
    assert outcomes(trace_of(client, finance, NEW_DOC)) == [("revoke", {office.code: "agreed"})]


def test_a_revoke_goes_only_to_agencies_that_received_the_document(client, finance, office, nghe_an, enroll, signed, send) -> None:
    assert send(finance, signed(finance, [office.code])).status_code == 201  # the original, to the Office only
    response = request(send, signed, finance, [office, nghe_an], 1, "Thu hồi")
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "not_a_recipient_of_document", "field": "To",
        "message": f"{nghe_an.code} never received {DOC}: there is nothing to take back there",
    }
    assert Message.objects.count() == 1
    assert request(send, signed, finance, [office], 1, "Thu hồi").status_code == 201
    assert request(send, signed, finance, [office, nghe_an], 2, "Sửa đổi nơi nhận").status_code == 201  # an update may


def test_a_request_sent_to_some_recipients_asks_only_them(client, original, finance, office, nghe_an, signed, send) -> None:
    assert request(send, signed, finance, [office], 2, "Sửa đổi nơi nhận").status_code == 201
    assert outcomes(trace_of(client, finance)) == [("update", {office.code: "pending"})]
    assert outcomes(trace_of(client, office)) == [("update", {office.code: "pending"})]
    assert outcomes(trace_of(client, nghe_an)) == []


def test_a_recipient_not_asked_cannot_answer(original, finance, office, nghe_an, signed, send, status_of) -> None:
    request(send, signed, finance, [office], 1, "Thu hồi")
    response = send(nghe_an, status_of(nghe_an, DOC, "15"), STATUSES)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_open_request"


def test_asking_again_returns_the_first_request(original, finance, office, signed, send) -> None:
    first = request(send, signed, finance, [office], 1, "Thu hồi")
    again = request(send, signed, finance, [office], 1, "Thu hồi")
    assert again.status_code == 200 and again.json()["message_id"] == first.json()["message_id"]
    assert Message.objects.filter(business_doc_type=1).count() == 1


@pytest.mark.parametrize("doc_type", [1, 2])
def test_a_request_about_a_document_the_sender_never_sent_is_404(finance, office, signed, send, doc_type) -> None:
    response = request(send, signed, finance, [office], doc_type, "Thu hồi", number="999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_document"
    assert not Message.objects.exists() and not Delivery.objects.exists()


def test_a_replacement_of_a_document_the_sender_never_sent_is_404(finance, office, signed, send) -> None:
    response = request(send, signed, finance, [office], 3, "Thay thế", number="124", replaces=[DOC])
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_document"
    assert not Message.objects.exists()


def test_another_agencys_document_cannot_be_revoked(original, finance, office, signed, send) -> None:
    # The Government Office received the document; it cannot take it back on the sender's behalf.
    business = edxml.Business(doc_type=1, reason="Thu hồi")
    forged = signed(office, [finance.code], business=business, document_id=DOC)
    response = send(office, forged)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "document_id_mismatch"


def test_no_agency_may_send_a_document_under_another_agencys_document_id(finance, office, nghe_an, signed, send, status_of) -> None:
    """Sent first, such a document would take the statuses and revoke answers meant for the real one."""
    squatter = signed(office, [nghe_an.code], document_id=DOC)
    response = send(office, squatter)
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "document_id_mismatch", "field": "DocumentId",
        "message": f"The DocumentId {DOC} names 000.00.00.G12 as its issuer; 000.00.00.G22 may send only its own documents",
    }
    assert not Message.objects.exists()
    # The real document, then a status about it, goes to its issuer.
    assert send(finance, signed(finance, [nghe_an.code], document_id=DOC)).status_code == 201
    assert send(nghe_an, status_of(nghe_an, DOC, "01"), "/api/v1/hub/statuses").status_code == 201
    about = Message.objects.get(kind="status").about
    assert about is not None and about.sender == finance.agency


def test_a_replacement_must_name_what_it_replaces(original, finance, office, signed, send) -> None:
    response = request(send, signed, finance, [office], 3, "Thay thế", number="124")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_structure"
    assert Message.objects.count() == 1
