"""Who may do what with feedback (deny by default, on directory.permissions `may`).

The office's portal officers (Role.PORTAL_OFFICER of the configured office, 000.00.00.G22)
triage, forward, moderate and publish. Staff of the agency a piece was forwarded to read it
and answer it on their page. Submitters need no account: their receipt code and the token in
their e-mail are what they hold.
"""

from __future__ import annotations

from typing import Any

from govoffice.directory.models import Role, User
from govoffice.directory.permissions import register, same_agency
from govoffice.portal.feedback.conf import conf

ANSWERERS = (Role.PORTAL_OFFICER, Role.SPECIALIST, Role.DEPARTMENT_HEAD, Role.OFFICE_LEADER, Role.CLERK)
ANSWERABLE = ("forwarded", "processing")


def is_office_officer(user: User) -> bool:
    return (
        user.agency is not None
        and user.agency.code == conf("office_code")
        and user.has_role(Role.PORTAL_OFFICER)
    )


def answers_for(user: User, feedback: Any) -> bool:
    """Staff of the agency (or one of its units) the piece was forwarded to."""
    return (
        feedback is not None
        and feedback.forwarded_to_id is not None
        and user.has_role(*ANSWERERS)
        and same_agency(user, feedback.forwarded_to)
    )


@register("feedback.triage")
def _triage(user: User, feedback: Any) -> bool:
    return is_office_officer(user)


@register("feedback.moderate")
def _moderate(user: User, feedback: Any) -> bool:
    return is_office_officer(user)


@register("feedback.view")
def _view(user: User, feedback: Any) -> bool:
    return is_office_officer(user) or answers_for(user, feedback)


@register("feedback.answer")
def _answer(user: User, feedback: Any) -> bool:
    return answers_for(user, feedback) and feedback.state in ANSWERABLE


@register("feedback.agency_inbox")
def _agency_inbox(user: User, agency: Any) -> bool:
    """The page listing what was forwarded to the person's agency."""
    return agency is not None and user.has_role(*ANSWERERS) and same_agency(user, agency)


@register("feedback.statistics")
def _statistics(user: User, obj: Any) -> bool:
    return is_office_officer(user) or user.has_role(Role.OFFICE_LEADER, Role.AUDITOR, Role.ADMINISTRATOR)
