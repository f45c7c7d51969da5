"""Creating a submission or an outgoing draft through the API with an Idempotency-Key: a
retry gets the first one back (200), never a second; another caller's key is theirs."""

from __future__ import annotations

import base64

import pytest

from govoffice.audit.models import Event
from govoffice.records.models import Outgoing, RecordFile, SearchEntry, Submission
from govoffice.records.tests.office_people import signers, vpcp  # noqa: F401  (fixtures)
from govoffice.records.tests.test_submissions_flow import PDF

pytestmark = pytest.mark.django_db
SUBMISSIONS = "/api/v1/records/submissions"
OUTGOING = "/api/v1/records/outgoing"


def _as(client, user):
    client.force_login(user)
    return client


def _submission(**overrides: object) -> dict[str, object]:
    return {"title": "Tờ trình về Đề án Chính phủ điện tử", "body": "Kính trình Thủ tướng.",
            "files": [{"name": "Du thao.pdf", "content_base64": base64.b64encode(PDF).decode()}], **overrides}


def _outgoing(signers) -> dict[str, object]:  # noqa: F811
    return {"doc_type": "QĐ", "authority": "TTg", "subject": "Về việc phê duyệt Chương trình chuyển đổi số",
            "body": "Điều 1. Phê duyệt.", "recipients": [signers.ministry.code], "signer": "thutuong"}


def test_a_retried_submission_returns_the_first_and_makes_nothing_new(vpcp, client) -> None:  # noqa: F811
    api = _as(client, vpcp.specialist)
    first = api.post(SUBMISSIONS, _submission(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="sub-7f3a")
    assert first.status_code == 201, first.content
    counts = (Submission.objects.count(), RecordFile.objects.count(), Event.objects.count())
    # The answer was lost; the machine sends the same request again (even with another title).
    again = api.post(SUBMISSIONS, _submission(title="Khác"), content_type="application/json", HTTP_IDEMPOTENCY_KEY="sub-7f3a")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["title"] == first.json()["title"]
    assert (Submission.objects.count(), RecordFile.objects.count(), Event.objects.count()) == counts
    other = api.post(SUBMISSIONS, _submission(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="sub-8b1c")
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    without = api.post(SUBMISSIONS, _submission(), content_type="application/json")
    assert without.status_code == 201
    assert Submission.objects.count() == counts[0] + 2


def test_a_retried_outgoing_draft_returns_the_first_and_makes_nothing_new(signers, client) -> None:  # noqa: F811
    api = _as(client, signers.specialist)
    first = api.post(OUTGOING, _outgoing(signers), content_type="application/json", HTTP_IDEMPOTENCY_KEY="out-1")
    assert first.status_code == 201, first.content
    counts = (Outgoing.objects.count(), SearchEntry.objects.count(), Event.objects.count())
    again = api.post(OUTGOING, _outgoing(signers), content_type="application/json", HTTP_IDEMPOTENCY_KEY="out-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert (Outgoing.objects.count(), SearchEntry.objects.count(), Event.objects.count()) == counts
    assert Outgoing.objects.get(pk=first.json()["id"]).idempotency_key == "out-1"


def test_the_same_key_from_another_person_is_their_own(vpcp, client) -> None:  # noqa: F811
    mine = _as(client, vpcp.specialist).post(SUBMISSIONS, _submission(), content_type="application/json",
                                             HTTP_IDEMPOTENCY_KEY="shared-key")
    theirs = _as(client, vpcp.head).post(SUBMISSIONS, _submission(title="Tờ trình của Vụ trưởng"),
                                         content_type="application/json", HTTP_IDEMPOTENCY_KEY="shared-key")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert theirs.json()["id"] != mine.json()["id"] and theirs.json()["created_by"] == vpcp.head.username


def test_a_refused_request_keeps_the_key_free(vpcp, client) -> None:  # noqa: F811
    api = _as(client, vpcp.specialist)
    refused = api.post(SUBMISSIONS, _submission(title=""), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "title"
    assert not Submission.objects.exists()
    assert api.post(SUBMISSIONS, _submission(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2").status_code == 201


def test_an_overlong_key_is_a_422_that_names_the_header(signers, client) -> None:  # noqa: F811
    api = _as(client, signers.specialist)
    answer = api.post(OUTGOING, _outgoing(signers), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k" * 201)
    assert answer.status_code == 422
    assert answer.json()["error"] == {"code": "invalid_idempotency_key", "message": "Idempotency-Key is at most 200 characters",
                                      "field": "Idempotency-Key"}
    assert not Outgoing.objects.exists()


def test_the_openapi_documents_the_header_on_both_creating_posts(client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/records/submissions", "/api/v1/records/outgoing"):
        post = spec["paths"][path]["post"]
        assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in post["parameters"]), path
        assert {"200", "201"} <= set(post["responses"]), path
