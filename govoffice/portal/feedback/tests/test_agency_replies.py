"""The ministry's statuses and answer come back through the hub (or its own page); the office
approves the answer, it is published with personal data hidden, and the submitter rates it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from govoffice_agent import edxml

from govoffice.directory.models import Role
from govoffice.lib.errors import Conflict, DomainError, Forbidden, NotFound
from govoffice.portal.feedback.models import AnswerVia, Feedback, State
from govoffice.portal.feedback.services.replies import (
    answer_feedback,
    publish_answer,
    rate_answer,
    return_answer,
)
from govoffice.portal.feedback.services.triage import forward_feedback
from govoffice.portal.feedback.tests.conftest import make_message, sign

pytestmark = pytest.mark.django_db(transaction=True)

STATUSES = "/api/v1/hub/statuses"
CONTENT = "Tôi là Nguyễn Văn An, CCCD 001099012345, điện thoại 0912 345 678: đề nghị bỏ bản sao chứng thực."


@pytest.fixture
def forwarded(office_hub, finance, officer, file_one) -> Feedback:
    row = file_one(content=CONTENT, phone="0912 345 678")
    forward_feedback(actor=officer, feedback=row, agency_code=finance.code)
    row.refresh_from_db()
    mail.outbox.clear()
    return row


def answer_message(finance, row: Feedback, text: str, number: str = "55") -> bytes:
    msg = make_message(
        finance.code, ["000.00.00.G22"], number=number, subject=f"Trả lời phản ánh {row.code}",
        content=text[:500], response_for=[edxml.ResponseFor(organ_id="000.00.00.G22", document_id=row.document_id)],
        attachments=[edxml.Attachment("a1", "text/plain", "tra-loi.txt", text.encode(), "Trả lời")],
    )
    return sign(finance, edxml.build_message(msg))


def test_the_ministrys_statuses_move_the_feedback_and_tell_the_submitter(forwarded, finance, status_of, send) -> None:
    assert send(finance, status_of(finance, forwarded.document_id, "03", "Đã vào sổ"), STATUSES).status_code in (200, 201)
    assert send(finance, status_of(finance, forwarded.document_id, "05", "Đang xử lý"), STATUSES).status_code in (200, 201)
    forwarded.refresh_from_db()
    assert forwarded.state == State.PROCESSING and forwarded.hub_status == "05"
    assert [h.hub_status for h in forwarded.history.all() if h.hub_status] == ["03", "05"]
    assert len(mail.outbox) == 1  # one e-mail when it moved to processing, not one per hub status


def test_a_return_by_the_ministry_sends_it_back_to_the_office(forwarded, finance, status_of, send, officer, nghe_an) -> None:
    send(finance, status_of(finance, forwarded.document_id, "02", "Không thuộc thẩm quyền"), STATUSES)
    forwarded.refresh_from_db()
    assert forwarded.state == State.RETURNED
    forward_feedback(actor=officer, feedback=forwarded, agency_code=nghe_an.code)
    forwarded.refresh_from_db()
    assert forwarded.state == State.FORWARDED and forwarded.forwarded_to == nghe_an.agency
    assert forwarded.document_id.endswith(f",{forwarded.pk}-2/VPCP-PAKN")


def test_an_answer_through_the_hub_names_the_forwarded_message(forwarded, finance, send) -> None:
    response = send(finance, answer_message(finance, forwarded, "Bộ Tài chính đã sửa Thông tư, bỏ yêu cầu bản sao."))
    assert response.status_code in (200, 201)
    forwarded.refresh_from_db()
    assert forwarded.state == State.ANSWERED and forwarded.answer_via == AnswerVia.HUB
    assert "bỏ yêu cầu bản sao" in forwarded.answer_text and forwarded.answer_agency == finance.agency


def test_an_answer_about_another_document_is_not_taken(forwarded, finance, send) -> None:
    msg = make_message(finance.code, ["000.00.00.G22"], number="77",
                       response_for=[edxml.ResponseFor(document_id="000.00.00.G22,2019/01/01,1/VPCP-PAKN")])
    send(finance, sign(finance, edxml.build_message(msg)))
    forwarded.refresh_from_db()
    assert forwarded.state == State.FORWARDED


def test_the_ministry_answers_on_its_own_page(client, forwarded, finance_specialist, person) -> None:
    client.force_login(finance_specialist)
    listing = client.get("/portal/feedback/agency/")
    assert forwarded.code in listing.content.decode() and "an@example.vn" not in listing.content.decode()
    assert client.post(f"/portal/feedback/agency/{forwarded.pk}/", {"answer": ""}).status_code == 400
    assert client.post(f"/portal/feedback/agency/{forwarded.pk}/", {"answer": "Đã sửa quy định."}).status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.state == State.ANSWERED and forwarded.answered_by == finance_specialist
    other = person(Role.SPECIALIST, code="000.00.00.H41")
    with pytest.raises(Forbidden):
        answer_feedback(actor=other, feedback=forwarded, text="x")


def test_the_office_publishes_with_personal_data_hidden_and_the_submitter_rates_it(forwarded, finance_specialist, officer, client) -> None:
    answer_feedback(actor=finance_specialist, feedback=forwarded, text="Trả lời ông Nguyễn Văn An (an@example.vn): đã sửa.")
    row, token = publish_answer(actor=officer, feedback=forwarded)
    assert row.state == State.PUBLISHED
    published = row.published_question + row.published_answer
    for secret in ("Nguyễn Văn An", "001099012345", "0912 345 678", "an@example.vn"):
        assert secret not in published
    link = re.search(r"http://\S+/portal/feedback/rate/\S+/", str(mail.outbox[-1].body))
    assert link is not None and token in link.group(0)
    path = link.group(0).split("8000", 1)[1] if "8000" in link.group(0) else link.group(0)
    assert client.get(path).status_code == 200
    assert client.post(path, {"satisfied": "0", "comment": "Chưa rõ thời hạn áp dụng"}).status_code == 302
    row.refresh_from_db()
    assert row.satisfied is False and row.rating_comment == "Chưa rõ thời hạn áp dụng"
    with pytest.raises(Conflict):
        rate_answer(code=row.code, token=token, satisfied=True)


def test_a_wrong_rating_token_is_refused(forwarded, finance_specialist, officer, client) -> None:
    answer_feedback(actor=finance_specialist, feedback=forwarded, text="Đã sửa.")
    publish_answer(actor=officer, feedback=forwarded)
    with pytest.raises(NotFound):
        rate_answer(code=forwarded.code, token="doan-bua", satisfied=True)
    assert client.get(f"/portal/feedback/rate/{forwarded.code}/doan-bua/").status_code == 404
    assert Feedback.objects.get(pk=forwarded.pk).rated_at is None


def test_an_answer_sent_back_returns_to_the_ministry(forwarded, finance_specialist, officer) -> None:
    answer_feedback(actor=finance_specialist, feedback=forwarded, text="Đã nhận.")
    with pytest.raises(DomainError):
        return_answer(actor=officer, feedback=forwarded, note="")
    return_answer(actor=officer, feedback=forwarded, note="Chưa trả lời nội dung kiến nghị")
    forwarded.refresh_from_db()
    assert forwarded.state == State.PROCESSING and forwarded.moderation_note
    with pytest.raises(Forbidden):
        publish_answer(actor=finance_specialist, feedback=forwarded)
    with pytest.raises(Conflict):
        publish_answer(actor=officer, feedback=forwarded)
    assert forwarded.received_at < forwarded.updated_at + dt.timedelta(seconds=1)
