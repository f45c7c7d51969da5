"""Reads of the e-cabinet worth naming: a member's pending work, lists, the annual figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from govoffice.cabinet.models import Ballot, BallotMember, BallotState, Meeting, MeetingState
from govoffice.cabinet.permissions import ballots_visible_to, meetings_visible_to
from govoffice.directory.models import User


def pending_ballots(user: User) -> QuerySet[BallotMember]:
    """The open ballots sent to `user` that they have not answered, nearest deadline first (one query)."""
    return (BallotMember.objects.filter(member=user, answered_at__isnull=True, ballot__state=BallotState.OPEN)
            .select_related("ballot").order_by("ballot__deadline", "ballot_id"))


def upcoming_meetings(user: User) -> QuerySet[Meeting]:
    """Planned meetings `user` attends, from today on."""
    start = timezone.now() - dt.timedelta(hours=12)
    return (Meeting.objects.filter(attendees__user=user, state=MeetingState.PLANNED, starts_at__gte=start)
            .select_related("chair").order_by("starts_at", "pk"))


def meetings_for(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(meetings_visible_to(user)).distinct().select_related("chair")


def ballots_for(user: User) -> QuerySet[Ballot]:
    return Ballot.objects.filter(ballots_visible_to(user)).distinct()


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def annual_figures(year: int) -> dict[str, int | float | str]:
    """cabinet_sessions: meetings held (closed) whose date falls in the year; cabinet_ballots: ballots closed in the year.

    Years run on Vietnam's calendar (Asia/Ho_Chi_Minh), like every date the office shows.
    """
    start, end = _year_bounds(year)
    sessions = Meeting.objects.filter(state=MeetingState.CLOSED, starts_at__gte=start, starts_at__lt=end).count()
    ballots = Ballot.objects.filter(state=BallotState.CLOSED, closed_at__gte=start, closed_at__lt=end).count()
    return {"cabinet_sessions": sessions, "cabinet_ballots": ballots}


def late_members(ballot: Ballot) -> list[Any]:
    """Members flagged late (after close), or, while open past the deadline, those who have not answered."""
    seats = ballot.members.select_related("member")
    if ballot.state == BallotState.CLOSED:
        return [s.member for s in seats.filter(late=True)]
    if ballot.deadline <= timezone.now():
        return [s.member for s in seats.filter(answered_at__isnull=True)]
    return []
