"""A dossier's files download for its applicant and its agency's officers only; anyone else,
even with the right receipt code and file number, gets a 404 (as if there were no such file)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from govoffice.directory.models import User
from govoffice.portal.models import DossierFile
from govoffice.portal.tests.helpers import file_dossier


def test_only_the_applicant_and_the_agency_download_a_dossiers_files(
        client: Client, catalogue: Any, citizen: User, other_citizen: User, business: User, officer: Callable[..., User]) -> None:
    client.force_login(citizen)
    code = file_dossier(client).json()["receipt_code"]
    file = DossierFile.objects.get(dossier__receipt_code=code)
    url = f"/portal/dossiers/{code}/files/{file.pk}/"
    response = client.get(url)
    assert response.status_code == 200 and response.getvalue().startswith(b"%PDF")
    assert client.get(f"/portal/dossiers/{code}/files/{file.pk + 1}/").status_code == 404
    assert client.get(f"/portal/dossiers/{code}/result/").status_code == 404  # no result yet
    assert client.get(f"/portal/dossiers/{code}/files/{file.pk}/").status_code == 200
    client.force_login(officer())
    assert client.get(url).status_code == 200
    for stranger in (other_citizen, business, officer("000.00.00.G12")):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        assert client.get(f"/portal/dossiers/{code}/").status_code == 404
        assert client.get(f"/portal/dossiers/{code}/result/").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page, nothing served
