"""Who may do what with assigned tasks and inspections (deny by default).

The office's supervision officers see and manage everything. An agency's people (its staff
and its systems' API keys) see the tasks their agency leads or co-ordinates, and the lead
agency's people report progress and ask for extensions. Everyone else sees nothing. The
same rule is the queryset filter `visible_tasks`, used by every list, count and API answer.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q

from govoffice.directory.models import Agency, Role, User
from govoffice.directory.permissions import STAFF_ROLES, register

AGENCY_PEOPLE = (*STAFF_ROLES, Role.AGENCY_SYSTEM, Role.SUPERVISION_OFFICER)


def office_code() -> str:
    """The Government Office's organisation code: its supervision officers oversee every task."""
    conf = getattr(settings, "SUPERVISION", {})
    return str(conf.get("office_code", "000.00.00.G22"))


def is_officer(user: User) -> bool:
    """A supervision officer of the Government Office."""
    return (
        user.is_active and user.agency_id is not None and user.has_role(Role.SUPERVISION_OFFICER)
        and user.agency is not None and user.agency.code == office_code()
    )


def _agency_person(user: User) -> bool:
    return user.is_active and user.agency_id is not None and user.has_role(*AGENCY_PEOPLE)


def visible_tasks(user: User) -> Q:
    """The tasks `user` may see, as a filter (an agency's own: led or co-ordinated)."""
    if is_officer(user):
        return Q()
    if not _agency_person(user):
        return Q(pk__in=[])
    own = user.agency_id
    return (
        Q(lead_agency_id=own) | Q(lead_agency__parent_id=own)
        | Q(pk__in=_coordinated(own))
    )


def _coordinated(agency_id: int | None) -> Any:
    from govoffice.supervision.models import Task

    return Task.coordinating_agencies.through.objects.filter(
        Q(agency_id=agency_id) | Q(agency__parent_id=agency_id)
    ).values("task_id")


def leads(user: User, task: Any) -> bool:
    """The person belongs to the task's lead agency (or the lead is a unit of their agency)."""
    lead: Agency = task.lead_agency
    return _agency_person(user) and (lead.pk == user.agency_id or lead.parent_id == user.agency_id)


@register("supervision.view")
def _view(user: User, task: Any) -> bool:
    if task is None:
        return False
    if is_officer(user) or leads(user, task):
        return True
    if not _agency_person(user):
        return False
    return task.coordinating_agencies.filter(Q(pk=user.agency_id) | Q(parent_id=user.agency_id)).exists()


@register("supervision.manage")
def _manage(user: User, obj: Any) -> bool:
    """Create tasks, decide on extensions, plan inspections: the office's supervision officers."""
    return is_officer(user)


@register("supervision.report")
def _report(user: User, task: Any) -> bool:
    """Report progress and ask for an extension: the lead agency's people."""
    return task is not None and leads(user, task)


@register("supervision.rate")
def _rate(user: User, agency: Any) -> bool:
    """The overdue rate: officers for any scope; an agency's people for their own agency."""
    if is_officer(user):
        return True
    return agency is not None and _agency_person(user) and agency.pk == user.agency_id


@register("supervision.inspections")
def _inspections(user: User, obj: Any) -> bool:
    return is_officer(user)
