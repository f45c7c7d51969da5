"""Fuzzing supervision's API: whatever a caller sends (odd dates, huge numbers, NUL bytes, long
strings, unknown codes), the answer is never a 5xx, and a refusal is the one JSON error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from govoffice.directory.models import Agency, User
from govoffice.portal.tests.fuzzing import fuzz, personal_key


@pytest.mark.parametrize("who", ["officer", "ministry specialist", "anonymous"])
def test_no_input_makes_the_supervision_api_fail(officer: User, finance_staff: User, ministry: Agency,
                                                  assign: Callable[..., Any], who: str) -> None:
    assign()
    headers = {"officer": {"Authorization": f"Bearer {personal_key(officer)}"},
               "ministry specialist": {"Authorization": f"Bearer {personal_key(finance_staff)}"},
               "anonymous": {}}[who]
    seen = fuzz(r"^/api/v1/supervision/", headers)
    assert {"GET /api/v1/supervision/tasks", "POST /api/v1/supervision/tasks", "GET /api/v1/supervision/rate",
            "POST /api/v1/supervision/inspections"} <= seen
