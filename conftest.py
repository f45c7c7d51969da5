"""Fixtures shared by every app's tests: agencies, people with roles, API clients."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from govoffice.directory.models import Agency, AgencyKind, User
from govoffice.directory.services import create_agency, create_user, issue_api_key
from govoffice.testing import PASSWORD

_counter = itertools.count(1)


@pytest.fixture
def office(db: Any) -> Agency:
    return create_agency(
        actor=None, code="000.00.00.G22", name_vi="Văn phòng Chính phủ", name_en="Government Office",
        short_name="VPCP", kind=AgencyKind.MINISTERIAL_AGENCY, code_official=True,
    )


@pytest.fixture
def ministry(db: Any) -> Agency:
    return create_agency(
        actor=None, code="000.00.00.G12", name_vi="Bộ Tài chính", name_en="Ministry of Finance",
        short_name="BTC", kind=AgencyKind.MINISTRY, code_official=True,
    )


@pytest.fixture
def make_user(db: Any, office: Agency) -> Callable[..., User]:
    def make(*roles: str, agency: Agency | None = None, **extra: Any) -> User:
        username = extra.pop("username", f"user{next(_counter)}")
        return create_user(
            actor=None, username=username, password=PASSWORD, agency=agency or office, roles=roles, **extra
        )

    return make


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def do(user: User) -> Client:
        client.force_login(user)
        return client

    return do


@pytest.fixture
def api_key(db: Any) -> Callable[[Agency], str]:
    def make(agency: Agency) -> str:
        _, raw = issue_api_key(actor=None, agency=agency, name="test")
        return raw

    return make


# CI runs the property-based tests with a fixed seed, so a run passes or fails the same way
# every time; developers' runs keep exploring new examples.
if os.environ.get("CI"):
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
    hypothesis_settings.load_profile("ci")
