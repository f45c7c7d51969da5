"""A NUL character (which PostgreSQL cannot store in text) in any text a person or machine sends
is bad input: a 4xx naming the field, nothing stored, on both databases."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.test import Client

from govoffice.directory.models import User
from govoffice.portal.models import Dossier, Status
from govoffice.portal.tests.conftest import JUDICIAL_VALUES
from govoffice.portal.tests.helpers import file_dossier

NUL = "Lý do\x00"


def test_a_nul_in_a_dossiers_texts_is_refused(client: Client, catalogue: Any, citizen: User, officer: Callable[..., User]) -> None:
    client.force_login(citizen)
    refused = file_dossier(client, values={**JUDICIAL_VALUES, "purpose": NUL})
    assert refused.status_code == 422 and refused.json()["error"]["field"], refused.content
    code = file_dossier(client).json()["receipt_code"]
    client.force_login(officer())
    api = client.post(f"/api/v1/portal/dossiers/{code}/refuse", json.dumps({"reason": NUL}), content_type="application/json")
    assert api.status_code == 422 and api.json()["error"]["field"], api.content
    page = client.post(f"/portal/dossiers/{code}/refuse/", {"note": NUL})
    assert page.status_code == 422
    assert Dossier.objects.get(receipt_code=code).status == Status.REGISTERED
    assert Dossier.objects.count() == 1


def test_a_nul_in_a_search_or_filter_is_no_server_error(client: Client, catalogue: Any, citizen: User,
                                                         officer: Callable[..., User]) -> None:
    from govoffice.directory.models import Agency, Role
    from govoffice.directory.services import create_user

    office = create_user(actor=None, username="cong.vpcp", password=None, agency=Agency.objects.get(code="000.00.00.G22"),
                         roles=[Role.PORTAL_OFFICER])
    for who in (citizen, officer(), office):
        client.force_login(who)
        for path in ("/api/v1/portal/procedures", "/api/v1/portal/dossiers", "/api/v1/portal/feedback/answers",
                     "/api/v1/portal/feedback/office", "/portal/procedures/", "/portal/desk/", "/portal/feedback/answers/",
                     "/portal/feedback/office/", "/portal/lookup/", "/portal/feedback/status/", "/open311/v2/requests.json"):
            for param in ("q", "agency", "field", "state", "source", "status", "code", "service_code", "start_date", "service_request_id"):
                response = client.get(path, {param: NUL})
                assert response.status_code < 500, (path, param)
