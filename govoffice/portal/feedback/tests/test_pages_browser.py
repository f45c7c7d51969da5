"""The feedback pages in Debian's chromium: they pass axe, and filing works with JavaScript off."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from govoffice.directory.models import Role
from govoffice.directory.services import create_user
from govoffice.portal.feedback.models import Feedback
from govoffice.testing import PASSWORD
from govoffice.web.tests.test_browser_login import blocking_violations, sign_in

pytestmark = pytest.mark.browser


def test_the_public_pages_pass_axe_and_filing_works_without_javascript(browser: Any, live_server: Any, agencies: Any) -> None:
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto("/portal/feedback/")
        assert tab.locator("html").get_attribute("lang") == "vi"
        tab.get_by_role("button", name="Gửi", exact=True).click()  # empty: errors beside the fields
        assert tab.locator("#id_name-error").is_visible()
        tab.get_by_label("Họ và tên (hoặc tên doanh nghiệp)").fill("Đỗ Minh Quân")
        tab.get_by_label("Thư điện tử").fill("quan@example.vn")
        tab.get_by_label("Tiêu đề").fill("Thủ tục cấp hộ chiếu")
        tab.locator("#id_content").fill("Đề nghị cho nộp ảnh trực tuyến.")
        tab.get_by_role("button", name="Gửi", exact=True).click()
        tab.wait_for_url(re.compile(r"/portal/feedback/status/\?code="))
        code = Feedback.objects.get().code
        assert code in tab.locator("main").inner_text()
    finally:
        context.close()


def test_the_pages_pass_the_axe_check(page: Any, agencies: Any, file_one: Any) -> None:
    row = file_one()
    for path in ("/portal/feedback/", f"/portal/feedback/status/?code={row.code}", "/portal/feedback/answers/?q=dat+dai"):
        page.goto(path)
        assert blocking_violations(page) == [], path
    page.goto("/portal/feedback/")
    page.get_by_role("button", name="Gửi", exact=True).click()
    assert blocking_violations(page) == []
    create_user(actor=None, username="canbocong", password=PASSWORD, agency=agencies["000.00.00.G22"],
                roles=[Role.PORTAL_OFFICER], full_name="Cán bộ Cổng")
    sign_in(page, "canbocong", PASSWORD)
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    for path in ("/portal/feedback/office/", f"/portal/feedback/office/{row.pk}/", "/portal/feedback/office/statistics/"):
        page.goto(path)
        assert blocking_violations(page) == [], path
