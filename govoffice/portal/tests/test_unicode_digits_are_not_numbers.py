"""Characters Python calls digits but int() refuses (², ١, ６) or that no code holds are bad input:
a 4xx or an empty answer, never a 5xx, on the public lookups and the officer's pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from govoffice.directory.models import User
from govoffice.portal.models import Dossier, Status
from govoffice.portal.tests.helpers import file_dossier

ODD = ["²", "١٢", "６", "HS-²０２６-K7Q2M9XD3", "PA-٢٠٢٦-K7Q2M9XD3", "HS-2026-\x00", "x" * 5000]


@pytest.mark.parametrize("code", ODD)
def test_an_odd_receipt_code_is_refused_on_every_public_lookup(client: Client, catalogue: Any, code: str) -> None:
    for response in (
        client.get("/portal/lookup/", {"code": code}),
        client.get("/portal/feedback/status/", {"code": code}),
        client.get(f"/api/v1/portal/status/{code}"),
        client.get(f"/api/v1/portal/feedback/status/{code}"),
        client.get(f"/open311/v2/requests/{code}.json"),
    ):
        assert 400 <= response.status_code < 500, (response.request["PATH_INFO"], response.status_code)


@pytest.mark.parametrize("odd", ["²", "١", "６"])
def test_odd_digits_on_the_desk_and_moves_are_bad_input(client: Client, catalogue: Any, citizen: User,
                                                          officer: Callable[..., User], odd: str) -> None:
    client.force_login(citizen)
    filed = file_dossier(client)
    assert filed.status_code == 201, filed.content
    code = filed.json()["receipt_code"]
    client.force_login(officer())
    assert client.get("/portal/desk/", {"status": odd}).status_code == 200
    assert client.get("/portal/procedures/", {"level": odd}).status_code == 200
    assert client.post(f"/portal/dossiers/{code}/accept/").status_code == 302
    assert client.post(f"/portal/dossiers/{code}/process/").status_code == 302
    for amount in (odd, "mười nghìn", "99999999999999999999"):
        response = client.post(f"/portal/dossiers/{code}/request-fees/", {"amount": amount, "note": "Lệ phí"})
        assert response.status_code == 422, amount
        assert "Số tiền phải là số đồng dương" in response.content.decode()
    response = client.post(f"/portal/dossiers/{code}/finish/", {"outgoing_id": odd})
    assert response.status_code == 422
    assert Dossier.objects.get(receipt_code=code).status == Status.PROCESSING  # nothing changed
    api = client.post(f"/api/v1/portal/dossiers/{code}/request-fees", {"amount": 10**12}, content_type="application/json")
    assert api.status_code == 422 and api.json()["error"]["field"]
    assert Dossier.objects.get(receipt_code=code).status == Status.PROCESSING
