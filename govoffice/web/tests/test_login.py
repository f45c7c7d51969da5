"""Signing in and out: wrong passwords, lock-out after repeated failures, expired sessions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client

from govoffice.directory.models import Role, User
from govoffice.testing import PASSWORD

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

STALE_SESSION_KEY = "x" * 32  # well-formed, but the server holds no such session


def post_login(client: Client, username: str, password: str) -> Response:
    return client.post("/login/", {"username": username, "password": password, "next": "/"})


def test_the_login_page_is_in_vietnamese_by_default(client: Client) -> None:
    response = client.get("/login/")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
    assert "Đăng nhập" in response.content.decode()


def test_a_right_password_signs_in_and_goes_home(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CLERK)
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_a_wrong_password_shows_the_error_and_starts_no_session(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CLERK)
    response = post_login(client, user.username, "not-the-password")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="form-error"' in body
    assert "mật khẩu chính xác" in body
    assert 'aria-invalid="true"' in body
    assert "_auth_user_id" not in client.session
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    user.refresh_from_db()
    assert user.last_login is None


def test_after_too_many_failures_even_the_right_password_is_refused(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CLERK)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, user.username, "not-the-password")
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in body
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.last_login is None


def test_the_lock_out_holds_only_for_that_username(
    client: Client, make_user: Callable[..., User]
) -> None:
    locked, other = make_user(Role.CLERK), make_user(Role.CLERK)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, locked.username, "not-the-password")
    assert post_login(client, other.username, PASSWORD).status_code == 302


def test_an_expired_session_redirects_to_login_with_a_message(client: Client) -> None:
    client.cookies[settings.SESSION_COOKIE_NAME] = STALE_SESSION_KEY
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"
    client.cookies[settings.SESSION_COOKIE_NAME] = STALE_SESSION_KEY
    response = client.get("/login/?next=/")
    assert response.status_code == 200
    assert "Phiên làm việc đã kết thúc" in response.content.decode()


def test_an_expired_session_keeps_its_message_through_the_redirect_as_a_browser_sees_it(
    client: Client,
) -> None:
    client.cookies[settings.SESSION_COOKIE_NAME] = STALE_SESSION_KEY
    response = client.get("/")
    # Django's test client keeps a deleted cookie with an empty value; a browser drops it.
    deleted = response.cookies.get(settings.SESSION_COOKIE_NAME)
    if deleted is not None and deleted["max-age"] == 0:
        del client.cookies[settings.SESSION_COOKIE_NAME]
    response = client.get(response["Location"])
    assert "Phiên làm việc đã kết thúc" in response.content.decode()


def test_a_first_visit_shows_no_session_message(client: Client) -> None:
    response = client.get("/", follow=True)
    assert response.redirect_chain == [("/login/?next=/", 302)]
    assert "Phiên làm việc đã kết thúc" not in response.content.decode()


def test_logging_out_by_post_ends_the_session(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CLERK)
    client.force_login(user)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_logging_out_by_get_is_not_allowed(client: Client, make_user: Callable[..., User]) -> None:
    client.force_login(make_user(Role.CLERK))
    assert client.get("/logout/").status_code == 405
    assert client.get("/").status_code == 200
