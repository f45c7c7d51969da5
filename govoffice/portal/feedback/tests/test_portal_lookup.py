"""The portal's lookup (which caches public statuses) shows a feedback's new status at once."""

from __future__ import annotations

from typing import Any

import pytest

from govoffice.portal.feedback.services.triage import mark_out_of_scope

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_portal_lookup_follows_triage(client: Any, office_hub: Any, officer: Any, file_one: Any) -> None:
    row = file_one()
    first = client.get(f"/api/v1/portal/status/{row.code}")
    assert first.status_code == 200 and first.json()["status"] == "received" and first.json()["kind"] == "feedback"
    mark_out_of_scope(actor=officer, feedback=row, kind="other")
    assert client.get(f"/api/v1/portal/status/{row.code}").json()["status"] == "out_of_scope"
    assert client.get("/api/v1/portal/status/PA-2019-AAAAAAAAA").status_code in (404, 422)
