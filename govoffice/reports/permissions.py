"""Who may see which report (deny by default; a matrix test covers every role).

Reports show counts and lists of the office's work, so each is for the office's own staff in
the role that needs it: the clerk's day for clerks, the leader's view for leaders, the
national view and the annual report for the office's leadership, its auditors and its
administrators. Lists inside a report still pass through records.permissions.visible_to, so a
secret document never shows where its reader may not see it.
"""

from __future__ import annotations

from typing import Any

from govoffice.directory.models import Role, User
from govoffice.directory.permissions import in_office, register

LEADERS = (Role.DEPARTMENT_HEAD, Role.OFFICE_LEADER, Role.GOVERNMENT_LEADER)
OVERSIGHT = (Role.OFFICE_LEADER, Role.GOVERNMENT_LEADER, Role.AUDITOR, Role.ADMINISTRATOR)


@register("reports.clerk_day")
def _clerk_day(user: User, obj: Any) -> bool:
    return in_office(user) and user.has_role(Role.CLERK)


@register("reports.leader")
def _leader(user: User, obj: Any) -> bool:
    return in_office(user) and user.has_role(*LEADERS)


@register("reports.national")
def _national(user: User, obj: Any) -> bool:
    return in_office(user) and user.has_role(*OVERSIGHT, Role.SUPERVISION_OFFICER)


@register("reports.annual")
def _annual(user: User, obj: Any) -> bool:
    return in_office(user) and user.has_role(*OVERSIGHT, Role.DEPARTMENT_HEAD, Role.SUPERVISION_OFFICER)
