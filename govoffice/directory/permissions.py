"""Every "may this person do this to this object" question of the directory and the shell.

Deny by default: an action not named in RULES is refused for everyone, and a rule is a
function of (user, object) that must return True. Later apps keep their own permissions.py
built on the same `may` and `register` helpers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

from govoffice.directory.models import Agency, ApiKey, Role, User

Rule = Callable[[User, Any], bool]
RULES: dict[str, Rule] = {}


def register(action: str) -> Callable[[Rule], Rule]:
    def wrap(rule: Rule) -> Rule:
        if action in RULES:
            raise ValueError(f"permission rule for {action!r} registered twice")
        RULES[action] = rule
        return rule

    return wrap


def may(user: Any, action: str, obj: Any = None) -> bool:
    """True only if a rule for the action exists and grants it to this active person."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    rule = RULES.get(action)
    if rule is None:
        return False
    return bool(rule(user, obj))


def is_admin(user: User) -> bool:
    return user.has_role(Role.ADMINISTRATOR)


def in_office(user: User) -> bool:
    """The person works in one of this deployment's offices (settings.RECORDS["office_codes"])."""
    agency = user.agency
    return agency is not None and agency.code in settings.RECORDS["office_codes"]


def same_agency(user: User, agency: Agency | None) -> bool:
    """True if the agency is the person's own or one of its units (any depth)."""
    if agency is None or user.agency_id is None:
        return False
    node: Agency | None = agency
    for _ in range(8):  # the hierarchy is at most four levels; the bound guards against cycles
        if node is None:
            return False
        if node.pk == user.agency_id:
            return True
        node = node.parent
    return False


STAFF_ROLES = (
    Role.CLERK,
    Role.SPECIALIST,
    Role.DEPARTMENT_HEAD,
    Role.OFFICE_LEADER,
    Role.GOVERNMENT_LEADER,
    Role.GOVERNMENT_MEMBER,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
)


@register("agency.view")
def _agency_view(user: User, agency: Agency | None) -> bool:
    # The directory of public bodies is readable by every staff member and agency system.
    return user.has_role(*STAFF_ROLES, Role.AGENCY_SYSTEM)


@register("agency.manage")
def _agency_manage(user: User, agency: Agency | None) -> bool:
    return is_admin(user)


@register("user.view")
def _user_view(user: User, other: User | None) -> bool:
    if other is not None and other.pk == user.pk:
        return True
    if is_admin(user):
        return True
    return other is not None and user.has_role(*STAFF_ROLES) and same_agency(user, other.agency)


@register("user.manage")
def _user_manage(user: User, other: User | None) -> bool:
    return is_admin(user)


@register("apikey.manage")
def _apikey_manage(user: User, key: ApiKey | Agency | None) -> bool:
    return is_admin(user)


@register("audit.verify")
def _audit_verify(user: User, obj: Any) -> bool:
    return user.has_role(Role.AUDITOR, Role.ADMINISTRATOR)


@register("audit.view")
def _audit_view(user: User, obj: Any) -> bool:
    return user.has_role(Role.AUDITOR, Role.ADMINISTRATOR)
