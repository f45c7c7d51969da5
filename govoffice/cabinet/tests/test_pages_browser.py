"""The member's phone page and the ballot pages in Debian's chromium: answering and signing works
on a phone-sized screen with JavaScript off, and the pages pass axe."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from govoffice.cabinet.models import Answer
from govoffice.testing import PASSWORD
from govoffice.web.tests.test_browser_login import blocking_violations, sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_a_member_answers_and_signs_on_a_phone_without_javascript(browser: Any, live_server: Any, transactional_db: Any, cabinet: Any) -> None:
    ballot = cabinet.opened(title="Dự thảo Nghị quyết về kinh tế số")
    member = cabinet.members[1]
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", java_script_enabled=False, viewport=PHONE)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    try:
        sign_in(tab, member.username, PASSWORD)
        tab.wait_for_url(lambda url: urlsplit(url).path == "/")
        tab.goto("/cabinet/")
        tab.get_by_role("link", name=ballot.title).click()
        tab.wait_for_url(re.compile(rf"/cabinet/ballots/{ballot.pk}/$"))
        tab.locator("input[type=radio][value=agree]").check()
        tab.locator("input[type=password]").fill("sai mật khẩu")
        tab.locator("form[action$='/answer/'] button[type=submit]").click()
        assert tab.locator("#id_password-error").is_visible()
        assert not Answer.objects.exists()
        tab.locator("input[type=radio][value=agree]").check()
        tab.locator("input[type=password]").fill(PASSWORD)
        tab.locator("form[action$='/answer/'] button[type=submit]").click()
        tab.wait_for_url(re.compile(rf"/cabinet/ballots/{ballot.pk}/$"))
        assert Answer.objects.get().member == member
        assert "Chữ ký số hợp lệ" in tab.locator("main").inner_text()
    finally:
        context.close()


def test_the_member_and_secretariat_pages_pass_axe(page: Any, cabinet: Any) -> None:
    ballot = cabinet.opened()
    page.set_viewport_size(PHONE)
    sign_in(page, cabinet.members[1].username, PASSWORD)
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    page.goto("/cabinet/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert blocking_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1  # no sideways scrolling on a phone
    page.goto(f"/cabinet/ballots/{ballot.pk}/")
    assert blocking_violations(page) == []
    page.locator("form[action$='/answer/'] button[type=submit]").click()  # nothing chosen, no password
    assert page.locator("#id_password-error").is_visible()
    assert blocking_violations(page) == []
    page.context.clear_cookies()
    sign_in(page, cabinet.staff.username, PASSWORD)
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    for url in (f"/cabinet/ballots/{ballot.pk}/results/", "/cabinet/meetings/new/", "/cabinet/ballots/new/", "/cabinet/ballots/"):
        page.goto(url)
        assert blocking_violations(page) == [], url
