"""The submissions API: draft with base64 files, the chain's steps, decisions, errors in the
one error format, 404 for what the caller may not see."""

from __future__ import annotations

import base64

import pytest

from govoffice.audit.models import Event
from govoffice.records.models import Submission
from govoffice.records.tests.office_people import outsider, vpcp  # noqa: F401  (fixture)
from govoffice.records.tests.test_submissions_flow import PDF

pytestmark = pytest.mark.django_db
URL = "/api/v1/records/submissions"


def _body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "title": "Tờ trình về Đề án Chính phủ điện tử", "body": "Kính trình Thủ tướng.",
        "files": [{"name": "Du thao.pdf", "content_base64": base64.b64encode(PDF).decode()}],
    }
    body.update(overrides)
    return body


def _as(client, user):
    client.force_login(user)
    return client


def test_the_drafter_creates_and_submits_and_the_head_approves(vpcp, client) -> None:  # noqa: F811
    api = _as(client, vpcp.specialist)
    answer = api.post(URL, _body(), content_type="application/json")
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert created["state"] == "draft" and created["versions"][0]["files"][0]["name"] == "Du thao.pdf"
    assert created["chain"]["steps"][0]["label"] == "Vụ trưởng"
    file_url = created["versions"][0]["files"][0]["url"]
    assert api.get(file_url).status_code == 200
    submitted = api.post(f"{URL}/{created['id']}/submit", {}, content_type="application/json").json()
    assert submitted["state"] == "in_review" and submitted["current_reviewer"] == "vutruong"
    head = _as(client, vpcp.head)
    assert [i["id"] for i in head.get(f"{URL}?show=waiting").json()["items"]] == [created["id"]]
    approved = head.post(f"{URL}/{created['id']}/approve", {"comment": "Đồng ý"}, content_type="application/json").json()
    assert approved["current_reviewer"] == "phochunhiem" and approved["step_label"].startswith("Phó Chủ nhiệm")
    assert [h["action"] for h in approved["history"]] == ["create", "submit", "approve"]


def test_the_chains_of_the_agency_are_listed(vpcp, client) -> None:  # noqa: F811
    chains = _as(client, vpcp.specialist).get(f"{URL}/chains").json()
    assert [c["matter"] for c in chains] == ["default"]
    assert [(s["role"], s["position"]) for s in chains[0]["steps"]] == [
        ("department_head", ""), ("office_leader", "Phó Chủ nhiệm"), ("office_leader", "Chủ nhiệm"), ("government_leader", "")]


@pytest.mark.parametrize(("overrides", "status", "code", "field"), [
    ({"title": ""}, 400, "required", "title"),
    ({"files": [{"name": "x.pdf", "content_base64": "%%%"}]}, 422, "invalid_base64", "files"),
    ({"files": [{"name": "x.pdf", "content_base64": base64.b64encode(b"MZ\x90\x00" + b"\x00" * 100).decode()}]}, 415, "unsupported_file_type", "files"),
    ({"urgency": 7}, 422, "invalid_input", "urgency"),
])
def test_bad_input_gets_the_error_format_and_writes_nothing(vpcp, client, overrides, status, code, field) -> None:  # noqa: F811
    api = _as(client, vpcp.specialist)
    before = (Submission.objects.count(), Event.objects.count())
    answer = api.post(URL, _body(**overrides), content_type="application/json")
    assert answer.status_code == status, answer.content
    assert answer.json()["error"]["code"] == code and answer.json()["error"]["field"] == field
    assert (Submission.objects.count(), Event.objects.count()) == before


def test_someone_else_deciding_gets_403_and_a_stranger_404(vpcp, client) -> None:  # noqa: F811
    api = _as(client, vpcp.specialist)
    row = api.post(URL, _body(), content_type="application/json").json()
    api.post(f"{URL}/{row['id']}/submit", {}, content_type="application/json")
    answer = _as(client, vpcp.pm).post(f"{URL}/{row['id']}/approve", {}, content_type="application/json")
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "not_your_turn"
    stranger = outsider(vpcp)
    assert _as(client, stranger).get(f"{URL}/{row['id']}").status_code == 404
    assert _as(client, stranger).get(URL).json()["count"] == 0


def test_a_secret_submission_is_invisible_to_those_not_cleared(vpcp, client, staff) -> None:  # noqa: F811
    api = _as(client, vpcp.specialist)
    row = api.post(URL, _body(confidentiality=1), content_type="application/json").json()
    low = staff("specialist", username="cv-thuong")
    api = _as(client, low)
    assert api.get(f"{URL}/{row['id']}").status_code == 404
    assert api.get(f"{URL}?show=all").json() == {"count": 0, "items": []}


def test_returning_needs_a_comment(vpcp, client) -> None:  # noqa: F811
    api = _as(client, vpcp.specialist)
    row = api.post(URL, _body(), content_type="application/json").json()
    api.post(f"{URL}/{row['id']}/submit", {}, content_type="application/json")
    answer = _as(client, vpcp.head).post(f"{URL}/{row['id']}/return", {"comment": " "}, content_type="application/json")
    assert answer.status_code == 400 and answer.json()["error"] == {"code": "required", "message": "Say what must change", "field": "comment"}
