"""A NUL character (which PostgreSQL cannot store or compare) in a task's texts or in a filter is
bad input: a 422 naming the field and nothing stored, never a 5xx, on both databases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from govoffice.directory.models import Agency, User
from govoffice.portal.tests.fuzzing import personal_key
from govoffice.supervision.models import ProgressReport, Task


def test_a_nul_in_a_task_a_report_or_a_filter_is_refused(client: Client, officer: User, finance_staff: User, ministry: Agency,
                                                          assign: Callable[..., Any]) -> None:
    task = assign()
    boss: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {personal_key(officer)}"}
    made = client.post("/api/v1/supervision/tasks", {"content": "Nhiệm vụ\x00", "assigner": "prime_minister",
                                                     "lead_agency": ministry.code, "source_ref": "12/CT-TTg"}, content_type="application/json", **boss)
    assert made.status_code == 422 and made.json()["error"]["field"] == "content", made.content
    for path in ("/api/v1/supervision/tasks?agency=G\x00", "/api/v1/supervision/tasks?q=a\x00b",
                 "/api/v1/supervision/rate?date_from=2019-01-01&date_to=2019-12-31&agency=G\x00"):
        response = client.get(path, **boss)
        assert response.status_code in (200, 422), (path, response.content[:200])
    staff: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {personal_key(finance_staff)}"}
    report = client.post(f"/api/v1/supervision/tasks/{task.code}/progress", {"note": "Đã\x00 xong"},
                         content_type="application/json", **staff)
    assert report.status_code == 422 and report.json()["error"]["field"] == "note", report.content
    assert Task.objects.count() == 1 and ProgressReport.objects.count() == 0


def test_a_nul_in_a_task_code_is_a_404(login: Any, officer: User) -> None:
    client = login(officer)
    assert client.get("/supervision/tasks/NV-2026\x00/").status_code == 404
    assert client.post("/supervision/tasks/NV-2026\x00/progress/", {"note": "x"}).status_code == 404


def test_a_nul_in_an_inspection_plan_is_refused(client: Client, officer: User, ministry: Agency) -> None:
    from govoffice.supervision.models import Inspection

    boss: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {personal_key(officer)}"}
    plan = {"title": "Kiểm tra Bộ Tài chính", "starts_on": "2026-03-02", "ends_on": "2026-03-06",
            "members": [{"full_name": "Nguyễn Văn A", "position": "Tổ trưởng"}], "targets": [{"agency": ministry.code}]}
    for bad in ({"members": [{"full_name": "Nguyễn\x00", "position": ""}]}, {"targets": [{"agency": "000.00.00.G12\x00"}]}):
        response = client.post("/api/v1/supervision/inspections", {**plan, **bad}, content_type="application/json", **boss)
        assert response.status_code in (400, 422) and response.json()["error"]["field"].split(".")[0] in ("members", "targets"), response.content
    assert Inspection.objects.count() == 0
