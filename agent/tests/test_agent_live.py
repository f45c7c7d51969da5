"""The agent against a real hub over real HTTP: send, pull and verify, statuses, revoke,
a delivery tampered with on the hub, and receipts it must not believe."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from govoffice_agent import edxml
from govoffice_agent.client import HubClient, VerificationError
from govoffice_agent.config import AgentConfig

from govoffice.exchange.models import Delivery, DeliveryState, Message
from govoffice.lib import pki

from .conftest import FINANCE, GOV_OFFICE, NGHE_AN, PDF_1, PDF_2, Hub, document


def _send(client: HubClient, message: edxml.Message) -> tuple[bytes, dict[str, object]]:
    """Sign and send, keeping the exact bytes that left the agency."""
    raw = client.sign(edxml.build_message(message))
    return raw, client.send_bytes(raw, idempotency_key=f"test:{message.document_id}")


def _codes(trace: dict[str, object], organ_id: str) -> list[str]:
    recipients = trace["recipients"]
    assert isinstance(recipients, list)
    row = next(r for r in recipients if r["organ_id"] == organ_id)
    return [s["code"] for s in row["statuses"]]


def test_a_document_with_two_attachments_reaches_both_recipients_byte_for_byte(members: Hub, tmp_path: Path) -> None:
    finance = members.client(FINANCE)
    raw, answer = _send(finance, document(FINANCE, [GOV_OFFICE, NGHE_AN]))
    assert answer["created"] is True
    assert finance.verify_receipt(str(answer["receipt"]), str(answer["signature"]))
    receipt = json.loads(str(answer["receipt"]))
    assert receipt["hub"] == members.url
    assert receipt["sha256"] == hashlib.sha256(raw).hexdigest()
    assert receipt["recipients"] == [GOV_OFFICE, NGHE_AN]
    document_id = "000.00.00.G12,2019/09/20,123/BTC-VP"
    assert receipt["document_id"] == document_id

    for code in (GOV_OFFICE, NGHE_AN):
        out = tmp_path / code
        received = members.client(code).pull(out)
        assert len(received) == 1
        item = received[0]
        assert item.verified and item.kind == "document" and item.sender == FINANCE
        assert item.document_id == document_id
        folder = out / str(answer["message_id"])
        assert (folder / "message.xml").read_bytes() == raw
        assert (folder / "Công văn 123.pdf").read_bytes() == PDF_1
        assert (folder / "Phụ lục 1.pdf").read_bytes() == PDF_2
        assert sorted(p.name for p in item.attachments) == ["Công văn 123.pdf", "Phụ lục 1.pdf"]
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        assert meta["id"] == answer["message_id"] and meta["sender"] == FINANCE
        assert meta["verified"] is True and meta["problem"] == ""
        assert [a["name"] for a in meta["attachments"]] == ["Công văn 123.pdf", "Phụ lục 1.pdf"]
        assert meta["attachments"][1]["sha256"] == hashlib.sha256(PDF_2).hexdigest()
        # Acknowledged: a second pull finds nothing.
        assert members.client(code).pull(out) == []
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.ACKED}


def test_a_resend_through_the_agent_returns_the_first_receipt_and_delivers_nothing_again(members: Hub, tmp_path: Path) -> None:
    finance = members.client(FINANCE)
    first = finance.send(document(FINANCE, [GOV_OFFICE]))
    again = finance.send(document(FINANCE, [GOV_OFFICE]))  # same DocumentId, new trace timestamp
    assert again["created"] is False and again["message_id"] == first["message_id"]
    assert again["receipt"] == first["receipt"]
    assert len(members.client(GOV_OFFICE).pull(tmp_path)) == 1


def test_statuses_from_each_recipient_show_per_recipient_in_the_senders_trace(members: Hub, tmp_path: Path) -> None:
    finance = members.client(FINANCE)
    answer = finance.send(document(FINANCE, [GOV_OFFICE, NGHE_AN]))
    document_id = json.loads(answer["receipt"])["document_id"]
    office, nghe_an = members.client(GOV_OFFICE), members.client(NGHE_AN)
    office.pull(tmp_path / "office")
    nghe_an.pull(tmp_path / "nghe_an")

    notes = {"01": "Đã nhận", "03": "Đã vào sổ, số đến 1234", "04": "Giao Vụ Tổng hợp chủ trì",
             "05": "Đang xử lý", "06": "Đã xử lý xong"}
    for code, note in notes.items():
        office.send_status(document_id, code, note)
    nghe_an.send_status(document_id, "01")
    nghe_an.send_status(document_id, "03", "Đã vào sổ")

    trace = finance.trace(document_id)
    assert trace["you_are"] == "sender"
    assert _codes(trace, GOV_OFFICE) == ["01", "03", "04", "05", "06"]
    assert _codes(trace, NGHE_AN) == ["01", "03"]
    office_row = next(r for r in trace["recipients"] if r["organ_id"] == GOV_OFFICE)
    assert office_row["last_status"] == "06"
    assert office_row["statuses"][2]["description"] == "Giao Vụ Tổng hợp chủ trì"
    assert office_row["delivery"]["state"] == "acked"

    # The statuses reach the sender too, signed by each recipient and verified by its agent.
    statuses = finance.pull(tmp_path / "finance")
    assert len(statuses) == 7
    assert all(s.kind == "status" and s.verified for s in statuses)
    assert [s.status_code for s in statuses if s.sender == GOV_OFFICE] == ["01", "03", "04", "05", "06"]

    # A recipient sees only itself.
    own = nghe_an.trace(document_id)
    assert own["you_are"] == "recipient"
    assert [r["organ_id"] for r in own["recipients"]] == [NGHE_AN]


def test_a_revoke_is_agreed_by_one_recipient_and_refused_by_the_other_and_both_sides_see_it(members: Hub, tmp_path: Path) -> None:
    finance = members.client(FINANCE)
    answer = finance.send(document(FINANCE, [GOV_OFFICE, NGHE_AN]))
    document_id = json.loads(answer["receipt"])["document_id"]
    office, nghe_an = members.client(GOV_OFFICE), members.client(NGHE_AN)
    office.pull(tmp_path / "office")
    nghe_an.pull(tmp_path / "nghe_an")

    request = finance.request_change(document_id, edxml.DOC_REVOKE, "Ban hành nhầm, đề nghị thu hồi")
    assert request["created"] is True
    for client, out in ((office, tmp_path / "office"), (nghe_an, tmp_path / "nghe_an")):
        received = client.pull(out)
        assert len(received) == 1 and received[0].verified and received[0].document_id == document_id
        _, revoke = edxml.parse_message(received[0].path.read_bytes())
        assert revoke.business.doc_type == edxml.DOC_REVOKE
        assert revoke.business.reason == "Ban hành nhầm, đề nghị thu hồi"
    office.send_status(document_id, "15", "Đồng ý thu hồi")
    nghe_an.send_status(document_id, "16", "Văn bản đã được triển khai")

    seen = finance.trace(document_id)
    assert len(seen["requests"]) == 1
    req = seen["requests"][0]
    assert req["request"] == "revoke" and req["reason"] == "Ban hành nhầm, đề nghị thu hồi"
    assert {a["organ_id"]: a["outcome"] for a in req["answers"]} == {GOV_OFFICE: "agreed", NGHE_AN: "refused"}
    assert {a["organ_id"]: a["description"] for a in req["answers"]}[NGHE_AN] == "Văn bản đã được triển khai"
    for client, code, outcome in ((office, GOV_OFFICE, "agreed"), (nghe_an, NGHE_AN, "refused")):
        own = client.trace(document_id)["requests"][0]["answers"]
        assert own == [{"organ_id": code, "outcome": outcome, "description": own[0]["description"]}]
    answers = finance.pull(tmp_path / "finance")
    assert sorted((a.sender, a.status_code) for a in answers) == [(GOV_OFFICE, "15"), (NGHE_AN, "16")]


def test_a_delivery_tampered_with_on_the_hub_is_set_aside_and_returned_with_status_02(members: Hub, tmp_path: Path) -> None:
    finance = members.client(FINANCE)
    raw, answer = _send(finance, document(FINANCE, [GOV_OFFICE]))
    # An attacker on the hub changes one byte of the stored message before the recipient pulls.
    stored = Message.objects.get(id=str(answer["message_id"]))
    tampered = bytes(stored.raw).replace("<edXML:Subject>Về".encode(), "<edXML:Subject>Vế".encode(), 1)
    assert tampered != raw and len(tampered) == len(raw)
    Message.objects.filter(id=stored.id).update(raw=tampered)

    received = members.client(GOV_OFFICE).pull(tmp_path)
    assert len(received) == 1
    item = received[0]
    assert not item.verified and "signature" in item.problem
    folder = tmp_path / "rejected" / str(answer["message_id"])
    assert item.path == folder / "message.xml" and item.path.read_bytes() == tampered
    assert item.attachments == [] and sorted(p.name for p in folder.iterdir()) == ["message.xml", "meta.json"]
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["verified"] is False and meta["problem"] == item.problem
    assert not (tmp_path / str(answer["message_id"])).exists()

    trace = finance.trace(json.loads(str(answer["receipt"]))["document_id"])
    row = trace["recipients"][0]
    assert row["last_status"] == "02" and row["delivery"]["state"] == "acked"
    assert "Không xác thực được văn bản" in row["statuses"][0]["description"]
    assert members.client(GOV_OFFICE).pull(tmp_path) == []  # acknowledged: it does not come back


def test_a_receipt_whose_document_id_has_a_đ_reaches_the_recipient_intact(members: Hub) -> None:
    # 7816/VPCP-TTĐT: Đ is not Latin-1, so the hub's receipt header is MIME-encoded on the way.
    finance = members.client(FINANCE)
    answer = finance.send(document(FINANCE, [NGHE_AN], number="7816", code=edxml.Code("7816", "BTC-TTĐT")))
    nghe_an = members.client(NGHE_AN)
    message_id = nghe_an.inbox()[0]["message"]["id"]
    _, receipt, signature = nghe_an.fetch_with_receipt(message_id)
    assert receipt == answer["receipt"] and json.loads(receipt)["document_id"].endswith("7816/BTC-TTĐT")
    assert nghe_an.verify_receipt(receipt, signature)


def test_the_client_refuses_a_forged_receipt(members: Hub, tmp_path: Path) -> None:
    finance = members.client(FINANCE)
    raw, answer = _send(finance, document(FINANCE, [GOV_OFFICE]))
    body, signature = str(answer["receipt"]), str(answer["signature"])
    assert finance.verify_receipt(body, signature)
    assert not finance.verify_receipt(body.replace(GOV_OFFICE, NGHE_AN), signature)
    assert not finance.verify_receipt(body, base64.b64encode(b"\0" * 64).decode())
    assert not finance.verify_receipt(body, "not base64!")

    # A genuine receipt for some other bytes proves nothing about these.
    with pytest.raises(VerificationError, match="other bytes"):
        HubClient._check_receipt_is_for(dict(answer), raw + b" ")

    # An agent that trusts another hub key refuses the live hub's receipts altogether.
    folder = members.folders[FINANCE].parent
    ca_key, ca = pki.make_ca("another CA")
    other = pki.new_receipt_key()
    (folder / "hub.pem").write_bytes(pki.cert_pem(pki.issue(ca_key, ca, other.public_key(), "impostor hub", GOV_OFFICE)))
    suspicious = HubClient(AgentConfig.load(members.folders[FINANCE]))
    try:
        with pytest.raises(VerificationError, match="receipt"):
            suspicious.send(document(FINANCE, [GOV_OFFICE], number="124"))
    finally:
        suspicious.close()


def test_an_idempotency_key_with_a_đ_is_carried_and_a_retry_with_it_delivers_nothing_again(members: Hub, tmp_path: Path) -> None:
    # Keys are often made of a DocumentId (…/QĐ-TTg): an HTTP header cannot carry the Đ as it is.
    finance = members.client(FINANCE)
    raw = finance.sign(edxml.build_message(document(FINANCE, [GOV_OFFICE])))
    first = finance.send_bytes(raw, idempotency_key="office:12/QĐ-BTC")
    again = finance.send_bytes(raw, idempotency_key="office:12/QĐ-BTC")
    assert first["created"] is True and again["created"] is False and again["message_id"] == first["message_id"]
    assert len(members.client(GOV_OFFICE).pull(tmp_path)) == 1
