"""The report pages in Debian's chromium: they load in Vietnamese, pass axe, and their charts are
pictures with names (drawn on the server; the pages use no JavaScript)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from govoffice.demo.year import exchange, records
from govoffice.demo.year.context import YearContext
from govoffice.reports.tests.conftest import Cast
from govoffice.testing import PASSWORD
from govoffice.web.tests.test_browser_login import blocking_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def year(year_context: Callable[..., YearContext]) -> YearContext:
    ctx = year_context(scale=0.0005)
    exchange.generate(ctx)
    records.generate(ctx)
    return ctx


def signed_in(tab: Any, username: str) -> Any:
    sign_in(tab, username, PASSWORD)
    tab.wait_for_url(lambda url: urlsplit(url).path == "/")
    return tab


@pytest.mark.parametrize("path", ["/reports/national/?year=2019", "/reports/annual/?year=2019", "/reports/leader/"])
def test_each_leaders_page_loads_and_passes_the_axe_check(page: Any, year: YearContext, cast: Cast, path: str) -> None:
    signed_in(page, cast.leader.username)
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("nav.subnav a[aria-current=page]").count() == 1
    assert blocking_violations(page) == []


def test_the_clerks_day_passes_axe_and_the_home_page_links_to_it(page: Any, year: YearContext, cast: Cast) -> None:
    signed_in(page, cast.clerk.username)
    page.get_by_role("link", name="Ngày làm việc của văn thư").click()
    page.wait_for_url(re.compile(r"/reports/clerk/$"))
    assert blocking_violations(page) == []


def test_the_national_charts_are_named_pictures(page: Any, year: YearContext, cast: Cast) -> None:
    page.context.set_extra_http_headers({})
    signed_in(page, cast.leader.username)
    page.goto("/reports/national/?year=2019")
    chart = page.locator("svg#chart-registry")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 500
    assert page.get_by_role("img").count() >= 2
