"""A piece's attachments download for the office's portal officers and the staff of the agency it
was forwarded to; anyone else (another ministry, a citizen, nobody signed in) gets a 404."""

from __future__ import annotations

from typing import Any

from django.test import Client

from govoffice.directory.models import Role
from govoffice.portal.feedback.models import Feedback, State
from govoffice.portal.feedback.tests.conftest import PDF, upload


def test_only_the_office_and_the_agency_it_was_sent_to_download_its_files(client: Client, agencies: Any, file_one: Any,
                                                                          person: Any, officer: Any) -> None:
    row = file_one(files=[upload("to-khai.pdf", PDF)])
    Feedback.objects.filter(pk=row.pk).update(forwarded_to=agencies["000.00.00.G12"], state=State.FORWARDED)
    url = f"/portal/feedback/office/{row.pk}/files/{row.files.get().pk}/"
    for allowed in (officer, person(Role.SPECIALIST, code="000.00.00.G12")):
        client.force_login(allowed)
        response = client.get(url)
        assert response.status_code == 200 and response.getvalue() == PDF
    for stranger in (person(Role.SPECIALIST, code="000.00.00.H41"), person(Role.CITIZEN), person(Role.AGENCY_SYSTEM, code="000.00.00.G12")):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        assert client.get(f"/portal/feedback/agency/{row.pk}/").status_code in (403, 404)
    client.logout()
    assert client.get(url).status_code == 404
