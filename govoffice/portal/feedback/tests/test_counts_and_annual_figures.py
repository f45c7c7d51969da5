"""Counts by source, scope, agency and outcome, and the annual report's four figures."""

from __future__ import annotations

from typing import Any

import pytest

from govoffice.portal.feedback import selectors
from govoffice.portal.feedback.services.triage import (
    forward_feedback,
    mark_duplicate,
    mark_out_of_scope,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_counts_follow_triage(office_hub: Any, finance: Any, officer: Any, file_one: Any, client: Any) -> None:
    c1, c2, c3 = file_one(), file_one(), file_one()
    b1, _b2 = file_one(source="business"), file_one(source="business")
    forward_feedback(actor=officer, feedback=c1, agency_code=finance.code)
    forward_feedback(actor=officer, feedback=b1, agency_code=finance.code)
    mark_out_of_scope(actor=officer, feedback=c2, kind="complaint")
    mark_duplicate(actor=officer, feedback=c3, original_code=c1.code)
    year = c1.received_at.astimezone(selectors.year_bounds(2000)[0].tzinfo).year
    assert selectors.annual_figures(year) == {
        "feedback_citizen_received": 3, "feedback_citizen_in_scope": 1,
        "feedback_business_received": 2, "feedback_business_forwarded": 1,
    }
    assert selectors.annual_figures(year - 1)["feedback_citizen_received"] == 0
    assert selectors.counts_by_source(year) == {"citizen": 3, "business": 2}
    assert selectors.counts_by_scope(year)["citizen"] == {"in_scope": 1, "out_of_scope": 1, "duplicate": 1, "undecided": 0}
    assert selectors.counts_by_scope(year)["business"]["undecided"] == 1
    by_agency = selectors.counts_by_agency(year)
    assert by_agency[0]["code"] == finance.code and by_agency[0]["forwarded"] == 2
    outcome = selectors.counts_by_outcome(year)
    assert outcome["forwarded"] == 2 and outcome["out_of_scope"] == 1 and outcome["duplicate"] == 1 and outcome["received"] == 1
    client.force_login(officer)
    api = client.get("/api/v1/portal/feedback/statistics", {"year": year}).json()
    assert api["annual"]["feedback_business_forwarded"] == 1
    assert client.get("/portal/feedback/office/statistics/", {"year": year}).status_code == 200
