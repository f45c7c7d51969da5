"""The office's and the agency's API: triage, forwarding, moderation and answers, with the one error format."""

from __future__ import annotations

from typing import Any

import pytest

from govoffice.directory.models import Role
from govoffice.portal.feedback.models import Feedback, State

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_triages_and_publishes_through_the_api(client: Any, office_hub: Any, finance: Any, officer: Any,
                                                          finance_specialist: Any, file_one: Any) -> None:
    row = file_one(content="Liên hệ an@example.vn về quy định này.")
    client.force_login(officer)
    listing = client.get("/api/v1/portal/feedback/office", {"state": "received"}).json()
    assert listing["count"] == 1 and listing["items"][0]["email"] == "an@example.vn"
    forwarded = client.post(f"/api/v1/portal/feedback/office/{row.pk}/forward", {"agency": finance.code}, content_type="application/json")
    assert forwarded.status_code == 200 and forwarded.json()["state"] == "forwarded" and forwarded.json()["document_id"]
    again = client.post(f"/api/v1/portal/feedback/office/{row.pk}/forward", {"agency": finance.code}, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_state"
    client.force_login(finance_specialist)
    mine = client.get("/api/v1/portal/feedback/agency").json()
    assert [m["code"] for m in mine] == [row.code] and "email" not in mine[0]
    answered = client.post(f"/api/v1/portal/feedback/agency/{row.pk}/answer", {"answer": "Đã sửa quy định."}, content_type="application/json")
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    client.force_login(officer)
    published = client.post(f"/api/v1/portal/feedback/office/{row.pk}/publish", {}, content_type="application/json")
    assert published.status_code == 200 and published.json()["state"] == "published"
    public = client.get(f"/api/v1/portal/feedback/answers/{row.code}").json()
    assert "an@example.vn" not in public["question"] and public["answer"] == "Đã sửa quy định."


def test_the_office_api_refuses_others_and_hides_what_they_may_not_see(client: Any, office_hub: Any, person: Any, file_one: Any) -> None:
    row = file_one()
    client.force_login(person(Role.SPECIALIST))
    assert client.get("/api/v1/portal/feedback/office").status_code == 403
    assert client.get(f"/api/v1/portal/feedback/office/{row.pk}").status_code == 403
    client.force_login(person(Role.SPECIALIST, code="000.00.00.G12"))
    response = client.post(f"/api/v1/portal/feedback/agency/{row.pk}/answer", {"answer": "x"}, content_type="application/json")
    assert response.status_code == 404  # not forwarded to this agency: as if it did not exist
    client.logout()
    assert client.get("/api/v1/portal/feedback/office").status_code == 401
    assert Feedback.objects.get(pk=row.pk).state == State.RECEIVED


def test_bad_triage_input_names_the_field(client: Any, office_hub: Any, officer: Any, file_one: Any) -> None:
    row = file_one()
    client.force_login(officer)
    unknown = client.post(f"/api/v1/portal/feedback/office/{row.pk}/forward", {"agency": "000.00.00.G55"}, content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["error"]["field"] == "agency"
    kind = client.post(f"/api/v1/portal/feedback/office/{row.pk}/out-of-scope", {"kind": "gossip"}, content_type="application/json")
    assert kind.status_code == 400 and kind.json()["error"]["field"] == "kind"
    dup = client.post(f"/api/v1/portal/feedback/office/{row.pk}/duplicate", {"original": "PA-2019-AAAAAAAAA"}, content_type="application/json")
    assert dup.status_code == 404 and dup.json()["error"]["field"] == "original"
    assert Feedback.objects.get(pk=row.pk).state == State.RECEIVED
