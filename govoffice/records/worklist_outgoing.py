"""Home page sections for submissions and outgoing documents: what waits for a decision, a
revision, a review, a signature or a number. Urgent first; one query per section."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from govoffice.directory.models import Role, User
from govoffice.records.models import Outgoing, OutgoingState, Submission, SubmissionState, Urgency
from govoffice.records.permissions import LEADERS, visible_to
from govoffice.web.worklist import WorkItem, WorkSection, register

LIMIT = 20
_URGENCY = dict(Urgency.choices)


def _staff(user: Any) -> bool:
    return isinstance(user, User) and user.is_active and user.agency_id is not None


def _submission_items(rows: list[Submission]) -> list[WorkItem]:
    return [
        WorkItem(row.title[:300], reverse("records:submission_detail", args=[row.pk]), None, row.urgency > 0,
                 str(_URGENCY[row.urgency]) if row.urgency else "")
        for row in rows[:LIMIT]
    ]


def _outgoing_items(rows: list[Outgoing]) -> list[WorkItem]:
    return [
        WorkItem(f"{row.get_doc_type_display()}: {row.subject}"[:300], reverse("records:outgoing_detail", args=[row.pk]),
                 None, row.urgency > 0, str(_URGENCY[row.urgency]) if row.urgency else "")
        for row in rows[:LIMIT]
    ]


def _more(rows: list[Any], url: str) -> str:
    return url if len(rows) > LIMIT else ""


@register
def submissions_to_decide(user: Any) -> WorkSection | None:
    """A leader: submissions waiting for their decision."""
    if not _staff(user) or not user.has_role(*LEADERS):
        return None
    rows = list(Submission.objects.filter(visible_to(user), current_reviewer=user, state=SubmissionState.IN_REVIEW)
                .order_by("-urgency", "submitted_at", "pk")[: LIMIT + 1])
    return WorkSection(gettext_lazy("Submissions waiting for your decision"), _submission_items(rows),
                       _more(rows, reverse("records:submission_list") + "?show=waiting"))


@register
def submissions_returned(user: Any) -> WorkSection | None:
    """A drafter: their submissions returned with comments."""
    if not _staff(user):
        return None
    rows = list(Submission.objects.filter(visible_to(user), created_by=user, state=SubmissionState.RETURNED)
                .order_by("-urgency", "-pk")[: LIMIT + 1])
    if not rows:
        return None
    return WorkSection(gettext_lazy("Your submissions returned with comments"), _submission_items(rows),
                       _more(rows, reverse("records:submission_list") + "?show=mine"))


@register
def documents_to_review_or_sign(user: Any) -> WorkSection | None:
    """A leader: drafts to review and approved documents to sign."""
    if not _staff(user) or not user.has_role(*LEADERS):
        return None
    rows = list(
        Outgoing.objects.filter(visible_to(user))
        .filter(Q(reviewer=user, state=OutgoingState.REVIEW) | Q(signer=user, state=OutgoingState.APPROVED))
        .order_by("-urgency", "pk")[: LIMIT + 1]
    )
    return WorkSection(gettext_lazy("Documents to review or sign"), _outgoing_items(rows),
                       _more(rows, reverse("records:outgoing_list") + "?show=waiting"))


@register
def documents_to_issue(user: Any) -> WorkSection | None:
    """A clerk: signed documents waiting for their number."""
    if not _staff(user) or not user.has_role(Role.CLERK):
        return None
    rows = list(Outgoing.objects.filter(visible_to(user), state=OutgoingState.SIGNED).order_by("-urgency", "signed_at", "pk")[: LIMIT + 1])
    return WorkSection(gettext_lazy("Signed documents to number and issue"), _outgoing_items(rows),
                       _more(rows, reverse("records:outgoing_list") + "?show=waiting"))
