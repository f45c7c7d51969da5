"""The hub's operations pages in Debian's chromium: they load, pass axe, and work without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from govoffice.directory.models import Agency, Role
from govoffice.directory.services import create_user

# The data of the page tests, shared by import; the browser fixtures are in govoffice/conftest.py.
from govoffice.exchange.tests.test_ops_pages import hub  # noqa: F401
from govoffice.testing import PASSWORD
from govoffice.web.tests.test_browser_login import blocking_violations, sign_in

# Every test here runs on the page tests' hub: six members, three documents, a status, alerts.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("hub")]


@pytest.fixture
def leader(agencies: dict[str, Agency]) -> str:
    """An office leader (reads the hub's figures); returns the username."""
    create_user(actor=None, username="phochunhiem", password=PASSWORD, agency=agencies["000.00.00.G22"],
                roles=[Role.OFFICE_LEADER], full_name="Phạm Thu Hà")
    return "phochunhiem"


def signed_in(tab: Any, username: str) -> Any:
    sign_in(tab, username, PASSWORD)
    tab.wait_for_url(lambda url: urlsplit(url).path == "/")
    return tab


@pytest.mark.parametrize("path", ["/hub/", "/hub/alerts/", "/hub/members/", "/hub/traffic/"])
def test_each_page_loads_and_passes_the_axe_check(page: Any, leader: str, path: str) -> None:
    signed_in(page, leader)
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("nav.subnav a[aria-current=page]").count() == 1
    assert blocking_violations(page) == []


def test_the_overview_shows_the_figures_and_the_header_link_leads_to_it(page: Any, leader: str) -> None:
    signed_in(page, leader)
    page.get_by_role("link", name="Trục liên thông", exact=True).click()
    page.wait_for_url(re.compile(r"/hub/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Trục liên thông văn bản quốc gia"
    assert page.locator("#members-connected").inner_text() == "2/5"
    assert page.locator("#documents-exchanged").inner_text() == "3"
    assert page.locator("#paper-saved").inner_text().endswith("₫")
    chart = page.locator("svg#chart-days")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 600  # drawn across the column, not a thumbnail
    assert page.get_by_role("img", name=re.compile("Số gói tin theo ngày")).count() == 1


def test_the_alerts_page_lists_each_kind_and_its_links_jump_to_it(page: Any, leader: str) -> None:
    signed_in(page, leader)
    page.goto("/hub/")
    page.locator("#alerts-count a").click()
    page.wait_for_url(re.compile(r"/hub/alerts/$"))
    assert page.locator("#stuck .count").inner_text() == "3"
    assert page.locator("#failed .count").inner_text() == "1"
    assert "ConnectError" in page.locator("#failed table").inner_text()
    assert page.locator("#certificates .count").inner_text() == "1"
    assert page.locator("#revoked .count").inner_text() == "1"
    page.get_by_role("link", name="Chứng thư sắp hết hạn").first.click()
    assert urlsplit(page.url).fragment == "certificates-h"


def test_the_pages_pass_axe_in_english_too(page: Any, leader: str) -> None:
    signed_in(page, leader)
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    for path in ("/hub/", "/hub/alerts/"):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "en"
        assert blocking_violations(page) == []
    assert page.get_by_role("heading", level=1).inner_text() == "Hub alerts"


@pytest.fixture
def no_script_page(browser: Any, live_server: Any, transactional_db: Any) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_the_filters_work_without_javascript(no_script_page: Any, leader: str) -> None:
    tab = signed_in(no_script_page, leader)
    tab.goto("/hub/members/")
    tab.get_by_label("Tên hoặc mã định danh").fill("nghe an")
    tab.get_by_label("Tên hoặc mã định danh").press("Enter")
    tab.wait_for_url(re.compile(r"q=nghe\+an"))
    assert tab.locator("#members tbody tr").count() == 1
    assert "Nghệ An" in tab.locator("#members tbody").inner_text()

    tab.goto("/hub/traffic/")
    tab.get_by_label("Từ ngày").fill("10/03/2026")
    tab.get_by_label("Đến ngày").fill("01/03/2026")
    tab.get_by_role("button", name="Xem").click()
    tab.wait_for_url(re.compile(r"start=10%2F03%2F2026"))
    assert tab.locator("#id_end-error").inner_text() == "Ngày kết thúc trước ngày bắt đầu."
