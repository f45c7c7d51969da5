"""Bad input gets a clear refusal and changes nothing: disguised or unsupported files (415),
oversized files (413), missing fields (422 naming the field; beside the field on pages),
assigning without the right or marking done as someone else (403), returning an assigned
document (409), a deadline before today (422). Counts and the audit log stay as they were."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govoffice.records.files import Upload
from govoffice.records.models import Incoming
from govoffice.records.services.handling import AssignmentPlan, assign_incoming
from govoffice.records.tests.incoming_people import EXE, desk, png, register, signed_in, snapshot  # noqa: F401

pytestmark = pytest.mark.django_db

BASE = "/api/v1/records/incoming"
FIELDS = {"sender_name": "Bộ Tài chính", "subject": "Về việc quyết toán", "doc_type": "CV"}


def _upload(client, tmp_path, name: str, data: bytes, **fields: object):
    path = tmp_path / name
    path.write_bytes(data)
    with path.open("rb") as f:
        return client.post(BASE, {**FIELDS, **fields, "scans": [f]})


def test_a_program_renamed_pdf_is_refused_with_415(desk, tmp_path) -> None:  # noqa: F811
    before = snapshot()
    response = _upload(signed_in(desk.clerk), tmp_path, "cong-van.pdf", EXE)
    assert response.status_code == 415
    error = response.json()["error"]
    assert error["code"] == "unsupported_file_type" and error["field"] == "scans" and "cong-van.pdf" in error["message"]
    assert snapshot() == before


def test_a_text_file_is_not_a_scan(desk, tmp_path) -> None:  # noqa: F811
    before = snapshot()
    assert _upload(signed_in(desk.clerk), tmp_path, "scan.jpg", "chỉ là chữ".encode()).status_code == 415
    assert snapshot() == before


def test_a_png_named_pdf_is_accepted_as_a_png(desk, tmp_path) -> None:  # noqa: F811
    response = _upload(signed_in(desk.clerk), tmp_path, "scan.pdf", png())
    assert response.status_code == 201 and response.json()["files"][0]["content_type"] == "image/png"


def test_an_oversized_file_is_refused_with_413(desk, tmp_path, settings) -> None:  # noqa: F811
    settings.RECORDS = {**settings.RECORDS, "max_upload_bytes": 2048}
    before = snapshot()
    response = _upload(signed_in(desk.clerk), tmp_path, "big.png", png(size=(900, 900)) + b"\0" * 4096)
    assert response.status_code == 413 and response.json()["error"]["field"] == "scans"
    assert snapshot() == before


def test_the_page_shows_a_refused_file_beside_the_field(desk, tmp_path) -> None:  # noqa: F811
    before = snapshot()
    path = tmp_path / "cong-van.pdf"
    path.write_bytes(EXE)
    with path.open("rb") as f:
        response = signed_in(desk.clerk).post("/records/incoming/new/", {**FIELDS, "urgency": "0", "confidentiality": "0", "scans": [f]})
    html = response.content.decode()
    assert response.status_code == 415
    error = html.split('id="id_scans-error">')[1].split("</span>")[0]
    assert "cong-van.pdf" in error
    assert snapshot() == before


@pytest.mark.parametrize("missing", ["sender_name", "subject"])
def test_a_missing_field_is_a_422_that_names_it(desk, missing) -> None:  # noqa: F811
    before = snapshot()
    fields = {k: v for k, v in FIELDS.items() if k != missing}
    response = signed_in(desk.clerk).post(BASE, fields)
    assert response.status_code == 422 and response.json()["error"]["field"] == missing
    blank = signed_in(desk.clerk).post(BASE, {**FIELDS, missing: "   "})
    assert blank.status_code == 422 and blank.json()["error"]["field"] == missing
    assert snapshot() == before


def test_only_clerks_register(desk) -> None:  # noqa: F811
    before = snapshot()
    assert signed_in(desk.specialist).post(BASE, FIELDS).status_code == 403
    assert snapshot() == before


def test_assigning_without_the_right_is_a_403(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    before = snapshot()
    for who in (desk.clerk, desk.specialist):
        response = signed_in(who).post(f"{BASE}/{doc.pk}/assign", {"lead_person": "chuyenvien"}, content_type="application/json")
        assert response.status_code == 403
    assert signed_in(desk.specialist).post(f"/records/incoming/{doc.pk}/assign/", {"lead_person": desk.specialist.pk}).status_code == 403
    assert snapshot() == before


def test_marking_done_is_for_the_lead_handler_only(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(lead_person=desk.specialist, coordinators=[desk.colleague]))
    before = snapshot()
    for who in (desk.colleague, desk.leader, desk.clerk):
        response = signed_in(who).post(f"{BASE}/{doc.pk}/done", content_type="application/json")
        assert response.status_code == 403, who
    assert signed_in(desk.colleague).post(f"/records/incoming/{doc.pk}/done/").status_code == 403
    assert snapshot() == before


def test_returning_an_assigned_document_is_a_409(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(lead_person=desk.specialist))
    before = snapshot()
    response = signed_in(desk.clerk).post(f"{BASE}/{doc.pk}/return", {"reason": "Gửi nhầm"}, content_type="application/json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "invalid_state"
    assert snapshot() == before


def test_a_deadline_before_today_is_refused(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    before = snapshot()
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = signed_in(desk.leader).post(f"{BASE}/{doc.pk}/assign", {"lead_person": "chuyenvien", "deadline": yesterday}, content_type="application/json")
    assert response.status_code == 422 and response.json()["error"]["field"] == "deadline"
    both = signed_in(desk.leader).post(f"{BASE}/{doc.pk}/assign", {"lead_person": "chuyenvien", "deadline_days": 0}, content_type="application/json")
    assert both.status_code == 422 and both.json()["error"]["field"] == "deadline_days"
    assert snapshot() == before


def test_an_assignment_without_a_lead_or_to_someone_unknown_is_refused(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    before = snapshot()
    client = signed_in(desk.leader)
    response = client.post(f"{BASE}/{doc.pk}/assign", {"direction": "Xử lý"}, content_type="application/json")
    assert response.status_code == 422 and response.json()["error"]["field"] == "lead_person"
    response = client.post(f"{BASE}/{doc.pk}/assign", {"lead_person": "khong-co"}, content_type="application/json")
    assert response.status_code == 422 and response.json()["error"]["field"] == "lead_person"
    assert snapshot() == before


def test_a_secret_document_cannot_be_led_by_someone_without_clearance(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[Upload("mat.png", png())], confidentiality=1)
    before = snapshot()
    response = signed_in(desk.leader).post(f"{BASE}/{doc.pk}/assign", {"lead_person": "dongnghiep"}, content_type="application/json")
    assert response.status_code == 422 and response.json()["error"]["code"] == "cannot_handle"
    assert snapshot() == before
    assert Incoming.objects.get(pk=doc.pk).state == "registered"
