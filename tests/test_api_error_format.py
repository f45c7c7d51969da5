"""Every API answer that is an error has the DESIGN.md shape, even those Django gives."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_unknown_api_path_is_a_json_404(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_wrong_method_is_a_json_405(make_user, login) -> None:
    client = login(make_user("clerk"))
    response = client.put("/api/v1/me")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_a_missing_csrf_token_is_named(make_user, office) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("administrator"))
    response = client.post(f"/api/v1/agencies/{office.code}/api-keys", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"


def test_a_nul_in_a_query_is_refused_before_any_query(make_user, login) -> None:
    client = login(make_user("clerk"))
    response = client.get("/api/v1/agencies", {"q": "a\x00b"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_a_json_body_over_the_upload_limit_is_a_json_413_not_djangos_page(settings, make_user, login) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = login(make_user("clerk"))
    response = client.post("/api/v1/hub/messages/batch", {"messages": [{"edxml": "A" * 2000}]}, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_a_nul_escaped_in_a_json_body_is_refused_before_any_query(make_user, login) -> None:
    client = login(make_user("administrator"))
    response = client.post("/api/v1/agencies/000.00.00.G22/api-keys", '{"name": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"] == {"code": "invalid_input", "message": "NUL characters are not accepted", "field": "name"}
