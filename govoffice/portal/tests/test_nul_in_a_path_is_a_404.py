"""A NUL character in a path's code (which PostgreSQL cannot compare) names nothing: a 404 on pages
(the API refuses it with its one error format), never a 5xx."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from govoffice.directory.models import User

PATHS = ["/portal/procedures/1.0\x00/", "/portal/procedures/1.0\x00/submit/", "/api/v1/portal/procedures/1.0%00",
         "/portal/feedback/rate/PA\x00/abc/", "/portal/feedback/answers/PA\x00/", "/open311/v2/services/x\x00.json",
         "/portal/dossiers/HS\x00/", "/api/v1/portal/dossiers/HS%00"]


@pytest.mark.parametrize("path", PATHS)
def test_a_nul_in_a_path_names_nothing(client: Client, catalogue: Any, citizen: User, path: str) -> None:
    client.force_login(citizen)
    response = client.get(path)
    if path.startswith("/api/"):
        assert 400 <= response.status_code < 500 and set(response.json()["error"]) == {"code", "message", "field"}
    else:
        assert response.status_code == 404, response.content[:200]
