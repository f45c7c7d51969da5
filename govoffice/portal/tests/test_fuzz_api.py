"""Fuzzing the portal's and the feedback's API: whatever a caller sends (odd types, NUL bytes,
long strings, unknown codes), the answer is never a 5xx, and a refusal is the one JSON error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from govoffice.directory.models import Agency, Role, User
from govoffice.portal.tests.fuzzing import fuzz, personal_key

PORTAL = r"^/api/v1/portal/"


@pytest.fixture
def people(directory: dict[str, Agency], citizen: User, officer: Callable[..., User]) -> dict[str, dict[str, str]]:
    from govoffice.directory.services import create_user
    from govoffice.testing import PASSWORD

    office_officer = create_user(actor=None, username="fuzz.office", password=PASSWORD, agency=directory["000.00.00.G22"],
                                 roles=[Role.PORTAL_OFFICER])
    return {
        "anonymous": {},
        "citizen": {"Authorization": f"Bearer {personal_key(citizen)}"},
        "agency officer": {"Authorization": f"Bearer {personal_key(officer())}"},
        "office officer": {"Authorization": f"Bearer {personal_key(office_officer)}"},
    }


@pytest.mark.parametrize("who", ["anonymous", "citizen", "agency officer", "office officer"])
def test_no_input_makes_the_portal_api_fail(catalogue: Any, people: dict[str, dict[str, str]], who: str) -> None:
    seen = fuzz(PORTAL, people[who])
    assert {"GET /api/v1/portal/status/{code}", "POST /api/v1/portal/dossiers",
            "GET /api/v1/portal/feedback/statistics", "POST /api/v1/portal/feedback"} <= seen
