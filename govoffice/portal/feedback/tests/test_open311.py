"""Open311 GeoReport v2 over real HTTP, in both formats: services, definitions, filing with an
api_key, following by id and token, the GET filters, and the spec's error bodies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from lxml import etree

from govoffice.portal.feedback.models import Feedback, State, Via
from govoffice.portal.feedback.services.clients import issue_open311_key
from govoffice.portal.feedback.services.triage import mark_out_of_scope

pytestmark = pytest.mark.django_db(transaction=True)

REQUEST = {
    "service_code": "procedure", "first_name": "Lê", "last_name": "Văn Cường", "email": "cuong@example.vn",
    "description": "Thủ tục cấp giấy phép xây dựng yêu cầu quá nhiều giấy tờ trùng lặp.",
    "attribute[source]": "citizen", "attribute[agency]": "000.00.00.H41", "lat": "18.67", "long": "105.69",
}


@pytest.fixture
def http(live_server: Any, agencies: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{live_server.url}/open311/v2", timeout=30) as c:
        yield c


@pytest.fixture
def key(agencies: Any) -> str:
    return issue_open311_key(actor=None, name="Ứng dụng Thành phố")[1]


def xml(response: httpx.Response) -> Any:
    assert response.headers["content-type"].startswith("text/xml")
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    return etree.fromstring(response.content)


def test_the_service_list_in_both_formats(http: httpx.Client) -> None:
    listing = http.get("/services.json")
    assert listing.status_code == 200 and listing.headers["content-type"].startswith("application/json")
    codes = [s["service_code"] for s in listing.json()]
    assert codes == ["regulation", "procedure", "conduct", "proposal"]
    assert listing.json()[0]["metadata"] is True and listing.json()[0]["type"] == "realtime"
    root = xml(http.get("/services.xml"))
    assert root.tag == "services" and root.findtext("service/service_code") == "regulation"
    assert root.findtext("service/metadata") == "true"


def test_a_service_definition_lists_its_attributes_and_the_agencies(http: httpx.Client) -> None:
    data = http.get("/services/procedure.json").json()
    attrs = {a["code"]: a for a in data["attributes"]}
    assert attrs["source"]["required"] is True and attrs["source"]["datatype"] == "singlevaluelist"
    assert {"key": "000.00.00.H41", "name": "Ủy ban nhân dân tỉnh Nghệ An"} in attrs["agency"]["values"]
    root = xml(http.get("/services/procedure.xml"))
    assert root.tag == "service_definition"
    assert "000.00.00.G12" in root.xpath("attributes/attribute[code='agency']/values/value/key/text()")


def test_an_unknown_service_is_a_404_in_the_spec_error_format(http: httpx.Client) -> None:
    body = http.get("/services/potholes.json")
    assert body.status_code == 404 and body.json()[0]["code"] == 404 and "potholes" in body.json()[0]["description"]
    root = xml(http.get("/services/potholes.xml"))
    assert root.tag == "errors" and root.findtext("error/code") == "404"


def test_a_client_with_a_key_files_feedback_and_follows_it(http: httpx.Client, key: str) -> None:
    created = http.post("/requests.json", data={**REQUEST, "api_key": key})
    assert created.status_code == 201
    answer = created.json()[0]
    row = Feedback.objects.get()
    assert answer["service_request_id"] == row.code and row.via == Via.OPEN311
    assert row.name == "Lê Văn Cường" and row.agency is not None and row.agency.code == "000.00.00.H41"
    assert row.client is not None and row.client.name == "Ứng dụng Thành phố" and row.topic == "procedure"
    one = http.get(f"/requests/{row.code}.json").json()[0]
    assert one["status"] == "open" and one["status_notes"] == "Đã tiếp nhận" and one["service_code"] == "procedure"
    assert one["description"] == "" and one["lat"] is None  # nothing personal before publication
    assert one["requested_datetime"].endswith("+07:00")
    token = http.get(f"/tokens/{answer['token']}.xml")
    assert xml(token).findtext("request/service_request_id") == row.code
    assert xml(http.get(f"/requests/{row.code}.xml")).findtext("request/status") == "open"


def test_filing_in_xml_answers_in_xml(http: httpx.Client, key: str) -> None:
    created = http.post("/requests.xml", data={**REQUEST, "api_key": key})
    assert created.status_code == 201
    assert xml(created).findtext("request/service_request_id") == Feedback.objects.get().code


def test_a_retry_with_the_same_idempotency_key_files_nothing_twice(http: httpx.Client, key: str) -> None:
    first = http.post("/requests.json", data={**REQUEST, "api_key": key}, headers={"Idempotency-Key": "r-1"})
    again = http.post("/requests.json", data={**REQUEST, "api_key": key}, headers={"Idempotency-Key": "r-1"})
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    assert Feedback.objects.count() == 1


def test_a_missing_or_wrong_key_is_a_403(http: httpx.Client, agencies: Any, key: str) -> None:
    from govoffice.directory.services import issue_api_key

    _, agency_key = issue_api_key(actor=None, agency=agencies["000.00.00.G12"], name="hệ thống")
    for bad in ("", "gok_nothing_here", agency_key):
        response = http.post("/requests.json", data={**REQUEST, "api_key": bad})
        assert response.status_code == 403 and response.json()[0]["code"] == 403
    assert xml(http.post("/requests.xml", data=REQUEST)).findtext("error/code") == "403"
    assert not Feedback.objects.exists()


def test_bad_requests_name_the_field_and_change_nothing(http: httpx.Client, key: str) -> None:
    cases = [
        ({"first_name": "", "last_name": ""}, 400, "first_name"),
        ({"email": "", "phone": ""}, 400, "email"),
        ({"description": ""}, 400, "description"),
        ({"attribute[agency]": "000.00.00.H99"}, 400, "attribute[agency]"),
        ({"attribute[source]": "alien"}, 400, "attribute[source]"),
        ({"service_code": "potholes"}, 404, "potholes"),
        ({"lat": "north"}, 400, "lat"),
    ]
    for change, status, words in cases:
        response = http.post("/requests.json", data={**REQUEST, **change, "api_key": key})
        assert response.status_code == status, change
        assert words in response.json()[0]["description"]
    root = xml(http.post("/requests.xml", data={**REQUEST, "description": "", "api_key": key}))
    assert root.findtext("error/code") == "400"
    assert not Feedback.objects.exists()


def test_get_requests_filters_by_id_service_status_and_dates(http: httpx.Client, key: str, file_one: Any, agencies: Any) -> None:
    from govoffice.directory.services import create_user

    a = file_one(topic="regulation")
    b = file_one(topic="proposal")
    officer = create_user(actor=None, username="cb", password=None, agency=agencies["000.00.00.G22"], roles=["portal_officer"])
    mark_out_of_scope(actor=officer, feedback=b, kind="complaint")
    ids = lambda r: sorted(x["service_request_id"] for x in r.json())  # noqa: E731
    assert ids(http.get("/requests.json")) == sorted([a.code, b.code])
    assert ids(http.get("/requests.json", params={"service_request_id": f"{a.code},PA-2019-UNKNOWN1"})) == [a.code]
    assert ids(http.get("/requests.json", params={"service_code": "proposal"})) == [b.code]
    assert ids(http.get("/requests.json", params={"status": "closed"})) == [b.code]
    assert ids(http.get("/requests.json", params={"status": "open"})) == [a.code]
    closed = http.get(f"/requests/{b.code}.json").json()[0]
    assert closed["status"] == "closed" and "Ngoài phạm vi" in closed["status_notes"]
    assert ids(http.get("/requests.json", params={"start_date": "2001-01-01T00:00:00Z", "end_date": "2001-12-31T00:00:00Z"})) == []
    root = xml(http.get("/requests.xml", params={"status": "open"}))
    assert root.tag == "service_requests" and root.findtext("request/service_request_id") == a.code
    for bad in ({"start_date": "yesterday"}, {"status": "pending"}, {"service_code": "potholes"}):
        response = http.get("/requests.json", params=bad)
        assert response.status_code == 400 and response.json()[0]["code"] == 400
    assert xml(http.get("/requests.xml", params={"status": "pending"})).findtext("error/code") == "400"
    assert a.state == State.RECEIVED


def test_unknown_ids_and_tokens_are_404_with_no_hint(http: httpx.Client) -> None:
    for path in ("/requests/PA-2019-AAAAAAAA.json", "/requests/nonsense.json", "/tokens/deadbeef.json"):
        response = http.get(path)
        assert response.status_code == 404 and response.json()[0]["code"] == 404
    assert xml(http.get("/requests/PA-2019-AAAAAAAA.xml")).findtext("error/code") == "404"
    assert http.get("/requests.csv").status_code == 404
