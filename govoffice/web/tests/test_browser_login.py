"""Signing in, switching language and signing out in a real browser; axe and keyboard checks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.sessions.models import Session

from govoffice.directory.models import Role, User
from govoffice.testing import PASSWORD

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label(re.compile("Tên đăng nhập|Username")).fill(username)
    page.get_by_label(re.compile("Mật khẩu|Password")).fill(password)
    page.get_by_role("button", name=re.compile("Đăng nhập|Sign in")).click()


def wait_for_home(page: Any) -> None:
    # By path: "/login/" also ends in "/", and after the skip link the address keeps "#main".
    page.wait_for_url(lambda url: urlsplit(url).path == "/")


def blocking_violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings on the page, one readable line each."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def around(page: Any, selector: str) -> bytes:
    """A picture of the element and the margin where a focus ring would be drawn."""
    box = page.locator(selector).bounding_box()
    margin = 8
    clip = {
        "x": box["x"] - margin,
        "y": box["y"] - margin,
        "width": box["width"] + 2 * margin,
        "height": box["height"] + 2 * margin,
    }
    return page.screenshot(clip=clip, animations="disabled", caret="hide")


def test_a_person_signs_in_sees_vietnamese_switches_to_english_and_signs_out(
    page: Any, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CLERK, Role.SPECIALIST, full_name="Nguyễn Thị Bình")
    sign_in(page, user.username, PASSWORD)

    wait_for_home(page)
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text() == "Xin chào, Nguyễn Thị Bình"
    roles = page.locator("ul.roles").inner_text()
    assert "Văn thư" in roles and "Chuyên viên" in roles
    assert page.get_by_role("button", name="Đăng xuất").is_visible()

    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Nguyễn Thị Bình"
    assert "Clerk" in page.locator("ul.roles").inner_text()
    back = page.locator("button[lang=vi]")
    assert back.is_visible()
    # Django's language table spells it with combining accents (NFD); compare as text.
    assert unicodedata.normalize("NFC", back.inner_text()) == "Tiếng Việt"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    assert not [c for c in page.context.cookies() if c["name"] == "sessionid"]
    page.goto("/")
    assert "/login/?next=/" in page.url


def test_a_wrong_password_shows_the_error_beside_the_form_and_changes_nothing(
    page: Any, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CLERK)
    sign_in(page, user.username, "not-the-password")

    error = page.locator("form #form-error")
    assert error.is_visible()
    assert error.get_attribute("role") == "alert"
    assert "mật khẩu" in error.inner_text()
    username = page.get_by_label("Tên đăng nhập")
    assert username.input_value() == user.username
    assert username.get_attribute("aria-describedby") == "form-error"
    assert page.get_by_label("Mật khẩu").input_value() == ""
    assert "/login/" in page.url
    assert not [c for c in page.context.cookies() if c["name"] == "sessionid"]
    assert not Session.objects.exists()
    user.refresh_from_db()
    assert user.last_login is None


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("where", ["login", "login with an error", "home"])
def test_the_pages_pass_the_axe_check(
    page: Any, make_user: Callable[..., User], language: str, where: str
) -> None:
    user = make_user(Role.CLERK, Role.OFFICE_LEADER, full_name="Trần Văn Cường")
    if language == "en":
        page.goto("/login/")
        page.get_by_role("button", name="English").click()
        page.wait_for_selector("html[lang=en]")
    if where == "login":
        page.goto("/login/")
    elif where == "login with an error":
        sign_in(page, user.username, "not-the-password")
        page.wait_for_selector("#form-error")
    else:
        sign_in(page, user.username, PASSWORD)
        wait_for_home(page)
    assert page.locator("html").get_attribute("lang") == language
    assert blocking_violations(page) == []


def test_tab_reaches_the_skip_link_first_and_the_form_submits_with_the_keyboard_alone(
    page: Any, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CLERK)
    page.goto("/login/")

    username_unfocused = around(page, "#id_username")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    # Hidden off-screen until focused, then on screen.
    assert box is not None and box["x"] >= 0 and box["y"] >= 0

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_username"
    assert around(page, "#id_username") != username_unfocused  # the focus ring shows
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    wait_for_home(page)
    assert page.get_by_role("button", name="Đăng xuất").is_visible()


def test_a_person_whose_session_ended_is_told_so_on_the_login_page(
    page: Any, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CLERK)
    sign_in(page, user.username, PASSWORD)
    wait_for_home(page)
    Session.objects.all().delete()

    page.goto("/")
    assert "/login/?next=/" in page.url
    assert "Phiên làm việc đã kết thúc" in page.locator("main").inner_text()
