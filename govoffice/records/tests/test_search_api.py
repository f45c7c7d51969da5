"""GET /api/v1/records/search: the page's search for machines and scripts, with the same
filters, documented in the OpenAPI, with the usual error bodies."""

from __future__ import annotations

import pytest

from govoffice.api import api
from govoffice.records.tests.searchkit import at, desk  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
URL = "/api/v1/records/search"


@pytest.fixture
def reader(make_user, client):
    user = make_user("specialist")
    client.force_login(user)
    return user


def test_it_finds_documents_with_filters_and_marks_the_words(desk, reader, client, ministry) -> None:  # noqa: F811
    desk.incoming("Quyết định giao dự toán", doc_type="QĐ", number="7/QĐ-BTC", sender_code=ministry.code, when=at("03/02/2025"))
    desk.incoming("Công văn về dự toán", when=at("04/02/2025"))
    body = client.get(URL, {"q": "du toan", "doc_type": "QĐ", "sender": ministry.code, "date_from": "2025-02-01"}).json()
    assert body["count"] == 1 and body["count_exact"] and body["sort"] == "relevance"
    item = body["items"][0]
    assert item["subject"] == "Quyết định giao dự toán" and item["kind"] == "incoming" and item["sender"] == ministry.code
    assert item["subject_marked"] == "Quyết định giao <mark>dự</mark> <mark>toán</mark>"
    assert item["date"].startswith("2025-02-03")


def test_it_pages_with_limit_and_offset(desk, reader, client) -> None:  # noqa: F811
    for i in range(5):
        desk.incoming(f"Tờ trình {i}", when=at(f"0{i + 1}/03/2025"))
    body = client.get(URL, {"q": "to trinh", "sort": "date", "limit": 2, "offset": 2}).json()
    assert [i["subject"] for i in body["items"]] == ["Tờ trình 2", "Tờ trình 3"]
    assert body["facets"]["kind"] == {"incoming": 5}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "best"}, "sort"),
        ({"doc_type": "XX"}, "doc_type"),
        ({"kind": "internal"}, "kind"),
        ({"state": "lost"}, "state"),
        ({"date_from": "2025-02-10", "date_to": "2025-02-01"}, "date_to"),
        ({"urgency": 9}, "urgency"),
        ({"limit": 1000}, "limit"),
    ],
)
def test_bad_parameters_get_a_422_naming_the_field(reader, client, params, field) -> None:
    response = client.get(URL, params)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_it_needs_a_signed_in_staff_member(client, make_user) -> None:
    assert client.get(URL).json()["error"]["code"] == "unauthenticated"
    client.force_login(make_user("citizen"))
    response = client.get(URL)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_the_openapi_documents_the_filters_and_errors() -> None:
    operation = api.get_openapi_schema()["paths"]["/api/v1/records/search"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"q", "kind", "doc_type", "sender", "date_from", "date_to", "urgency", "state", "handler", "sort", "limit", "offset"} <= names
    assert {"200", "401", "403", "422"} <= {str(code) for code in operation["responses"]}
    assert "quyet dinh" in operation["description"]
