"""API keys: only a hash kept, shown once, scoped to one agency, revocable at once."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from govoffice.directory.models import Agency, ApiKey
from govoffice.directory.services import authenticate_api_key, issue_api_key, revoke_api_key

pytestmark = pytest.mark.django_db


def test_only_a_hash_of_the_secret_is_stored(ministry: Agency) -> None:
    key, raw = issue_api_key(actor=None, agency=ministry, name="eOffice BTC")
    secret = raw.split("_", 2)[2]
    assert secret not in key.secret_hash
    assert key.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert not ApiKey.objects.filter(secret_hash__contains=secret).exists()


def test_a_key_authenticates_as_its_agency_system(client: Client, ministry: Agency, api_key) -> None:
    raw = api_key(ministry)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["agency_code"] == ministry.code
    assert response.json()["roles"] == ["agency_system"]
    assert client.get("/api/v1/me", HTTP_X_API_KEY=raw).status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Bearer nonsense", "Bearer gok_abc_def", "Bearer ", "Basic Zm9vOmJhcg=="],
)
def test_bad_keys_get_a_401_in_the_error_format(client: Client, header: str) -> None:
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_key_with_a_wrong_secret_is_refused(ministry: Agency) -> None:
    _, raw = issue_api_key(actor=None, agency=ministry, name="k")
    assert authenticate_api_key(raw[:-2] + "xx") is None
    assert authenticate_api_key(raw) is not None


def test_a_revoked_key_is_refused_at_once(client: Client, ministry: Agency) -> None:
    key, raw = issue_api_key(actor=None, agency=ministry, name="k")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    revoke_api_key(actor=None, key=key)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_administrators_issue_and_revoke_keys_through_the_api(make_user, login, ministry: Agency) -> None:
    client = login(make_user("administrator"))
    created = client.post(f"/api/v1/agencies/{ministry.code}/api-keys", {"name": "LGSP"}, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["key"].startswith("gok_") and body["agency_code"] == ministry.code
    listed = client.get(f"/api/v1/agencies/{ministry.code}/api-keys").json()
    assert [k["prefix"] for k in listed] == [body["prefix"]] and "key" not in listed[0]
    revoked = client.delete(f"/api/v1/api-keys/{body['prefix']}")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    again = client.delete(f"/api/v1/api-keys/{body['prefix']}")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_revoked"


def test_a_clerk_may_not_issue_keys(make_user, login, ministry: Agency) -> None:
    client = login(make_user("clerk"))
    response = client.post(f"/api/v1/agencies/{ministry.code}/api-keys", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert not ApiKey.objects.exists()


def test_an_agency_system_may_not_issue_keys_for_itself(client: Client, ministry: Agency, api_key) -> None:
    raw = api_key(ministry)
    response = client.post(
        f"/api/v1/agencies/{ministry.code}/api-keys", {"name": "more"},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403
    assert ApiKey.objects.count() == 1


def test_the_cli_issues_lists_and_revokes(ministry: Agency, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("apikey", "issue", ministry.code, "--name", "eOffice")
    raw = capsys.readouterr().out.strip()
    assert authenticate_api_key(raw) is not None
    prefix = raw.split("_")[1]
    call_command("apikey", "list", ministry.code)
    assert prefix in capsys.readouterr().out
    call_command("apikey", "revoke", prefix)
    assert authenticate_api_key(raw) is None
    with pytest.raises(CommandError, match="no API key"):
        call_command("apikey", "revoke", "ffffffffffff")
    with pytest.raises(CommandError, match="No agency"):
        call_command("apikey", "issue", "000.00.00.G77", "--name", "x")
