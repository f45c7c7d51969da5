"""The supervision pages in Debian's chromium: they pass axe, and the lead agency reports with JavaScript off."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from govoffice.supervision.models import Task
from govoffice.testing import PASSWORD
from govoffice.web.tests.test_browser_login import blocking_violations, sign_in

pytestmark = pytest.mark.browser
TODAY = timezone.localdate()


@pytest.fixture
def task(assign, finance_staff, officer) -> Task:
    return assign("Hoàn thiện Đề án Chính phủ điện tử", assigned_on=TODAY - dt.timedelta(days=20), deadline=TODAY - dt.timedelta(days=1))


def test_the_officers_pages_pass_the_axe_check(page: Any, task: Task) -> None:
    sign_in(page, "giamsat", PASSWORD)
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    for path in ("/supervision/", f"/supervision/tasks/{task.code}/", "/supervision/tasks/new/", "/supervision/documents/",
                 "/supervision/inspections/", "/supervision/inspections/new/", "/supervision/rate/?date_from=01/01/2019&date_to=31/12/2030"):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "vi"
        assert blocking_violations(page) == [], path
    page.goto("/supervision/tasks/new/")
    page.get_by_label("Nội dung nhiệm vụ").fill("Báo cáo")
    page.get_by_label("Cơ quan chủ trì (mã định danh)").fill("000.00.00.G99")
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    assert page.locator("#id_lead_agency-error").is_visible()
    assert blocking_violations(page) == []


def test_the_lead_agency_reports_progress_without_javascript(browser: Any, live_server: Any, task: Task) -> None:
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", java_script_enabled=False)
    tab = context.new_page()
    try:
        sign_in(tab, "btc.chuyenvien", PASSWORD)
        tab.wait_for_url(lambda url: urlsplit(url).path == "/")
        tab.goto(f"/supervision/tasks/{task.code}/")
        assert "Chưa hoàn thành, quá hạn" in tab.locator("#task-status").inner_text()
        tab.get_by_label("Nội dung đã thực hiện").fill("Đã trình Thủ tướng Chính phủ")
        tab.get_by_label("Nhiệm vụ đã hoàn thành").check()
        tab.get_by_role("button", name="Gửi báo cáo").click()
        tab.wait_for_url(lambda url: urlsplit(url).path == f"/supervision/tasks/{task.code}/")
        assert "Hoàn thành muộn" in tab.locator("#task-status").inner_text()
    finally:
        context.close()
