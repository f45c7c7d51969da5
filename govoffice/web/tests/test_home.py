"""The home page: for signed-in people only, one introduction per role, Vietnamese first."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation

from govoffice.directory.models import Role, User
from govoffice.web.views import ROLE_INTROS

pytestmark = pytest.mark.django_db


def test_the_home_page_sends_an_anonymous_visitor_to_sign_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_the_home_page_is_never_cached(
    login: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    response = login(make_user(Role.CLERK)).get("/")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", list(Role))
def test_the_home_page_introduces_each_role_in_vietnamese(
    role: Role, login: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    body = login(make_user(role)).get("/").content.decode()
    with translation.override("vi"):
        label, intro = str(role.label), str(ROLE_INTROS[role])
    with translation.override("en"):
        assert (label, intro) != (str(role.label), str(ROLE_INTROS[role])), "not translated"
    assert f"<strong>{label}</strong>: {intro}" in body


def test_a_person_with_several_roles_sees_each_in_the_order_of_the_roles(
    login: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    body = login(make_user(Role.SPECIALIST, Role.CLERK)).get("/").content.decode()
    assert body.index("Văn thư") < body.index("Chuyên viên")
    assert "Lãnh đạo Văn phòng" not in body


def test_a_person_without_a_role_is_told_to_ask_for_one(
    login: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    body = login(make_user()).get("/").content.decode()
    assert "chưa được giao vai trò" in body


def test_the_home_page_is_vietnamese_by_default(
    login: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    body = login(make_user(Role.CLERK, full_name="Nguyễn Văn An")).get("/").content.decode()
    assert '<html lang="vi">' in body
    assert "Xin chào, Nguyễn Văn An" in body
    assert "Đăng xuất" in body
    assert "Văn thư" in body
    assert ">English</button>" in body


def test_the_home_page_is_english_after_choosing_english(
    login: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    client = login(make_user(Role.CLERK, full_name="Nguyễn Văn An"))
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Welcome, Nguyễn Văn An" in body
    assert "Sign out" in body
    assert "<strong>Clerk</strong>: Receive, register, number and dispatch documents." in body
    # Django's own table spells "Tiếng Việt" with combining accents (NFD); compare as text.
    assert ">Tiếng Việt</button>" in unicodedata.normalize("NFC", body)
    assert "Đăng xuất" not in body
