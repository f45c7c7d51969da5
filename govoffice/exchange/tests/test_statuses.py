"""Statuses: a recipient's go to the sender and into the trail; the sender's 13 goes to every recipient."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from govoffice_agent import edxml

from govoffice.exchange.models import Delivery, Message
from govoffice.exchange.tests.conftest import Party

DOC = "000.00.00.G12,2019/09/20,123/BTC-VP"
STATUSES = "/api/v1/hub/statuses"


@pytest.fixture
def document(finance, office, nghe_an, signed, send) -> str:
    response = send(finance, signed(finance, [office.code, nghe_an.code]))
    assert response.status_code == 201, response.json()
    return str(response.json()["message_id"])


def auth(party: Party) -> dict[str, Any]:
    return party.headers()


def say(send: Any, status_of: Any, party: Party, code: str, description: str = "", document_id: str = DOC) -> Any:
    return send(party, status_of(party, document_id, code, description), STATUSES)


def inbox_statuses(client: Client, party: Party) -> list[tuple[str, str]]:
    items = client.get("/api/v1/hub/inbox", **auth(party)).json()["items"]
    return [(i["message"]["sender"], i["message"]["status_code"]) for i in items if i["message"]["kind"] == "status"]


def trace_of(client: Client, party: Party, document_id: str = DOC) -> dict[str, Any]:
    response = client.get("/api/v1/hub/trace", {"document_id": document_id}, **auth(party))
    assert response.status_code == 200, response.json()
    return dict(response.json())


def per_recipient(trace: dict[str, Any]) -> dict[str, list[str]]:
    return {r["organ_id"]: [s["code"] for s in r["statuses"]] for r in trace["recipients"]}


def test_a_recipients_statuses_reach_the_sender_and_its_trace_in_order(client, document, finance, office, nghe_an, send, status_of) -> None:
    for code in ("01", "03", "04", "05", "06"):
        response = say(send, status_of, office, code)
        assert response.status_code == 201, response.json()
        status = Message.objects.get(id=response.json()["message_id"])
        assert str(status.about_id) == document
        assert list(Delivery.objects.filter(message=status).values_list("recipient__code", flat=True)) == [finance.code]
    assert inbox_statuses(client, finance) == [(office.code, c) for c in ("01", "03", "04", "05", "06")]
    assert inbox_statuses(client, nghe_an) == []
    trace = trace_of(client, finance)
    assert trace["you_are"] == "sender"
    assert per_recipient(trace) == {office.code: ["01", "03", "04", "05", "06"], nghe_an.code: []}
    office_row = next(r for r in trace["recipients"] if r["organ_id"] == office.code)
    assert office_row["last_status"] == "06"
    assert [s["meaning"] for s in office_row["statuses"]] == ["arrived", "registered", "assigned", "processing", "done"]


def test_a_rejection_carries_its_reason_to_the_sender(client, document, finance, nghe_an, send, status_of) -> None:
    response = say(send, status_of, nghe_an, "02", "Gửi nhầm cơ quan: văn bản không thuộc thẩm quyền")
    assert response.status_code == 201, response.json()
    row = next(r for r in trace_of(client, finance)["recipients"] if r["organ_id"] == nghe_an.code)
    assert row["last_status"] == "02"
    assert row["statuses"][0]["meaning"] == "rejected"
    assert row["statuses"][0]["description"] == "Gửi nhầm cơ quan: văn bản không thuộc thẩm quyền"


def test_a_recipient_sees_only_its_own_statuses_in_the_trace(client, document, office, nghe_an, send, status_of) -> None:
    say(send, status_of, office, "01")
    say(send, status_of, nghe_an, "02", "Không đúng thẩm quyền")
    trace = trace_of(client, office)
    assert trace["you_are"] == "recipient"
    assert per_recipient(trace) == {office.code: ["01"]}


def test_the_same_status_sent_twice_is_stored_once(document, office, send, status_of) -> None:
    raw = status_of(office, DOC, "03")
    first = send(office, raw, STATUSES)
    again = send(office, raw, STATUSES)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["message_id"] == first.json()["message_id"]
    assert Message.objects.filter(kind="status").count() == 1


def test_a_retry_with_the_same_idempotency_key_returns_the_first_status(document, office, send, status_of) -> None:
    first = send(office, status_of(office, DOC, "03"), STATUSES, HTTP_IDEMPOTENCY_KEY="st-1")
    again = send(office, status_of(office, DOC, "04", "khác"), STATUSES, HTTP_IDEMPOTENCY_KEY="st-1")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["message_id"] == first.json()["message_id"]
    assert list(Message.objects.filter(kind="status").values_list("status_code", flat=True)) == ["03"]


def test_a_status_about_a_document_not_delivered_to_the_agency_is_404(enroll, finance, office, signed, send, status_of) -> None:
    home = enroll("000.00.00.G09")
    assert send(finance, signed(finance, [office.code])).status_code == 201
    for document_id in (DOC, "000.00.00.G12,2019/09/20,999/BTC-VP"):
        response = say(send, status_of, home, "01", document_id=document_id)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "unknown_document"
    assert not Message.objects.filter(kind="status").exists()


def test_a_revoke_request_by_the_sender_goes_to_every_recipient(client, document, finance, office, nghe_an, send, status_of) -> None:
    response = say(send, status_of, finance, "13", "Văn bản ban hành nhầm")
    assert response.status_code == 201, response.json()
    assert inbox_statuses(client, office) == [(finance.code, "13")]
    assert inbox_statuses(client, nghe_an) == [(finance.code, "13")]
    trace = trace_of(client, finance)
    assert [r["request"] for r in trace["requests"]] == ["revoke"]
    assert trace["requests"][0]["reason"] == "Văn bản ban hành nhầm"
    assert {a["organ_id"]: a["outcome"] for a in trace["requests"][0]["answers"]} == {office.code: "pending", nghe_an.code: "pending"}
    # The request is not one of the recipients' own statuses.
    assert per_recipient(trace) == {office.code: [], nghe_an.code: []}


def test_a_revoke_request_about_a_document_the_agency_did_not_send_is_404(document, office, send, status_of) -> None:
    response = say(send, status_of, office, "13")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_document"


def test_answers_to_a_revoke_request_reach_the_sender(client, document, finance, office, nghe_an, send, status_of) -> None:
    say(send, status_of, finance, "13", "Ban hành nhầm")
    agreed = say(send, status_of, office, "15")
    refused = say(send, status_of, nghe_an, "16", "Văn bản đã được thực hiện")
    assert agreed.status_code == 201 and refused.status_code == 201, (agreed.json(), refused.json())
    assert sorted(inbox_statuses(client, finance)) == sorted([(office.code, "15"), (nghe_an.code, "16")])
    answers = {a["organ_id"]: (a["outcome"], a["description"]) for a in trace_of(client, finance)["requests"][0]["answers"]}
    assert answers == {office.code: ("agreed", ""), nghe_an.code: ("refused", "Văn bản đã được thực hiện")}
    mine = trace_of(client, office)["requests"][0]["answers"]
    assert [(a["organ_id"], a["outcome"]) for a in mine] == [(office.code, "agreed")]


def test_an_answer_without_an_open_request_is_409(document, office, send, status_of) -> None:
    response = say(send, status_of, office, "15")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_open_request"


def test_answering_the_same_request_twice_is_409(document, finance, office, send, status_of) -> None:
    say(send, status_of, finance, "13")
    assert say(send, status_of, office, "15").status_code == 201
    response = say(send, status_of, office, "16", "Đổi ý")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_answered"
    assert Message.objects.filter(kind="status", status_code__in=["15", "16"]).count() == 1


def test_an_answer_goes_to_the_latest_open_request(document, finance, office, signed, send, status_of) -> None:
    update = send(finance, signed(finance, [office.code], business=edxml.Business(doc_type=2, reason="Sửa trích yếu")))
    assert update.status_code == 201, update.json()
    revoke = say(send, status_of, finance, "13", "Thu hồi")
    assert revoke.status_code == 201, revoke.json()
    first = say(send, status_of, office, "15")
    assert str(Message.objects.get(id=first.json()["message_id"]).about_id) == revoke.json()["message_id"]
    second = say(send, status_of, office, "16", "Không đồng ý sửa")
    assert str(Message.objects.get(id=second.json()["message_id"]).about_id) == update.json()["message_id"]
    third = say(send, status_of, office, "15", "Đồng ý")
    assert third.status_code == 409 and third.json()["error"]["code"] == "already_answered"


@pytest.mark.parametrize("code", ["01", "03", "06", "02"])
def test_the_sender_cannot_send_a_status_that_only_a_recipient_sends(document, finance, send, status_of, code) -> None:
    response = say(send, status_of, finance, code, "x")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_a_recipient"
    assert not Message.objects.filter(kind="status").exists()


def test_a_status_from_another_agencys_key_is_refused(document, office, nghe_an, send, status_of) -> None:
    response = send(nghe_an, status_of(office, DOC, "03"), STATUSES)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "sender_mismatch"
