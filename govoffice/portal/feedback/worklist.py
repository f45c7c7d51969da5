"""Home page sections: feedback waiting for the office's triage or review, and for an agency's answer."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from govoffice.directory.models import User
from govoffice.directory.permissions import may
from govoffice.portal.feedback.models import Feedback, State
from govoffice.portal.feedback.permissions import is_office_officer
from govoffice.web.worklist import WorkItem, WorkSection, register

LIMIT = 20


@register
def feedback_for_the_office(user: Any) -> WorkSection | None:
    if not isinstance(user, User) or not user.is_active or not is_office_officer(user):
        return None
    rows = list(Feedback.objects.filter(state__in=[State.RECEIVED, State.RETURNED, State.ANSWERED])
                .order_by("received_at", "pk").only("pk", "code", "subject", "state")[: LIMIT + 1])
    items = [WorkItem(f"{r.code}: {r.subject}"[:300], reverse("feedback:office_detail", args=[r.pk]), None,
                      False, str(State(r.state).label)) for r in rows[:LIMIT]]
    return WorkSection(gettext_lazy("Feedback waiting for triage or review"), items,
                       reverse("feedback:office_list") if len(rows) > LIMIT else "")


@register
def feedback_for_an_agency(user: Any) -> WorkSection | None:
    if not isinstance(user, User) or user.agency is None or not may(user, "feedback.agency_inbox", user.agency):
        return None
    rows = list(Feedback.objects.filter(forwarded_to=user.agency, state__in=[State.FORWARDED, State.PROCESSING])
                .order_by("forwarded_at", "pk").only("pk", "code", "subject", "state")[: LIMIT + 1])
    if not rows:
        return None
    items = [WorkItem(f"{r.code}: {r.subject}"[:300], reverse("feedback:agency_detail", args=[r.pk])) for r in rows[:LIMIT]]
    return WorkSection(gettext_lazy("Feedback forwarded to your agency"), items,
                       reverse("feedback:agency_list") if len(rows) > LIMIT else "")
