from __future__ import annotations

import pytest
from django.test import Client

from govoffice.directory.models import Agency
from govoffice.directory.services import create_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def nghe_an(db) -> Agency:
    return create_agency(actor=None, code="000.00.00.H41", name_vi="Ủy ban nhân dân tỉnh Nghệ An", kind="province")


def test_staff_list_agencies_and_find_them_without_diacritics(make_user, login, office: Agency, nghe_an: Agency) -> None:
    client = login(make_user("clerk"))
    body = client.get("/api/v1/agencies", {"q": "nghe an"}).json()
    assert body["count"] == 1 and body["items"][0]["code"] == nghe_an.code
    assert client.get("/api/v1/agencies").json()["count"] == 2


def test_one_agency_by_code(make_user, login, office: Agency) -> None:
    client = login(make_user("clerk"))
    assert client.get(f"/api/v1/agencies/{office.code}").json()["name_en"] == "Government Office"
    missing = client.get("/api/v1/agencies/000.00.00.G77")
    assert missing.status_code == 404
    assert missing.json() == {"error": {"code": "unknown_agency", "message": "No agency has the code 000.00.00.G77", "field": "code"}}


def test_citizens_may_not_read_the_internal_directory(make_user, login, office: Agency) -> None:
    client = login(make_user("citizen"))
    response = client.get("/api/v1/agencies")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_bad_paging_is_a_422_with_the_field(make_user, login, office: Agency) -> None:
    client = login(make_user("clerk"))
    response = client.get("/api/v1/agencies", {"limit": 0})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "limit"


def test_anonymous_requests_get_401(client: Client) -> None:
    assert client.get("/api/v1/agencies").status_code == 401


def test_session_writes_need_the_csrf_token(make_user, office: Agency) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("administrator"))
    response = client.post(f"/api/v1/agencies/{office.code}/api-keys", {"name": "x"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert office.api_keys.count() == 0
