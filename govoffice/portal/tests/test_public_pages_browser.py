"""The public pages in Debian's chromium: they pass axe, and search and lookup work with JavaScript off."""

from __future__ import annotations

from typing import Any

import pytest

from govoffice.portal import receipts
from govoffice.web.tests.test_browser_login import blocking_violations

pytestmark = pytest.mark.browser


def test_home_catalogue_procedure_and_lookup_pass_the_axe_check(page: Any, catalogue: Any) -> None:
    page.goto("/portal/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert blocking_violations(page) == []
    page.locator("#q").fill("ly lich tu phap")
    page.locator("form[role=search] button").click()
    page.wait_for_url("**/portal/procedures/?q=ly+lich+tu+phap")
    assert page.locator("tbody tr").count() == 1
    assert blocking_violations(page) == []
    page.locator("tbody a").first.click()
    page.wait_for_url("**/portal/procedures/2.000488/")
    assert blocking_violations(page) == []
    page.goto("/portal/lookup/?code=" + receipts.format_for("dossier").new(2026))
    assert page.locator("#code-error").is_visible()
    assert blocking_violations(page) == []
    page.goto("/portal/signup/")
    assert blocking_violations(page) == []


def test_the_language_link_turns_a_public_page_english_and_stays_on_it(page: Any, catalogue: Any) -> None:
    page.goto("/portal/procedures/?q=ho+chieu")
    assert page.locator("h1").inner_text() == "Danh mục thủ tục hành chính"
    page.locator("header a.lang").click()
    page.wait_for_url("**/portal/procedures/?q=ho+chieu")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Procedure catalogue"
    assert blocking_violations(page) == []
