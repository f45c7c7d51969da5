"""The home page: a member's pending ballots and meetings; the secretariat's open ballots."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govoffice.cabinet.models import Ballot, BallotState
from govoffice.cabinet.permissions import is_member, is_staff
from govoffice.cabinet.selectors import pending_ballots, upcoming_meetings
from govoffice.directory.models import User
from govoffice.web.worklist import WorkItem, WorkSection, register

LIMIT = 20


def _person(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


@register
def ballots_to_answer(user: Any) -> WorkSection | None:
    if not _person(user) or not is_member(user):
        return None
    now = timezone.now()
    items = [WorkItem(title=s.ballot.title, url=reverse("cabinet:ballot_detail", args=[s.ballot_id]), due=s.ballot.deadline,
                      urgent=(s.ballot.deadline - now).total_seconds() < 86400, note=_("Written ballot"))
             for s in pending_ballots(user)[:LIMIT]]
    items += [WorkItem(title=m.title, url=reverse("cabinet:meeting_detail", args=[m.pk]), due=m.starts_at,
                       note=f"{m.get_kind_display()} · {m.place}") for m in upcoming_meetings(user)[:LIMIT]]
    return WorkSection(title=gettext_lazy("Ballots and meetings"), items=items, more_url=reverse("cabinet:mine"))


@register
def open_ballots(user: Any) -> WorkSection | None:
    if not _person(user) or not is_staff(user):
        return None
    rows = Ballot.objects.filter(state=BallotState.OPEN).order_by("deadline", "pk")[:LIMIT]
    items = [WorkItem(title=b.title, url=reverse("cabinet:ballot_detail", args=[b.pk]), due=b.deadline, note=_("Open ballot"))
             for b in rows]
    return WorkSection(title=gettext_lazy("Open written ballots"), items=items, more_url=reverse("cabinet:ballot_list"))
