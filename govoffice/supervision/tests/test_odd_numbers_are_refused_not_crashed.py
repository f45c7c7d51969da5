"""Numbers no page holds (an offset past 2**63, the year 99999) are a 422 or an empty answer, never a 5xx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from govoffice.directory.models import User
from govoffice.portal.tests.fuzzing import personal_key


@pytest.mark.parametrize("path", [
    "/api/v1/supervision/tasks?offset=100000000000000000000",
    "/api/v1/supervision/tasks?offset=9223372036854775807",
    "/api/v1/supervision/inspections?year=99999",
    "/api/v1/supervision/inspections?year=-3",
    "/api/v1/supervision/rate?date_from=0001-01-01&date_to=9999-12-31",
])
def test_an_out_of_range_number_is_a_client_error(client: Client, officer: User, assign: Callable[..., Any], path: str) -> None:
    assign()
    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {personal_key(officer)}")
    assert response.status_code in (200, 422), response.content[:300]
    if response.status_code == 422:
        assert set(response.json()["error"]) == {"code", "message", "field"}
