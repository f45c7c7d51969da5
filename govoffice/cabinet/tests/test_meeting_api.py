"""The meeting API: plan, agenda with materials, positions, attendance, conclusions, close."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.utils import timezone

from govoffice.cabinet.models import Meeting

pytestmark = pytest.mark.django_db
URL = "/api/v1/cabinet/meetings"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _as(client, user):
    client.force_login(user)
    return client


def test_a_meeting_through_the_api(cabinet, ministry, client, django_capture_on_commit_callbacks) -> None:
    body = {"kind": "thematic", "title": "Phiên họp chuyên đề pháp luật", "starts_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
            "place": "Trụ sở Chính phủ", "chair": "thutuong", "members": [m.username for m in cabinet.members[1:]],
            "guests": [{"name": "Nguyễn Văn An", "title": "Chuyên gia"}]}
    r = _as(client, cabinet.staff).post(URL, body, content_type="application/json", headers={"Idempotency-Key": "m-1"})
    assert r.status_code == 201, r.content
    again = client.post(URL, body, content_type="application/json", headers={"Idempotency-Key": "m-1"})
    assert again.status_code == 200 and Meeting.objects.count() == 1
    meeting = r.json()
    item = client.post(f"{URL}/{meeting['id']}/items", {
        "title": "Dự án Luật", "presenting_agency": ministry.code, "starts": "09:00", "ends": "10:00",
        "files": [{"name": "du-an.pdf", "content_base64": base64.b64encode(PDF).decode()}]}, content_type="application/json")
    assert item.status_code == 201, item.content
    item_id = item.json()["id"]
    file_url = item.json()["uploads"][0]["url"]
    bad = client.post(f"{URL}/{meeting['id']}/items", {"title": "x", "presenting_agency": ministry.code,
                                                        "files": [{"name": "a.pdf", "content_base64": base64.b64encode(b"MZ" + b"\0" * 100).decode()}]},
                      content_type="application/json")
    assert bad.status_code == 415 and bad.json()["error"]["code"] == "unsupported_file_type"
    member = cabinet.members[1]
    pos = _as(client, member).put(f"{URL}/{meeting['id']}/items/{item_id}/position", {"position": "no_objection"}, content_type="application/json")
    assert pos.status_code == 200 and pos.json()["adoptable_without_debate"] is True
    assert [p["member"] for p in pos.json()["positions"]] == [member.username]
    assert client.get(file_url).status_code == 200  # an invited member reads the material
    assert _as(client, cabinet.staff).get(f"{URL}/{meeting['id']}").json()["items"][0]["positions"][0]["position"] == "no_objection"
    marks = {a["id"]: "present" for a in meeting["attendees"] if a["member"]}
    assert client.put(f"{URL}/{meeting['id']}/attendance", {"attendance": marks}, content_type="application/json").status_code == 200
    out = client.put(f"{URL}/{meeting['id']}/items/{item_id}/outcome", {
        "notes": "Thảo luận", "conclusion": "Thông qua", "tasks": [{"content": "Hoàn thiện", "lead_agency_code": ministry.code, "deadline": "2026-12-31"}]},
        content_type="application/json")
    assert out.status_code == 200 and out.json()["tasks"][0]["deadline"] == "2026-12-31"
    with django_capture_on_commit_callbacks(execute=True):
        closed = client.post(f"{URL}/{meeting['id']}/close")
    assert closed.status_code == 200 and closed.json()["state"] == "closed" and closed.json()["minutes_outgoing_id"]
    again = client.post(f"{URL}/{meeting['id']}/close")
    assert again.status_code == 409 and again.json()["error"]["code"] == "meeting_closed"


def test_only_invited_members_see_a_meeting(cabinet, client, make_member) -> None:
    r = _as(client, cabinet.staff).post(URL, {"title": "Phiên họp", "starts_at": "2030-01-01T08:00:00+07:00", "place": "Hà Nội",
                                              "chair": "thutuong"}, content_type="application/json")
    pk = r.json()["id"]
    assert _as(client, cabinet.pm).get(f"{URL}/{pk}").status_code == 200
    assert _as(client, cabinet.members[1]).get(f"{URL}/{pk}").status_code == 404
    assert client.get(URL).json() == []
    assert client.post(URL, {"title": "x", "starts_at": "2030-01-01T08:00:00+07:00", "place": "x", "chair": "thutuong"},
                       content_type="application/json").status_code == 403
