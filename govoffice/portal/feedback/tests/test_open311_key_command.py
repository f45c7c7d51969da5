"""`govoffice open311 key NAME` issues a key that files Open311 requests and opens nothing else."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govoffice.directory.models import ApiKey
from govoffice.portal.feedback.models import Open311Client
from govoffice.portal.feedback.services.clients import client_for_key

pytestmark = pytest.mark.django_db


def test_the_command_prints_a_key_for_the_client_once(agencies: Any) -> None:
    out = io.StringIO()
    call_command("open311", "key", "Ứng dụng Hà Nội", stdout=out, stderr=io.StringIO())
    raw = out.getvalue().strip()
    assert raw.startswith("gok_")
    client = Open311Client.objects.get()
    assert client_for_key(raw) == client
    key = ApiKey.objects.get(user=client.user)
    assert key.agency.code == "000.00.00.G22" and key.secret_hash not in raw and not client.user.role_set
    call_command("open311", "key", "Ứng dụng Hà Nội", stdout=io.StringIO(), stderr=io.StringIO())
    assert Open311Client.objects.count() == 1 and client.active_keys().count() == 2


def test_the_key_opens_nothing_else_in_the_api(client: Any, agencies: Any) -> None:
    out = io.StringIO()
    call_command("open311", "key", "city", stdout=out, stderr=io.StringIO())
    headers = {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().strip()}"}
    assert client.get("/api/v1/portal/feedback/office", **headers).status_code == 403
    assert client.get("/api/v1/records/incoming", **headers).status_code == 403
    for path in ("/api/v1/hub/inbox", "/api/v1/hub/sent", "/api/v1/portal/feedback/agency", "/api/v1/portal/feedback/statistics",
                 "/api/v1/supervision/inspections", "/api/v1/supervision/rate?date_from=2019-01-01&date_to=2019-12-31"):
        assert client.get(path, **headers).status_code in (403, 404), path
    # Lists that answer for anyone signed in show such a key nothing at all.
    for path in ("/api/v1/portal/dossiers", "/api/v1/supervision/tasks", "/api/v1/records/outgoing"):
        response = client.get(path, **headers)
        assert response.status_code == 200 and response.json()["count"] == 0, path
    drafted = client.post("/api/v1/records/outgoing", {"subject": "x"}, content_type="application/json", **headers)
    assert drafted.status_code in (403, 422)


def test_a_name_without_letters_is_refused(agencies: Any) -> None:
    with pytest.raises(CommandError):
        call_command("open311", "key", "  ", stdout=io.StringIO(), stderr=io.StringIO())
