"""Who may open which report: every role, in the office and in another agency (deny by default)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from govoffice.directory.models import Agency, Role, User
from govoffice.directory.permissions import may

ACTIONS = ("reports.clerk_day", "reports.leader", "reports.national", "reports.annual")
ALLOWED: dict[str, set[str]] = {
    Role.CLERK: {"reports.clerk_day"},
    Role.SPECIALIST: set(),
    Role.DEPARTMENT_HEAD: {"reports.leader", "reports.annual"},
    Role.OFFICE_LEADER: {"reports.leader", "reports.national", "reports.annual"},
    Role.GOVERNMENT_LEADER: {"reports.leader", "reports.national", "reports.annual"},
    Role.GOVERNMENT_MEMBER: set(),
    Role.AGENCY_SYSTEM: set(),
    Role.CITIZEN: set(),
    Role.BUSINESS: set(),
    Role.CABINET_STAFF: set(),
    Role.PORTAL_OFFICER: set(),
    Role.SUPERVISION_OFFICER: {"reports.national", "reports.annual"},
    Role.AUDITOR: {"reports.national", "reports.annual"},
    Role.ADMINISTRATOR: {"reports.national", "reports.annual"},
}


def test_the_matrix_names_every_role() -> None:
    assert set(ALLOWED) == set(Role.values)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role.values))
def test_each_role_in_the_office_gets_exactly_its_reports(role: str, make_user: Callable[..., User]) -> None:
    user = make_user(role)
    assert {a for a in ACTIONS if may(user, a)} == ALLOWED[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role.values))
def test_nobody_in_another_agency_gets_any_report(role: str, make_user: Callable[..., User], ministry: Agency) -> None:
    user = make_user(role, agency=ministry)
    assert not any(may(user, a) for a in ACTIONS)


@pytest.mark.django_db
def test_an_inactive_leader_and_an_anonymous_visitor_get_nothing(make_user: Callable[..., User]) -> None:
    from django.contrib.auth.models import AnonymousUser

    leader = make_user(Role.OFFICE_LEADER)
    leader.is_active = False
    assert not any(may(leader, a) for a in ACTIONS)
    assert not any(may(AnonymousUser(), a) for a in ACTIONS)
