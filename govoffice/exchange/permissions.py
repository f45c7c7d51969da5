"""Who may use the hub, as one rule set on the directory's `may` (deny by default)."""

from __future__ import annotations

from typing import Any

from govoffice.directory.models import Agency, Role, User
from govoffice.directory.permissions import in_office, register


@register("hub.use")
def _use(user: User, agency: Agency | None) -> bool:
    """An agency's software (API key) or its clerks act for that agency on the hub."""
    return agency is not None and user.agency_id == agency.pk and user.has_role(Role.AGENCY_SYSTEM, Role.CLERK)


@register("hub.operate")
def _operate(user: User, obj: Any) -> bool:
    """The hub's operators, people of the office that runs it: administrators run it, auditors and
    office leaders read its figures. The same roles in a ministry or a province see none of it."""
    return in_office(user) and user.has_role(Role.ADMINISTRATOR, Role.AUDITOR, Role.OFFICE_LEADER)


@register("hub.administer")
def _administer(user: User, obj: Any) -> bool:
    return in_office(user) and user.has_role(Role.ADMINISTRATOR)
