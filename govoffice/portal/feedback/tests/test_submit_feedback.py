"""Anyone files feedback without signing in: a receipt code, the files kept, an e-mail at once."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from govoffice.directory.models import Role
from govoffice.notify.models import Notice
from govoffice.portal.feedback.models import Feedback, State
from govoffice.portal.feedback.tests.conftest import PDF, PNG

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {
    "source": "business", "name": "Công ty TNHH Bình Minh", "email": "lienhe@binhminh.vn", "phone": "",
    "address": "", "tax_code": "0101234567", "agency": "000.00.00.G12", "topic": "procedure",
    "subject": "Hoàn thuế giá trị gia tăng chậm", "content": "Hồ sơ hoàn thuế nộp từ tháng 3 chưa được giải quyết.",
}


def test_the_form_files_feedback_and_gives_a_receipt_code(client, agencies) -> None:
    files = [SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf"), SimpleUploadedFile("anh.png", PNG, "image/png")]
    response = client.post("/portal/feedback/", {**FORM, "attachments": files})
    assert response.status_code == 302, response.context["form"].errors
    row = Feedback.objects.get()
    assert re.fullmatch(r"PA-\d{4}-[0-9A-Z]{9}", row.code)
    assert response["Location"].endswith(f"?code={row.code}")
    assert row.state == State.RECEIVED and row.source == "business" and row.agency is not None and row.agency.code == "000.00.00.G12"
    assert sorted(f.content_type for f in row.files.all()) == ["application/pdf", "image/png"]
    assert row.history.get().state == State.RECEIVED
    page = client.get(response["Location"])
    assert row.code in page.content.decode()


def test_the_submitter_gets_an_email_with_the_receipt_code(client, agencies) -> None:
    client.post("/portal/feedback/", FORM)
    row = Feedback.objects.get()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lienhe@binhminh.vn"] and row.code in mail.outbox[0].body
    assert Notice.objects.filter(kind="feedback.received", ref=row.code).count() == 1


def test_only_a_phone_number_sends_the_notices_by_sms(client, agencies) -> None:
    client.post("/portal/feedback/", {**FORM, "email": "", "phone": "0912 345 678"})
    row = Feedback.objects.get()
    notice = Notice.objects.get(ref=row.code)
    assert notice.channel == "sms" and notice.address == "0912 345 678"


def test_a_signed_in_citizen_is_linked_to_the_feedback(client, person) -> None:
    citizen = person(Role.CITIZEN, code="000.00.00.G22", full_name="Trần Thị Bình", email="binh@example.vn")
    client.force_login(citizen)
    form = client.get("/portal/feedback/")
    assert "Trần Thị Bình" in form.content.decode()
    client.post("/portal/feedback/", {**FORM, "source": "citizen", "name": "Trần Thị Bình", "tax_code": ""})
    assert Feedback.objects.get().account == citizen


def test_the_api_files_feedback_and_a_retry_with_the_same_key_gives_the_same_receipt(client, agencies) -> None:
    first = client.post("/api/v1/portal/feedback", FORM, HTTP_IDEMPOTENCY_KEY="lan-1")
    again = client.post("/api/v1/portal/feedback", FORM, HTTP_IDEMPOTENCY_KEY="lan-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["code"] == again.json()["code"] and first.json()["status"] == "received"
    assert Feedback.objects.count() == 1


def test_another_address_with_the_same_key_files_its_own_piece(client, agencies) -> None:
    client.post("/api/v1/portal/feedback", FORM, HTTP_IDEMPOTENCY_KEY="k", REMOTE_ADDR="10.0.0.1")
    other = client.post("/api/v1/portal/feedback", FORM, HTTP_IDEMPOTENCY_KEY="k", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 201 and Feedback.objects.count() == 2
