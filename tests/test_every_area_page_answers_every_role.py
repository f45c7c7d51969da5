"""Every area's main pages answer every role without a server error, with the header's links to
the areas (which once shadowed a page's own `links`, a 500 on /reports/)."""

from __future__ import annotations

from typing import Any

import pytest

from govoffice.directory.models import Role

PAGES = [
    "/", "/records/incoming/", "/records/search/?q=ke+hoach", "/records/outgoing/", "/records/submissions/",
    "/cabinet/", "/cabinet/meetings/", "/cabinet/ballots/", "/supervision/", "/supervision/rate/",
    "/supervision/inspections/", "/portal/", "/portal/procedures/", "/portal/desk/", "/portal/feedback/",
    "/portal/feedback/answers/", "/portal/feedback/office/", "/reports/", "/reports/clerk/", "/reports/leader/",
    "/reports/national/", "/reports/annual/?year=2019", "/hub/",
]


@pytest.mark.parametrize("role", [r for r in Role.values if r not in (Role.AGENCY_SYSTEM,)])
def test_no_main_page_fails_for_the_role(role: str, make_user: Any, client: Any) -> None:
    client.force_login(make_user(role))
    failed = [(page, status) for page in PAGES if (status := client.get(page).status_code) >= 500]
    assert failed == []


def test_a_clerks_header_links_to_the_areas_and_the_reports_page_keeps_its_own_links(make_user: Any, client: Any) -> None:
    client.force_login(make_user(Role.CLERK))
    page = client.get("/reports/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'href="/records/incoming/"' in text and 'href="/reports/clerk/"' in text
