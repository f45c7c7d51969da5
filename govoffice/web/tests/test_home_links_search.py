"""The home page links the document search for the agency staff who may search; not for others."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from govoffice.directory.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.CLERK, Role.SPECIALIST, Role.OFFICE_LEADER])
def test_the_home_page_links_the_search_for_the_office_staff(
    role: Role, login: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    client = login(make_user(role))
    body = client.get("/").content.decode()
    assert '<a href="/records/search/">Tìm kiếm văn bản</a>' in body
    assert client.get("/records/search/").status_code == 200


def test_a_citizen_sees_no_search_link(login: Callable[[User], Client], make_user: Callable[..., User]) -> None:
    body = login(make_user(Role.CITIZEN, agency=None)).get("/").content.decode()
    assert "/records/search/" not in body
