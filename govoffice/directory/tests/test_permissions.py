"""The permission module as a matrix: role x object x action, deny by default."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from govoffice.directory.models import Agency, Role, User
from govoffice.directory.permissions import RULES, may

pytestmark = pytest.mark.django_db

STAFF: set[str] = {
    Role.CLERK, Role.SPECIALIST, Role.DEPARTMENT_HEAD, Role.OFFICE_LEADER, Role.GOVERNMENT_LEADER,
    Role.GOVERNMENT_MEMBER, Role.AUDITOR, Role.ADMINISTRATOR,
}
ADMIN: set[str] = {Role.ADMINISTRATOR}
AUDIT: set[str] = {Role.AUDITOR, Role.ADMINISTRATOR}

# action -> the roles that may do it to an object of their own agency
EXPECTED: dict[str, set[str]] = {
    "agency.view": STAFF | {Role.AGENCY_SYSTEM},
    "agency.manage": ADMIN,
    "user.view": STAFF,  # a colleague of the same agency
    "user.manage": ADMIN,
    "apikey.manage": ADMIN,
    "audit.verify": AUDIT,
    "audit.view": AUDIT,
}


def test_the_matrix_names_every_rule() -> None:
    assert set(EXPECTED) == {a for a in RULES if a.split(".")[0] in {"agency", "user", "apikey", "audit"}}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_each_role_may_do_only_what_the_matrix_grants(make_user, office: Agency, role: str, action: str) -> None:
    actor = make_user(role)
    colleague = make_user(Role.CLERK)
    obj = {"user.view": colleague, "user.manage": colleague}.get(action, office)
    assert may(actor, action, obj) is (role in EXPECTED[action])


@pytest.mark.parametrize("role", sorted(STAFF - ADMIN))
def test_staff_may_not_see_people_of_another_agency(make_user, ministry: Agency, role: str) -> None:
    actor = make_user(role)
    stranger = make_user(Role.CLERK, agency=ministry)
    assert may(actor, "user.view", stranger) is False


def test_staff_may_see_people_in_units_of_their_agency(make_user, office: Agency) -> None:
    from govoffice.directory.services import create_agency

    unit = create_agency(actor=None, code="000.00.01.G22", name_vi="Vụ Tổng hợp", kind="unit", parent=office)
    actor = make_user(Role.CLERK)
    inside = make_user(Role.SPECIALIST, agency=unit)
    assert may(actor, "user.view", inside)


def test_everyone_may_see_themselves(make_user) -> None:
    citizen = make_user(Role.CITIZEN)
    assert may(citizen, "user.view", citizen)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_anonymous_and_inactive_people_may_do_nothing(make_user, office: Agency, action: str) -> None:
    admin = make_user(*Role.values)
    admin.is_active = False
    admin.save()
    assert may(AnonymousUser(), action, office) is False
    assert may(None, action, office) is False
    assert may(User.objects.get(pk=admin.pk), action, office) is False


def test_an_unknown_action_is_denied_even_to_an_administrator(make_user, office: Agency) -> None:
    admin = make_user(*Role.values)
    assert may(admin, "agency.delete_everything", office) is False
