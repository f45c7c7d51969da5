"""Numbers no page holds (an offset past 2**63, the year 99999) are a 422, never a 5xx."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from govoffice.directory.models import Agency, Role, User
from govoffice.directory.services import create_user
from govoffice.portal.tests.fuzzing import personal_key

HUGE = "100000000000000000000"


@pytest.fixture
def office_officer(directory: dict[str, Agency]) -> User:
    return create_user(actor=None, username="cong.vpcp", password=None, agency=directory["000.00.00.G22"], roles=[Role.PORTAL_OFFICER])


@pytest.mark.parametrize("path", [
    f"/api/v1/portal/procedures?offset={HUGE}",
    f"/api/v1/portal/dossiers?offset={HUGE}",
    f"/api/v1/portal/feedback/answers?offset={HUGE}",
    f"/api/v1/portal/feedback/office?offset={HUGE}",
    "/api/v1/portal/feedback/office?limit=-5",
    "/api/v1/portal/feedback/statistics?year=99999",
    "/api/v1/portal/feedback/statistics?year=-3",
])
def test_an_out_of_range_number_is_a_client_error(client: Client, catalogue: Any, office_officer: User, path: str) -> None:
    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {personal_key(office_officer)}")
    assert response.status_code == 422, response.content[:300]
    assert set(response.json()["error"]) == {"code", "message", "field"}


def test_the_statistics_page_shows_this_year_for_a_year_out_of_range(client: Client, office_officer: User) -> None:
    client.force_login(office_officer)
    response = client.get("/portal/feedback/office/statistics/", {"year": "99999"})
    assert response.status_code == 200
    assert response.context["year"] < 3000
