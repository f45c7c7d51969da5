"""A recipient answers a revoke/update/replace once (15 or 16): the database holds it to that too."""

from __future__ import annotations

import hashlib

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from govoffice_agent import edxml

from govoffice.exchange.models import Kind, Message

DOC = "000.00.00.G12,2019/09/20,123/BTC-VP"
STATUSES = "/api/v1/hub/statuses"


@pytest.fixture
def revoke_request(finance, office, signed, send) -> Message:
    assert send(finance, signed(finance, [office.code])).status_code == 201
    response = send(finance, signed(finance, [office.code], business=edxml.Business(doc_type=1, reason="nhầm")))
    assert response.status_code == 201, response.json()
    return Message.objects.get(id=response.json()["message_id"])


def answer_row(request: Message, sender_id: int, code: str, note: str) -> Message:
    raw = f"<answer {code} {note}/>".encode()
    return Message.objects.create(
        kind=Kind.STATUS, sender_id=sender_id, document_id=DOC, status_code=code, about=request, raw=raw,
        digest=hashlib.sha256(raw).hexdigest(), size=len(raw), received_at=timezone.now(),
    )


def test_a_second_answer_to_the_same_request_is_refused_by_the_api(finance, office, revoke_request, send, status_of) -> None:
    assert send(office, status_of(office, DOC, "15", "Đồng ý"), STATUSES).status_code == 201
    again = send(office, status_of(office, DOC, "16", "Đổi ý"), STATUSES)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_answered"


def test_the_database_refuses_two_answers_by_one_recipient_to_one_request(office, revoke_request) -> None:
    answer_row(revoke_request, office.agency.pk, "15", "một")
    with pytest.raises(IntegrityError), transaction.atomic():
        answer_row(revoke_request, office.agency.pk, "16", "hai")


def test_other_statuses_and_other_recipients_are_not_limited(finance, office, nghe_an, revoke_request) -> None:
    answer_row(revoke_request, office.agency.pk, "15", "một")
    answer_row(revoke_request, nghe_an.agency.pk, "16", "khác nơi")
    answer_row(revoke_request, office.agency.pk, "03", "vào sổ")
    answer_row(revoke_request, office.agency.pk, "04", "phân công")
    assert Message.objects.filter(kind=Kind.STATUS).count() == 4
