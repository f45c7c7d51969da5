"""The supervision pages: lists, a task with its forms, errors beside their fields, nothing changed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from govoffice.supervision.models import Extension, Inspection, RateReport, Task

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def test_the_list_shows_an_agency_only_its_tasks(assign, login, finance_staff, home_affairs) -> None:
    assign("Nhiệm vụ của Bộ Tài chính", deadline=TODAY + DAY)
    assign("Nhiệm vụ của Bộ Nội vụ", lead=home_affairs.code)
    page = login(finance_staff).get("/supervision/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nhiệm vụ của Bộ Tài chính" in text and "Nhiệm vụ của Bộ Nội vụ" not in text


def test_people_of_no_agency_role_are_turned_away(login, make_user) -> None:
    assert login(make_user("citizen")).get("/supervision/").status_code == 403


def test_the_officer_assigns_on_a_page_and_a_bad_deadline_is_shown_beside_its_field(login, officer, ministry) -> None:
    client = login(officer)
    form = {"content": "Rà soát thủ tục", "assigner": "prime_minister", "lead_agency": ministry.code, "importance": "0",
            "source": "document", "source_ref": "5/CT-TTg", "assigned_on": (TODAY - DAY).strftime("%d/%m/%Y"),
            "deadline": (TODAY - 2 * DAY).strftime("%d/%m/%Y")}
    bad = client.post("/supervision/tasks/new/", form)
    assert bad.status_code == 400
    assert 'id="id_deadline-error"' in bad.content.decode()
    assert Task.objects.count() == 0
    good = client.post("/supervision/tasks/new/", {**form, "deadline": (TODAY + 9 * DAY).strftime("%d/%m/%Y")})
    task = Task.objects.get()
    assert good.status_code == 302 and good["Location"] == f"/supervision/tasks/{task.code}/"


def test_the_lead_agency_reports_and_asks_for_time_on_the_task_page(assign, login, finance_staff, officer) -> None:
    task = assign(deadline=TODAY + 3 * DAY)
    client = login(finance_staff)
    page = client.get(f"/supervision/tasks/{task.code}/").content.decode()
    assert "Báo cáo tiến độ" in page or "Report progress" in page
    late = client.post(f"/supervision/tasks/{task.code}/extension/", {"requested_deadline": "31/02/2020", "reason": "x"})
    assert late.status_code == 400 and 'id="id_requested_deadline-error"' in late.content.decode()
    asked = client.post(f"/supervision/tasks/{task.code}/extension/", {"requested_deadline": (TODAY + 20 * DAY).strftime("%d/%m/%Y"), "reason": "Chờ số liệu"})
    assert asked.status_code == 302
    ext = Extension.objects.get()
    # The agency cannot decide on its own request.
    assert client.post(f"/supervision/tasks/{task.code}/extensions/{ext.pk}/decision/", {"decision": "approve"}).status_code == 403
    client.force_login(officer)
    refused = client.post(f"/supervision/tasks/{task.code}/extensions/{ext.pk}/decision/", {"decision": "refuse", "note": ""})
    assert refused.status_code == 400 and 'id="id_note-error"' in refused.content.decode()
    assert client.post(f"/supervision/tasks/{task.code}/extensions/{ext.pk}/decision/", {"decision": "approve"}).status_code == 302
    client.force_login(finance_staff)
    assert client.post(f"/supervision/tasks/{task.code}/progress/", {"note": "Đã xong", "complete": "on"}).status_code == 302
    closed = client.post(f"/supervision/tasks/{task.code}/progress/", {"note": "Bổ sung"})
    assert closed.status_code in (403, 409)
    task.refresh_from_db()
    assert task.reports.count() == 1 and task.deadline == TODAY + 20 * DAY


def test_another_agency_gets_a_404_for_a_task_it_does_not_share(assign, login, make_user, nghe_an) -> None:
    task = assign()
    assert login(make_user("specialist", agency=nghe_an)).get(f"/supervision/tasks/{task.code}/").status_code == 404


def test_the_rate_page_shows_the_definition_and_saves_a_report(assign, login, officer) -> None:
    assign(assigned_on=TODAY - 9 * DAY, deadline=TODAY - DAY)
    client = login(officer)
    query = {"date_from": (TODAY - 30 * DAY).strftime("%d/%m/%Y"), "date_to": TODAY.strftime("%d/%m/%Y"), "definition": "vpcp-overdue@1"}
    page = client.get("/supervision/rate/", query)
    assert page.status_code == 200 and 'id="rate-definition">vpcp-overdue@1<' in page.content.decode()
    assert client.post("/supervision/rate/", query).status_code == 200
    assert RateReport.objects.get().definition == "vpcp-overdue@1"
    bad = client.get("/supervision/rate/", {**query, "agency": "000.00.00.G55"})
    assert bad.status_code == 400 and 'id="id_agency-error"' in bad.content.decode()


def test_the_officer_plans_an_inspection_and_records_a_finding_on_pages(login, officer, ministry, nghe_an) -> None:
    client = login(officer)
    start = TODAY - 5 * DAY
    response = client.post("/supervision/inspections/new/", {
        "title": "Kiểm tra tại Bộ Tài chính và tỉnh Nghệ An", "starts_on": start.strftime("%d/%m/%Y"), "ends_on": TODAY.strftime("%d/%m/%Y"),
        "members": "Mai Tiến Dũng, Tổ trưởng\nNguyễn Cao Lục, Thành viên",
        "targets": f"{ministry.code} {start.strftime('%d/%m/%Y')}\n{nghe_an.code}"})
    assert response.status_code == 302, response.content.decode()[:2000]
    row = Inspection.objects.get()
    assert [m.full_name for m in row.members.all()] == ["Mai Tiến Dũng", "Nguyễn Cao Lục"]
    made = client.post(f"/supervision/inspections/{row.pk}/findings/", {
        "agency": nghe_an.code, "summary": "Chậm giải ngân", "recommendations": f"Đẩy nhanh giải ngân | {(TODAY + 30 * DAY):%d/%m/%Y}\nBáo cáo kết quả"})
    assert made.status_code == 302
    assert Task.objects.filter(finding__inspection=row).count() == 2
    assert client.get(f"/supervision/inspections/{row.pk}/").status_code == 200
    assert client.get("/supervision/inspections/").status_code == 200
