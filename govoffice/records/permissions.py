"""Who may do what with the office's documents (deny by default).

Confidentiality (Decree 30: Mật, Tối mật, Tuyệt mật) is one rule everywhere: a person sees a
document only if it belongs to their agency and their clearance reaches its level. The same
rule is the queryset filter `visible_to`, used by every list, count, search, export and API
answer, so a secret document never shows up where its reader may not see it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from govoffice.directory.models import Role, User
from govoffice.directory.permissions import STAFF_ROLES, register

LEADERS = (Role.DEPARTMENT_HEAD, Role.OFFICE_LEADER, Role.GOVERNMENT_LEADER)
DRAFTERS = (Role.SPECIALIST, Role.DEPARTMENT_HEAD, Role.OFFICE_LEADER)


def visible_to(user: User) -> Q:
    """The documents (incoming, outgoing, submissions) `user` may see, as a filter."""
    if not user.is_active or user.agency_id is None or not user.has_role(*STAFF_ROLES):
        return Q(pk__in=[])
    return Q(agency_id=user.agency_id, confidentiality__lte=user.clearance)


def can_see(user: User, obj: Any) -> bool:
    return (
        obj is not None
        and user.agency_id is not None
        and obj.agency_id == user.agency_id
        and user.clearance >= obj.confidentiality
        and user.has_role(*STAFF_ROLES)
    )


@register("records.view")
def _view(user: User, obj: Any) -> bool:
    return can_see(user, obj)


@register("records.register")
def _register(user: User, obj: Any) -> bool:
    """Clerks register, number and return documents of their own agency."""
    return obj is not None and obj.pk == user.agency_id and user.has_role(Role.CLERK)


@register("records.return")
def _return(user: User, incoming: Any) -> bool:
    return can_see(user, incoming) and user.has_role(Role.CLERK)


@register("records.assign")
def _assign(user: User, incoming: Any) -> bool:
    return can_see(user, incoming) and user.has_role(*LEADERS)


@register("records.handle")
def _handle(user: User, incoming: Any) -> bool:
    """The lead handler (person, or a member of the lead unit) moves it to processing and done."""
    if not can_see(user, incoming):
        return False
    for assignment in incoming.assignments.filter(active=True):
        if assignment.lead_person_id == user.pk:
            return True
        if assignment.lead_unit_id is not None and assignment.lead_unit_id == user.unit_id:
            return True
    return False


@register("records.draft")
def _draft(user: User, agency: Any) -> bool:
    return agency is not None and agency.pk == user.agency_id and user.has_role(*DRAFTERS)


@register("records.review")
def _review(user: User, obj: Any) -> bool:
    """The person whose turn it is on a submission or a draft in review."""
    return can_see(user, obj) and getattr(obj, "current_reviewer_id", None) == user.pk


@register("records.approve")
def _approve(user: User, outgoing: Any) -> bool:
    return can_see(user, outgoing) and user.has_role(*LEADERS)


@register("records.sign")
def _sign(user: User, outgoing: Any) -> bool:
    """Only the designated signer signs, and only with the leader's role."""
    return can_see(user, outgoing) and outgoing.signer_id == user.pk and user.has_role(*LEADERS)


@register("records.issue")
def _issue(user: User, outgoing: Any) -> bool:
    return can_see(user, outgoing) and user.has_role(Role.CLERK)


@register("records.read_register")
def _read_register(user: User, agency: Any) -> bool:
    """The agency's staff read its incoming register (each line still filtered by visible_to)."""
    return agency is not None and agency.pk == user.agency_id and user.has_role(*STAFF_ROLES)


@register("records.oversee")
def _oversee(user: User, agency: Any) -> bool:
    """Leaders of the agency follow its handling: the overdue list."""
    return agency is not None and agency.pk == user.agency_id and user.has_role(*LEADERS)
