"""The language switch keeps a signed-in person's choice (User.language), and signing in
brings it back; anonymous visitors only get the cookie."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client

from govoffice.audit.models import Event
from govoffice.directory.models import Role, User
from govoffice.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_switching_to_english_stores_the_choice_as_the_persons_language(
    login: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    user = make_user(Role.SPECIALIST)
    client = login(user)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    user.refresh_from_db()
    assert user.language == "en"
    assert Event.objects.filter(action="web.language_chosen", object_id=str(user.pk)).count() == 1
    assert '<html lang="en">' in client.get("/").content.decode()

    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    user.refresh_from_db()
    assert user.language == "vi"


def test_an_unknown_language_changes_nothing(login: Callable[[User], Client], make_user: Callable[..., User]) -> None:
    user = make_user(Role.SPECIALIST)
    login(user).post("/i18n/setlang/", {"language": "fr", "next": "/"})
    user.refresh_from_db()
    assert user.language == "vi"
    assert not Event.objects.filter(action="web.language_chosen").exists()


def test_an_anonymous_visitor_gets_the_cookie_only(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert not Event.objects.filter(action="web.language_chosen").exists()


def test_signing_in_brings_back_the_stored_choice(make_user: Callable[..., User]) -> None:
    user = make_user(Role.SPECIALIST)
    User.objects.filter(pk=user.pk).update(language="en")  # chosen on another day, on another computer
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD, "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/").content.decode()


def test_a_choice_made_on_the_sign_in_page_becomes_the_persons(make_user: Callable[..., User]) -> None:
    user = make_user(Role.SPECIALIST)
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    response = client.post("/login/", {"username": user.username, "password": PASSWORD, "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    assert '<html lang="en">' in client.get("/").content.decode()
