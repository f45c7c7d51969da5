"""The supervision API: the officer assigns, the lead agency's system reports with its API key,
errors come in the one format, retries with an Idempotency-Key make nothing twice."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from govoffice.supervision.models import ProgressReport, Task

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _post(client: Client, path: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(f"/api/v1/supervision{path}", data=json.dumps(body, default=str), content_type="application/json", **headers)


@pytest.fixture
def finance_key(api_key, ministry) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_key(ministry)}"}


def test_the_officer_assigns_and_a_retry_with_the_same_key_makes_no_second_task(login, officer, ministry, home_affairs) -> None:
    client = login(officer)
    body = {"content": "Sửa đổi Nghị định 20/2017/NĐ-CP", "assigner": "Phó Thủ tướng", "assigner_name": "Vương Đình Huệ",
            "lead_agency": ministry.code, "coordinating_agencies": [home_affairs.code], "deadline_days": 10,
            "source_ref": "45/TB-VPCP", "importance": 2}
    first = _post(client, "/tasks", body, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == 201, first.content
    again = _post(client, "/tasks", body, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert again.status_code == 200
    assert again.json()["code"] == first.json()["code"]
    assert Task.objects.count() == 1
    data = first.json()
    assert data["assigner"] == "deputy_prime_minister" and data["coordinating_agencies"] == [home_affairs.code]
    assert data["status"] == "unfinished_in_term" and data["deadline"] > str(TODAY)


def test_bad_input_comes_back_in_the_one_error_format(login, officer, ministry) -> None:
    client = login(officer)
    response = _post(client, "/tasks", {"content": "X", "assigner": "prime_minister", "lead_agency": ministry.code, "source_ref": "1/QĐ-TTg",
                                        "assigned_on": str(TODAY - 2 * DAY), "deadline": str(TODAY - 3 * DAY)})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "deadline_before_assignment"
    assert response.json()["error"]["field"] == "deadline"
    response = _post(client, "/tasks", {"content": "X", "assigner": "king", "lead_agency": ministry.code, "source_ref": "1"})
    assert response.json()["error"]["field"] == "assigner"
    assert Task.objects.count() == 0


def test_the_lead_agencys_system_reports_with_its_api_key_once_per_idempotency_key(assign, client, finance_key) -> None:
    task = assign(deadline=TODAY + 5 * DAY)
    path = f"/tasks/{task.code}/progress"
    first = _post(client, path, {"note": "Đã hoàn thành", "complete": True}, HTTP_IDEMPOTENCY_KEY="r-1", **finance_key)
    assert first.status_code == 201, first.content
    assert _post(client, path, {"note": "Đã hoàn thành", "complete": True}, HTTP_IDEMPOTENCY_KEY="r-1", **finance_key).status_code == 200
    assert ProgressReport.objects.filter(task=task).count() == 1
    closed = _post(client, path, {"note": "Thêm"}, **finance_key)
    assert closed.status_code == 409
    assert closed.json()["error"]["code"] == "task_closed"
    detail = client.get(f"/api/v1/supervision/tasks/{task.code}", **finance_key).json()
    assert detail["status"] == "completed_on_time" and detail["reports"][0]["channel"] == "api"


def test_another_agency_sees_nothing_and_cannot_report(assign, client, api_key, nghe_an) -> None:
    task = assign(deadline=TODAY + 5 * DAY)
    other = {"HTTP_AUTHORIZATION": f"Bearer {api_key(nghe_an)}"}
    assert client.get(f"/api/v1/supervision/tasks/{task.code}", **other).status_code == 404
    assert client.get("/api/v1/supervision/tasks", **other).json() == {"count": 0, "items": []}
    assert _post(client, f"/tasks/{task.code}/progress", {"note": "x"}, **other).status_code == 404
    assert client.get("/api/v1/supervision/tasks").status_code == 401


def test_extension_asked_by_the_agency_and_decided_by_the_officer(assign, client, finance_key, officer) -> None:
    task = assign(deadline=TODAY + 5 * DAY)
    asked = _post(client, f"/tasks/{task.code}/extensions", {"requested_deadline": str(TODAY + 30 * DAY), "reason": "Chờ thẩm định"}, **finance_key)
    assert asked.status_code == 201, asked.content
    refused = _post(client, f"/tasks/{task.code}/extensions/{asked.json()['id']}/decision", {"approve": True}, **finance_key)
    assert refused.status_code == 403
    client.force_login(officer)
    decided = _post(client, f"/tasks/{task.code}/extensions/{asked.json()['id']}/decision", {"approve": True})
    assert decided.status_code == 200 and decided.json()["state"] == "approved"
    detail = client.get(f"/api/v1/supervision/tasks/{task.code}").json()
    assert detail["deadline"] == str(TODAY + 30 * DAY)
    assert detail["deadline_changes"][0]["old_deadline"] == str(TODAY + 5 * DAY)


def test_the_list_filters_by_status_and_agency(assign, login, officer, home_affairs) -> None:
    assign("Quá hạn", assigned_on=TODAY - 9 * DAY, deadline=TODAY - DAY)
    assign("Trong hạn", lead=home_affairs.code, deadline=TODAY + DAY)
    client = login(officer)
    overdue = client.get("/api/v1/supervision/tasks", {"status": "unfinished_overdue"}).json()
    assert [t["content"] for t in overdue["items"]] == ["Quá hạn"]
    assert client.get("/api/v1/supervision/tasks", {"agency": home_affairs.code}).json()["count"] == 1
    assert client.get("/api/v1/supervision/tasks", {"q": "qua han"}).json()["count"] == 1
    assert client.get("/api/v1/supervision/tasks", {"status": "bogus"}).status_code == 422


def test_the_rate_endpoint_names_its_definition_and_an_agency_is_held_to_its_own(assign, login, officer, client, finance_key, home_affairs, ministry) -> None:
    assign("Quá hạn", assigned_on=TODAY - 9 * DAY, deadline=TODAY - DAY)
    params = {"date_from": str(TODAY - 30 * DAY), "date_to": str(TODAY)}
    mine = client.get("/api/v1/supervision/rate", {**params, "agency": ministry.code}, **finance_key)
    assert mine.status_code == 200 and mine.json()["definition"] == "due-overdue@1"
    assert mine.json()["counts"]["unfinished_overdue"] == 1
    assert client.get("/api/v1/supervision/rate", {**params, "agency": home_affairs.code}, **finance_key).status_code == 403
    client.force_login(officer)
    saved = client.post("/api/v1/supervision/rate/reports?" + "&".join(f"{k}={v}" for k, v in {**params, "definition": "vpcp-overdue@1"}.items()))
    assert saved.status_code == 201 and saved.json()["definition"] == "vpcp-overdue@1" and saved.json()["report_id"]
    keys = [d["key"] for d in client.get("/api/v1/supervision/rate/definitions").json()]
    assert "due-overdue@1" in keys and "vpcp-overdue@1" in keys
