"""Sending: a signed document is accepted, kept byte for byte, receipted and queued per recipient."""

from __future__ import annotations

import base64
import json

from govoffice.audit.models import Event
from govoffice.exchange.models import Delivery, Message
from govoffice.exchange.receipts import verify_receipt


def test_a_signed_document_is_accepted_with_a_signed_receipt(finance, office, nghe_an, signed, send) -> None:
    raw = signed(finance, [office.code, nghe_an.code])
    response = send(finance, raw)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created"] is True
    assert verify_receipt(body["receipt"], body["signature"])
    receipt = json.loads(body["receipt"])
    assert receipt["document_id"] == "000.00.00.G12,2019/09/20,123/BTC-VP"
    assert receipt["recipients"] == [office.code, nghe_an.code]
    message = Message.objects.get(id=body["message_id"])
    assert bytes(message.raw) == raw
    assert message.subject.startswith("Về việc báo cáo")
    assert sorted(Delivery.objects.filter(message=message).values_list("recipient__code", flat=True)) == sorted([office.code, nghe_an.code])
    assert Event.objects.filter(action="hub.document_accepted", object_id=str(message.id)).exists()


def test_a_forged_receipt_does_not_verify(finance, office, signed, send) -> None:
    body = send(finance, signed(finance, [office.code])).json()
    forged = body["receipt"].replace(office.code, "000.00.00.G09")
    assert not verify_receipt(forged, body["signature"])
    assert not verify_receipt(body["receipt"], base64.b64encode(b"x" * 64).decode())


def test_a_resend_with_the_same_document_id_returns_the_first_result(finance, office, signed, send) -> None:
    first = send(finance, signed(finance, [office.code])).json()
    again = send(finance, signed(finance, [office.code]))
    assert again.status_code == 200
    assert again.json()["message_id"] == first["message_id"] and again.json()["created"] is False
    assert Message.objects.count() == 1 and Delivery.objects.count() == 1


def test_a_retry_with_the_same_idempotency_key_returns_the_first_result(finance, office, signed, send) -> None:
    first = send(finance, signed(finance, [office.code], number="1"), HTTP_IDEMPOTENCY_KEY="k-1").json()
    again = send(finance, signed(finance, [office.code], number="2"), HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and again.json()["message_id"] == first["message_id"]
    assert Message.objects.count() == 1


def test_a_new_number_is_a_new_document(finance, office, signed, send) -> None:
    send(finance, signed(finance, [office.code], number="1"))
    send(finance, signed(finance, [office.code], number="2"))
    assert Message.objects.count() == 2
