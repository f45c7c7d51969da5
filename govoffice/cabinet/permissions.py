"""Who may do what in the e-cabinet (deny by default).

The cabinet secretariat (Role.CABINET_STAFF) prepares meetings and ballots and sees all of
them. A government member sees only the meetings they attend and the ballots sent to them,
and only their own answers. Nobody else sees anything: not other staff, not auditors (they
read the audit log), not agency systems.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from govoffice.cabinet.models import Answer, Ballot, BallotState, Meeting, MeetingState
from govoffice.directory.models import Role, User
from govoffice.directory.permissions import register


def is_staff(user: User) -> bool:
    return user.has_role(Role.CABINET_STAFF)


def is_member(user: User) -> bool:
    return user.has_role(Role.GOVERNMENT_MEMBER)


def meetings_visible_to(user: User) -> Q:
    if not user.is_active:
        return Q(pk__in=[])
    if is_staff(user):
        return Q()
    if is_member(user):
        return Q(attendees__user=user)
    return Q(pk__in=[])


def ballots_visible_to(user: User) -> Q:
    if not user.is_active:
        return Q(pk__in=[])
    if is_staff(user):
        return Q()
    if is_member(user):
        return Q(members__member=user) & ~Q(state=BallotState.DRAFT)
    return Q(pk__in=[])


def _attends(user: User, meeting: Meeting) -> bool:
    return is_member(user) and meeting.attendees.filter(user=user).exists()


def _seated(user: User, ballot: Ballot) -> bool:
    return is_member(user) and ballot.state != BallotState.DRAFT and ballot.members.filter(member=user).exists()


@register("cabinet.manage")
def _manage(user: User, obj: Any) -> bool:
    """Prepare, run and close meetings and ballots."""
    return is_staff(user)


@register("cabinet.view_meeting")
def _view_meeting(user: User, meeting: Any) -> bool:
    if not isinstance(meeting, Meeting):
        return False
    return is_staff(user) or _attends(user, meeting)


@register("cabinet.mark_position")
def _mark_position(user: User, meeting: Any) -> bool:
    return isinstance(meeting, Meeting) and meeting.state == MeetingState.PLANNED and _attends(user, meeting)


@register("cabinet.view_ballot")
def _view_ballot(user: User, ballot: Any) -> bool:
    if not isinstance(ballot, Ballot):
        return False
    return is_staff(user) or _seated(user, ballot)


@register("cabinet.answer")
def _answer(user: User, ballot: Any) -> bool:
    """Only a member the ballot was sent to answers (the deadline is the service's business)."""
    return isinstance(ballot, Ballot) and _seated(user, ballot)


@register("cabinet.view_results")
def _view_results(user: User, ballot: Any) -> bool:
    """Everyone's answers and the tally: the secretariat only."""
    return isinstance(ballot, Ballot) and is_staff(user)


@register("cabinet.view_answer")
def _view_answer(user: User, answer: Any) -> bool:
    if not isinstance(answer, Answer):
        return False
    return is_staff(user) or (is_member(user) and answer.member_id == user.pk)
