"""Helpers for the tests of the database layer: connections of their own, to files of their own."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from govoffice.db.sqlite.base import DatabaseWrapper


@pytest.fixture
def own_databases(django_db_blocker: Any) -> Iterator[None]:
    """For tests that open their own files, not the test database: pytest-django need not guard them."""
    with django_db_blocker.unblock():
        yield


def sqlite_wrapper(name: str, options: dict[str, Any]) -> DatabaseWrapper:
    """A connection of the project's SQLite backend to NAME, apart from Django's own connections."""
    settings = {
        "ENGINE": "govoffice.db.sqlite", "NAME": name, "USER": "", "PASSWORD": "", "HOST": "", "PORT": "",
        "OPTIONS": options, "TIME_ZONE": None, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "TEST": {},
    }
    return DatabaseWrapper(settings, alias=f"own-{threading.get_ident()}-{id(settings)}")
