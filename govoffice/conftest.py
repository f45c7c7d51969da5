"""Browser fixtures for every app: Debian's chromium driven by Playwright (never a downloaded browser).

One session-wide browser: two Playwright instances cannot run in one thread, so the fixtures
live here, above every app's tests, rather than in one app's tests folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

CHROMIUM = Path(os.environ.get("GOVOFFICE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _cannot_start(reason: str) -> NoReturn:
    # In CI chromium is installed by the test script, so a missing browser is a failure there.
    if os.environ.get("CI"):
        pytest.fail(f"browser tests need chromium: {reason}")
    pytest.skip(f"browser tests need chromium: {reason}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless chromium for the whole run; each test opens its own context."""
    if not CHROMIUM.exists():
        _cannot_start(f"{CHROMIUM} is missing (apt-get install chromium)")

    # Playwright's sync API marks its asyncio loop as running on this thread after every call,
    # and Django then refuses ORM calls made outside it (a test creating users, pytest-django
    # flushing tables). They are safe: no coroutine shares the connection.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield from _launch()


def _launch() -> Iterator[Any]:
    from playwright.sync_api import Error, sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
    except Error as exc:
        playwright.stop()
        _cannot_start(f"{CHROMIUM} does not start: {exc.message.splitlines()[0]}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser: Any, live_server: Any, transactional_db: Any) -> Iterator[Any]:
    """A fresh page (no cookies) whose browser asks for Vietnamese, as an office's browsers do."""
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
