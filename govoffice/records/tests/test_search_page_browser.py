"""The search page in Debian's chromium: it passes axe, and searching works with JavaScript off."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from govoffice.records.tests.searchkit import desk  # noqa: F401  (fixture)
from govoffice.testing import PASSWORD
from govoffice.web.tests.test_browser_login import blocking_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def reader(desk, make_user) -> str:  # noqa: F811
    desk.incoming("Quyết định về quận Đống Đa", number="15/QĐ-UBND", urgency=3)
    desk.incoming("Báo cáo ngân sách", doc_type="BC")
    make_user("specialist", username="chuyenvien", full_name="Trần Văn Minh")
    return "chuyenvien"


def test_the_search_page_and_its_results_pass_the_axe_check(page: Any, reader: str) -> None:
    sign_in(page, reader, PASSWORD)
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    page.goto("/records/search/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert blocking_violations(page) == []
    page.get_by_label("Từ khóa").fill("dong da")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url(re.compile(r"q=dong\+da"))
    assert page.locator("#search-count").inner_text().strip().startswith("Tìm thấy 1 văn bản")
    assert page.locator("ol.hits mark").all_inner_texts() == ["Đống", "Đa"]
    assert blocking_violations(page) == []
    page.goto("/records/search/?q=x&date_from=31/02/2025")
    assert page.locator("#id_date_from-error").is_visible()
    assert blocking_violations(page) == []


def test_searching_works_without_javascript(browser: Any, live_server: Any, reader: str) -> None:
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", java_script_enabled=False)
    tab = context.new_page()
    try:
        sign_in(tab, reader, PASSWORD)
        tab.wait_for_url(lambda url: urlsplit(url).path == "/")
        tab.goto("/records/search/")
        tab.get_by_label("Từ khóa").fill("ngan sach")
        tab.get_by_role("button", name="Tìm kiếm").click()
        tab.wait_for_url(re.compile(r"q=ngan\+sach"))
        assert tab.locator("ol.hits li").count() == 1
        assert "Báo cáo ngân sách" in tab.locator("ol.hits").inner_text()
    finally:
        context.close()
