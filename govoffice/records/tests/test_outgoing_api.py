"""The outgoing API: draft, review, approve, sign, issue, the signed PDF and the recipients'
statuses; refusals in the one error format."""

from __future__ import annotations

import pytest

from govoffice.audit.models import Event
from govoffice.records.models import NumberSeries
from govoffice.records.tests.office_people import signers, vpcp  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
URL = "/api/v1/records/outgoing"


def _as(client, user):
    client.force_login(user)
    return client


def _draft(signers) -> dict[str, object]:  # noqa: F811
    return {
        "doc_type": "QĐ", "authority": "TTg", "subject": "Về việc phê duyệt Chương trình chuyển đổi số",
        "body": "Điều 1. Phê duyệt.\nĐiều 2. Hiệu lực.", "recipients": [signers.ministry.code],
        "signer": "thutuong", "signer_title": "Thủ tướng",
    }


def test_the_whole_road_through_the_api(signers, client, finance, django_capture_on_commit_callbacks) -> None:  # noqa: F811
    doc = _as(client, signers.specialist).post(URL, _draft(signers), content_type="application/json")
    assert doc.status_code == 201, doc.content
    pk = doc.json()["id"]
    assert client.post(f"{URL}/{pk}/review", {"reviewer": "vutruong"}, content_type="application/json").json()["state"] == "review"
    assert _as(client, signers.head).post(f"{URL}/{pk}/approve", {}, content_type="application/json").json()["state"] == "approved"
    assert _as(client, signers.pm).post(f"{URL}/{pk}/sign").json()["state"] == "signed"
    with django_capture_on_commit_callbacks(execute=True):
        issued = _as(client, signers.clerk).post(f"{URL}/{pk}/issue")
    assert issued.status_code == 200, issued.content
    assert issued.json()["notation"] == "01/QĐ-TTg" and issued.json()["issued_file"]["role"] == "issued"
    pdf = client.get(f"{URL}/{pk}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    recipients = client.get(f"{URL}/{pk}/recipients").json()
    assert [r["organ_id"] for r in recipients] == [finance.code] and recipients[0]["delivery_state"] == "pending"
    assert client.get(URL + "?state=issued").json()["count"] == 1


def test_signing_without_the_right_is_403_and_changes_nothing(signers, client) -> None:  # noqa: F811
    pk = _as(client, signers.specialist).post(URL, _draft(signers), content_type="application/json").json()["id"]
    client.post(f"{URL}/{pk}/review", {"reviewer": "vutruong"}, content_type="application/json")
    _as(client, signers.head).post(f"{URL}/{pk}/approve", {}, content_type="application/json")
    events = Event.objects.count()
    answer = _as(client, signers.chairman).post(f"{URL}/{pk}/sign")
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden"
    assert Event.objects.count() == events
    assert client.get(f"{URL}/{pk}").json()["state"] == "approved"


def test_issuing_an_unapproved_draft_is_409_and_takes_no_number(signers, client) -> None:  # noqa: F811
    pk = _as(client, signers.specialist).post(URL, _draft(signers), content_type="application/json").json()["id"]
    events = Event.objects.count()
    answer = _as(client, signers.clerk).post(f"{URL}/{pk}/issue")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "not_approved"
    assert Event.objects.count() == events and not NumberSeries.objects.exists()
    assert client.get(f"{URL}/{pk}/pdf").status_code == 404


def test_missing_fields_are_named(signers, client) -> None:  # noqa: F811
    body = _draft(signers)
    del body["subject"]
    answer = _as(client, signers.specialist).post(URL, body, content_type="application/json")
    assert answer.status_code == 422 and answer.json()["error"]["field"] == "subject"
    answer = client.post(URL, {**_draft(signers), "body": ""}, content_type="application/json")
    assert answer.status_code == 400 and answer.json()["error"] == {"code": "required", "message": answer.json()["error"]["message"], "field": "body"}


def test_a_machine_key_without_a_person_sees_nothing(signers, client, api_key) -> None:  # noqa: F811
    key = api_key(signers.agency)
    answer = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 200 and answer.json()["count"] == 0
    assert client.post(URL, _draft(signers), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 403
