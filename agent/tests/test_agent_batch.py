"""The agent sends many documents in batches and acknowledges what it pulled in bulk, against a live hub."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from govoffice_agent import edxml
from govoffice_agent.client import HubError

from govoffice.audit.models import Event
from govoffice.exchange.models import Delivery, DeliveryState, Message

from .conftest import FINANCE, GOV_OFFICE, NGHE_AN, Hub, document
from .test_agent_cli import agent, ok


def test_send_many_batches_documents_and_verifies_every_receipt(members: Hub, tmp_path: Path) -> None:
    finance = members.client(FINANCE)
    raws = [finance.sign(edxml.build_message(document(FINANCE, [GOV_OFFICE], number=str(n)))) for n in range(1, 8)]
    answers = finance.send_many([(raw, None) for raw in raws], batch_size=3)  # three requests: 3 + 3 + 1
    assert [a["status"] for a in answers] == [201] * 7
    assert len({a["message_id"] for a in answers}) == 7
    assert Event.objects.filter(action="hub.documents_accepted").count() == 3
    again = finance.send_many([(raws[0], None)])
    assert again[0]["status"] == 200 and again[0]["message_id"] == answers[0]["message_id"]


def test_one_refused_document_does_not_stop_the_others(members: Hub) -> None:
    finance = members.client(FINANCE)
    good = finance.sign(edxml.build_message(document(FINANCE, [GOV_OFFICE], number="1")))
    tampered = finance.sign(edxml.build_message(document(FINANCE, [GOV_OFFICE], number="2")))
    tampered = tampered.replace("năm 2019".encode(), "năm 2020".encode(), 1)
    assert tampered != good
    answers = finance.send_many([(good, None), (tampered, None)])
    assert answers[0]["status"] == 201
    assert answers[1]["status"] == 422 and answers[1]["error"]["code"] == "bad_signature"
    assert Message.objects.count() == 1


def test_pull_acknowledges_everything_it_wrote_in_one_request(members: Hub, tmp_path: Path) -> None:
    finance = members.client(FINANCE)
    finance.send_many([(finance.sign(edxml.build_message(document(FINANCE, [NGHE_AN], number=str(n)))), None) for n in (1, 2, 3)])
    received = members.client(NGHE_AN).pull(tmp_path / "in")
    assert len(received) == 3 and all(r.verified for r in received)
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.ACKED}
    assert Event.objects.filter(action="hub.deliveries_acked").count() == 1
    assert all((tmp_path / "in" / r.message_id / "meta.json").exists() for r in received)


def test_send_edxml_sends_files_as_they_are_signing_the_unsigned_ones(members: Hub, tmp_path: Path) -> None:
    finance = members.client(FINANCE)
    signed_file = tmp_path / "signed.xml"
    signed_file.write_bytes(finance.sign(edxml.build_message(document(FINANCE, [GOV_OFFICE], number="1"))))
    unsigned_file = tmp_path / "unsigned.xml"
    unsigned_file.write_bytes(edxml.to_bytes(edxml.build_message(document(FINANCE, [GOV_OFFICE], number="2"))))
    answers = ok(agent("--config", members.folders[FINANCE], "send-edxml", signed_file, unsigned_file))
    assert [a["status"] for a in answers] == [201, 201]
    assert answers[0]["file"] == str(signed_file)
    assert bytes(Message.objects.get(id=answers[0]["message_id"]).raw) == signed_file.read_bytes()
    # Run again on the same files: the first results, nothing new.
    again = ok(agent("--config", members.folders[FINANCE], "send-edxml", signed_file, unsigned_file))
    assert [a["status"] for a in again] == [200, 200]
    assert [a["message_id"] for a in again] == [a["message_id"] for a in answers]
    assert Message.objects.count() == 2


def test_send_edxml_exits_1_when_a_file_is_refused_but_prints_every_answer(members: Hub, tmp_path: Path) -> None:
    finance = members.client(FINANCE)
    good = tmp_path / "good.xml"
    good.write_bytes(finance.sign(edxml.build_message(document(FINANCE, [GOV_OFFICE], number="5"))))
    stranger = tmp_path / "stranger.xml"
    stranger.write_bytes(finance.sign(edxml.build_message(document(GOV_OFFICE, [FINANCE], number="6"))))
    result = agent("--config", members.folders[FINANCE], "send-edxml", good, stranger)
    assert result.returncode == 1
    answers = json.loads(result.stdout)
    assert answers[0]["status"] == 201
    assert answers[1]["status"] == 403 and answers[1]["error"]["code"] == "sender_mismatch"
    assert "refused 1 of 2" in result.stderr


def test_pull_takes_the_documents_from_the_inbox_page_with_no_request_for_each(members: Hub, tmp_path: Path) -> None:
    finance = members.client(FINANCE)
    raws = [finance.sign(edxml.build_message(document(FINANCE, [NGHE_AN], number=str(n)))) for n in (1, 2, 3)]
    finance.send_many([(raw, None) for raw in raws])
    nghe_an = members.client(NGHE_AN)
    paths: list[str] = []
    nghe_an.http.event_hooks["request"].append(lambda request: paths.append(request.url.path))
    received = nghe_an.pull(tmp_path / "in")
    assert len(received) == 3 and all(r.verified for r in received)
    assert sorted(r.path.read_bytes() for r in received) == sorted(raws)  # byte for byte
    assert not [p for p in paths if p.endswith("/edxml")], paths
    assert paths.count("/api/v1/hub/inbox") == 1


def test_document_of_fetches_what_an_item_does_not_carry(members: Hub) -> None:
    finance = members.client(FINANCE)
    raw = finance.sign(edxml.build_message(document(FINANCE, [NGHE_AN], number="9")))
    [answer] = finance.send_many([(raw, None)])
    nghe_an = members.client(NGHE_AN)
    [bare] = nghe_an.inbox()  # as an older hub answers: no documents in the page
    assert "edxml" not in bare
    fetched, receipt, signature = nghe_an.document_of(bare)
    assert fetched == raw and nghe_an.verify_receipt(receipt, signature)
    assert json.loads(receipt)["message_id"] == answer["message_id"]
    garbled = bare | {"edxml": "not base64!", "receipt": "", "receipt_signature": ""}
    assert nghe_an.document_of(garbled)[0] == raw  # the hub's own copy, fetched
    other = bare | {"edxml": edxml.b64encode(raw.replace(b"2019", b"2020", 1)), "receipt": "", "receipt_signature": ""}
    assert nghe_an.document_of(other)[0] == raw  # base64, but not the listed bytes: fetched too
    carried = bare | {"edxml": edxml.b64encode(raw), "receipt": receipt, "receipt_signature": signature}
    assert nghe_an.document_of(carried) == (raw, receipt, signature)


def _listing(client: Any, change: Callable[[dict[str, Any]], None]) -> None:
    """What a hostile hub (or someone between) would list: the real page, one field changed."""
    real = client.inbox

    def inbox(limit: int = 100, *, include_edxml: bool = False) -> list[dict[str, Any]]:
        items = real(limit, include_edxml=include_edxml)
        for item in items:
            change(item["message"])
        return items

    client.inbox = inbox


def test_pull_refuses_a_listed_message_id_that_is_not_a_uuid(members: Hub, tmp_path: Path) -> None:
    finance = members.client(FINANCE)
    finance.send_many([(finance.sign(edxml.build_message(document(FINANCE, [NGHE_AN]))), None)])
    nghe_an = members.client(NGHE_AN)
    _listing(nghe_an, lambda meta: meta.update(id="../../escaped"))
    with pytest.raises(HubError) as refused:
        nghe_an.pull(tmp_path / "in" / "box")
    assert refused.value.code == "bad_answer"
    assert not (tmp_path / "in" / "escaped").exists() and not (tmp_path / "escaped").exists()
    assert Delivery.objects.get(recipient__code=NGHE_AN).state == DeliveryState.PENDING  # nothing acknowledged


def test_pull_sets_aside_a_document_the_hub_lists_as_something_else(members: Hub, tmp_path: Path) -> None:
    finance = members.client(FINANCE)
    finance.send_many([(finance.sign(edxml.build_message(document(FINANCE, [NGHE_AN]))), None)])
    nghe_an = members.client(NGHE_AN)
    _listing(nghe_an, lambda meta: meta.update(business_doc_type=1))  # a revoke, says the listing
    [received] = nghe_an.pull(tmp_path / "in", reject_invalid=False)
    assert not received.verified
    assert received.problem == "the hub lists business_doc_type 1, but the signed message says 0"
    assert received.path.parent.parent.name == "rejected"


def test_pull_names_attachments_apart_from_its_own_files_whatever_their_case(members: Hub, tmp_path: Path) -> None:
    finance = members.client(FINANCE)
    attachments = [
        edxml.Attachment("att1", "application/pdf", "MESSAGE.XML", b"%PDF-1.4 one"),
        edxml.Attachment("att2", "application/pdf", "Phu luc.pdf", b"%PDF-1.4 two"),
        edxml.Attachment("att3", "application/pdf", "PHU LUC.PDF", b"%PDF-1.4 three"),
    ]
    finance.send_many([(finance.sign(edxml.build_message(document(FINANCE, [NGHE_AN], attachments=attachments))), None)])
    [received] = members.client(NGHE_AN).pull(tmp_path / "in")
    names = [p.name for p in received.attachments]
    assert names == ["_MESSAGE.XML", "Phu luc.pdf", "_PHU LUC.PDF"]
    assert len({n.casefold() for n in names} | {"message.xml", "meta.json"}) == 5
    assert received.path.read_bytes().startswith(b"<")  # the signed message itself, not overwritten
