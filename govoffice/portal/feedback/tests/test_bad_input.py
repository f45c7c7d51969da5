"""Bad input is refused with a clear message beside the field (pages) or naming it (API), and
nothing is written: no row, no file, no e-mail."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from govoffice.portal.feedback.models import Feedback, FeedbackFile
from govoffice.portal.feedback.tests.conftest import PDF

pytestmark = pytest.mark.django_db

FORM = {
    "source": "citizen", "name": "Phạm Thị Dung", "email": "dung@example.vn", "phone": "", "address": "",
    "tax_code": "", "agency": "", "topic": "regulation", "subject": "Quy định về cư trú",
    "content": "Đề nghị bỏ yêu cầu xác nhận cư trú khi làm hộ chiếu.",
}
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def nothing_written() -> None:
    assert not Feedback.objects.exists() and not FeedbackFile.objects.exists() and not mail.outbox


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"name": ""}, "name", "bắt buộc"),
    ({"email": "", "phone": ""}, "email", "thư điện tử hoặc số điện thoại"),
    ({"email": "khong-phai-email"}, "email", "không phải địa chỉ thư điện tử"),
    ({"phone": "abc"}, "phone", "không phải số điện thoại"),
    ({"subject": "  "}, "subject", "bắt buộc"),
    ({"content": ""}, "content", "bắt buộc"),
    ({"agency": "000.00.00.G77"}, "agency", ""),
    ({"tax_code": "12345"}, "tax_code", "10 chữ số"),
])
def test_the_form_shows_the_message_beside_the_field(client: Any, agencies: Any, change: dict[str, str], field: str, words: str) -> None:
    response = client.post("/portal/feedback/", {**FORM, **change})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field])
    assert f'id="id_{field}-error"' in response.content.decode() or field == "agency"
    nothing_written()


def test_an_unknown_agency_is_refused_by_the_api_with_its_code(client: Any, agencies: Any) -> None:
    response = client.post("/api/v1/portal/feedback", {**FORM, "agency": "000.00.00.G77"})
    assert response.status_code == 400
    assert response.json()["error"] == {"code": "unknown_agency", "field": "agency",
                                        "message": "Không có cơ quan nào trong danh bạ có mã 000.00.00.G77"}
    nothing_written()


def test_a_missing_field_in_the_api_is_named(client: Any, agencies: Any) -> None:
    response = client.post("/api/v1/portal/feedback", {k: v for k, v in FORM.items() if k != "subject"})
    assert response.status_code == 422 and response.json()["error"]["field"] == "subject"
    blank = client.post("/api/v1/portal/feedback", {**FORM, "name": " "})
    assert blank.status_code == 400 and blank.json()["error"]["field"] == "name"
    nothing_written()


def test_a_program_disguised_as_a_pdf_is_refused_by_its_content(client: Any, agencies: Any) -> None:
    disguised = SimpleUploadedFile("to-khai.pdf", EXE, "application/pdf")
    response = client.post("/api/v1/portal/feedback", {**FORM, "attachments": [disguised]})
    assert response.status_code == 415 and response.json()["error"]["code"] == "unsupported_file_type"
    page = client.post("/portal/feedback/", {**FORM, "attachments": [SimpleUploadedFile("anh.jpg", b"<html>hi</html>", "image/jpeg")]})
    assert page.status_code == 400 and "anh.jpg" in " ".join(page.context["form"].errors["attachments"])
    nothing_written()


def test_files_over_the_caps_are_refused(client: Any, agencies: Any, settings: Any) -> None:
    settings.FEEDBACK = {"max_file_bytes": 1000, "max_total_bytes": 1500, "max_files": 2}
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * 2000, "application/pdf")
    assert client.post("/api/v1/portal/feedback", {**FORM, "attachments": [big]}).status_code == 413
    two = [SimpleUploadedFile(f"{i}.pdf", PDF + b"0" * 700, "application/pdf") for i in range(2)]
    together = client.post("/api/v1/portal/feedback", {**FORM, "attachments": two})
    assert together.status_code == 413 and together.json()["error"]["code"] == "files_too_large"
    three = [SimpleUploadedFile(f"{i}.pdf", PDF, "application/pdf") for i in range(3)]
    assert client.post("/api/v1/portal/feedback", {**FORM, "attachments": three}).json()["error"]["code"] == "too_many_files"
    nothing_written()


def test_an_empty_file_is_refused(client: Any, agencies: Any) -> None:
    empty = SimpleUploadedFile("rong.pdf", b"", "application/pdf")
    response = client.post("/api/v1/portal/feedback", {**FORM, "attachments": [empty]})
    assert response.status_code in (400, 422)
    nothing_written()
