"""The incoming API: the register's list with filters and paging, a document's detail, paper
registration (multipart, Idempotency-Key), return, assign, processing, done, and its OpenAPI."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from govoffice.directory.models import Role
from govoffice.directory.services import grant_role, issue_api_key
from govoffice.records.models import Incoming, IncomingState
from govoffice.records.tests.incoming_people import desk, pdf, png, register, signed_in  # noqa: F401

pytestmark = pytest.mark.django_db

BASE = "/api/v1/records/incoming"


def _fields(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "sender_name": "Bộ Nội vụ", "subject": "Về việc tinh giản biên chế", "number_notation": "321/BNV-TCBC",
        "document_date": "2026-01-05", "doc_type": "CV", "urgency": "2",
    }
    data.update(overrides)
    return data


def _machine(desk) -> Client:  # noqa: F811
    """A scanning station: the agency's system key, which an administrator let register documents."""
    key, raw = issue_api_key(actor=None, agency=desk.agency, name="Máy quét văn thư")
    grant_role(actor=None, user=key.user, role=Role.CLERK)
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_a_clerk_registers_a_paper_document_with_scans(desk, tmp_path) -> None:  # noqa: F811
    path = tmp_path / "scan.png"
    path.write_bytes(png())
    with path.open("rb") as scan:
        response = signed_in(desk.clerk).post(BASE, {**_fields(), "scans": [scan]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["arrival_number"] == 1 and body["channel"] == "paper" and body["urgency"] == 2
    assert body["document_date"] == "2026-01-05" and body["state"] == "registered"
    assert [(f["name"], f["content_type"], f["role"]) for f in body["files"]] == [("scan.png", "image/png", "scan")]


def test_a_retry_with_the_same_idempotency_key_returns_the_first_document(desk) -> None:  # noqa: F811
    client = _machine(desk)
    first = client.post(BASE, _fields(), HTTP_IDEMPOTENCY_KEY="may-quet-1:0001")
    again = client.post(BASE, _fields(), HTTP_IDEMPOTENCY_KEY="may-quet-1:0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and Incoming.objects.count() == 1
    assert client.post(BASE, _fields(), HTTP_IDEMPOTENCY_KEY="may-quet-1:0002").json()["arrival_number"] == 2


def test_the_list_filters_and_pages(desk) -> None:  # noqa: F811
    for i in range(5):
        register(desk, scans=[], subject=f"Văn bản {i}", doc_type="BC" if i % 2 else "CV")
    client = signed_in(desk.leader)
    page = client.get(BASE, {"limit": 2, "offset": 1}).json()
    assert page["count"] == 5 and [i["subject"] for i in page["items"]] == ["Văn bản 3", "Văn bản 2"]
    reports = client.get(BASE, {"doc_type": "BC"}).json()
    assert reports["count"] == 2 and {i["subject"] for i in reports["items"]} == {"Văn bản 1", "Văn bản 3"}
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert client.get(BASE, {"date_from": tomorrow.isoformat()}).json()["count"] == 0
    assert client.get(BASE, {"limit": 0}).status_code == 422


def test_the_whole_handling_goes_through_the_api(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    leader = signed_in(desk.leader)
    assigned = leader.post(f"{BASE}/{doc.pk}/assign", {
        "lead_unit": desk.unit.code, "lead_person": "chuyenvien", "coordinators": ["dongnghiep"],
        "direction": "Nghiên cứu, đề xuất", "deadline_days": 3,
    }, content_type="application/json")
    assert assigned.status_code == 200, assigned.content
    body = assigned.json()
    assert body["state"] == "assigned" and body["receiving_person"] == "chuyenvien" and body["deadline"]
    assert body["assignments"][0]["coordinators"] == ["dongnghiep"] and body["assignments"][0]["lead_unit"] == desk.unit.code
    handler = signed_in(desk.specialist)
    assert handler.post(f"{BASE}/{doc.pk}/processing").json()["state"] == "processing"
    done = handler.post(f"{BASE}/{doc.pk}/done", {"note": "Đã trả lời"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "done" and done.json()["completed_at"]
    detail = handler.get(f"{BASE}/{doc.pk}").json()
    assert detail["state"] == IncomingState.DONE and len(detail["assignments"]) == 1
    assert handler.get(BASE, {"mine": "true"}).json()["count"] == 0


def test_done_needs_no_note(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    signed_in(desk.leader).post(f"{BASE}/{doc.pk}/assign", {"lead_person": "chuyenvien"}, content_type="application/json")
    assert signed_in(desk.specialist).post(f"{BASE}/{doc.pk}/done", content_type="application/json").status_code == 200


def test_a_clerk_returns_a_document(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    response = signed_in(desk.clerk).post(f"{BASE}/{doc.pk}/return", {"reason": "Gửi nhầm"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "returned" and response.json()["return_reason"] == "Gửi nhầm"


def test_a_document_the_caller_may_not_see_is_a_404(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[], confidentiality=1)
    client = signed_in(desk.colleague)
    response = client.get(f"{BASE}/{doc.pk}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert client.get(BASE).json()["count"] == 0


def test_the_openapi_documents_each_operations_errors() -> None:
    from govoffice.api import api

    paths = api.get_openapi_schema()["paths"]
    expected = {
        ("/api/v1/records/incoming", "get"): {401, 403, 422},
        ("/api/v1/records/incoming", "post"): {401, 403, 413, 415, 422},
        ("/api/v1/records/incoming/{incoming_id}", "get"): {401, 404},
        ("/api/v1/records/incoming/{incoming_id}/return", "post"): {401, 403, 404, 409, 422},
        ("/api/v1/records/incoming/{incoming_id}/assign", "post"): {401, 403, 404, 409, 422},
        ("/api/v1/records/incoming/{incoming_id}/processing", "post"): {401, 403, 404, 409},
        ("/api/v1/records/incoming/{incoming_id}/done", "post"): {401, 403, 404, 409},
        ("/api/v1/records/register/export", "get"): {401, 403, 422},
    }
    for (path, method), codes in expected.items():
        documented = {int(c) for c in paths[path][method]["responses"]}
        assert codes <= documented, (path, method, codes - documented)
    post = paths["/api/v1/records/incoming"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])
    assert "multipart/form-data" in post["requestBody"]["content"]


def test_someone_not_signed_in_gets_a_401() -> None:
    assert Client().get(BASE).status_code == 401
