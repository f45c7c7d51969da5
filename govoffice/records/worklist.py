"""What waits for each person on their home page: the clerk's documents to present, the
leader's documents to assign, the handler's documents to handle. Urgent ones first; each
section is one query, however many items it shows."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govoffice.directory.models import Role, User
from govoffice.records.models import Assignment, Incoming, IncomingState, Urgency
from govoffice.records.permissions import LEADERS, visible_to
from govoffice.records.services.handling import OPEN, handled_by
from govoffice.web.worklist import WorkItem, WorkSection, register

LIMIT = 20
_URGENCY = dict(Urgency.choices)


def queue_order(qs: QuerySet[Incoming]) -> QuerySet[Incoming]:
    """Urgent documents still waiting (not done, not returned) jump the queue; then the newest."""
    waiting = Case(
        When(~Q(state__in=(IncomingState.DONE, IncomingState.RETURNED)), then="urgency"),
        default=Value(0), output_field=IntegerField(),
    )
    return qs.annotate(queue=waiting).order_by("-queue", "-arrived_at", "-pk")


def _title(doc: Incoming) -> str:
    parts = [_("No. %(number)s") % {"number": doc.arrival_number}, doc.number_notation, doc.subject]
    return " · ".join(p for p in parts if p)[:300]


def _url(doc: Incoming) -> str:
    return reverse("records:incoming_detail", args=[doc.pk])


def _note(doc: Incoming, *extra: str) -> str:
    parts = [str(_URGENCY[doc.urgency])] if doc.urgency else []
    return " · ".join([*parts, *(e for e in extra if e)])


def _staff(user: Any) -> bool:
    return isinstance(user, User) and user.is_active and user.agency_id is not None


@register
def documents_to_present(user: Any) -> WorkSection | None:
    """The clerk: registered documents not yet presented to a leader."""
    if not _staff(user) or not user.has_role(Role.CLERK):
        return None
    docs = list(
        Incoming.objects.filter(visible_to(user), state__in=(IncomingState.ARRIVED, IncomingState.REGISTERED), presented_to__isnull=True)
        .order_by("-urgency", "arrived_at", "pk")[: LIMIT + 1]
    )
    items = [WorkItem(_title(d), _url(d), d.due_date, d.urgency > 0, _note(d)) for d in docs[:LIMIT]]
    more = reverse("records:incoming_list") + "?state=registered&presented=no" if len(docs) > LIMIT else ""
    return WorkSection(gettext_lazy("Incoming documents to present"), items, more)


@register
def documents_to_assign(user: Any) -> WorkSection | None:
    """A leader: registered documents presented to them; the agency's leaders also see those
    not yet presented to anyone (a department head gets work through assignments to the unit)."""
    if not _staff(user) or not user.has_role(*LEADERS):
        return None
    presented = Q(presented_to=user)
    if user.has_role(Role.OFFICE_LEADER, Role.GOVERNMENT_LEADER):
        presented |= Q(presented_to__isnull=True)
    docs = list(
        Incoming.objects.filter(visible_to(user), state=IncomingState.REGISTERED)
        .filter(presented)
        .order_by("-urgency", F("presented_to").asc(nulls_last=True), "arrived_at", "pk")[: LIMIT + 1]
    )
    items = [
        WorkItem(_title(d), _url(d), d.due_date, d.urgency > 0,
                 _note(d, _("presented to you") if d.presented_to_id == user.pk else ""))
        for d in docs[:LIMIT]
    ]
    more = reverse("records:incoming_list") + "?state=registered" if len(docs) > LIMIT else ""
    return WorkSection(gettext_lazy("Incoming documents to assign"), items, more)


def handler_assignments(user: User) -> Any:
    """Active assignments of open documents that `user` leads or co-ordinates, urgent first."""
    through_people = Assignment.coordinators.through.objects.filter(user=user).values("assignment_id")
    mine = handled_by(user) | Q(pk__in=through_people)
    if user.unit_id is not None:
        through_units = Assignment.coordinating_units.through.objects.filter(agency_id=user.unit_id).values("assignment_id")
        mine |= Q(pk__in=through_units)
    visible = Incoming.objects.filter(visible_to(user)).values("pk")
    return (
        Assignment.objects.filter(mine, active=True, incoming__state__in=OPEN, incoming__in=visible)
        .select_related("incoming")
        .order_by("-incoming__urgency", F("deadline").asc(nulls_last=True), "incoming__arrived_at", "pk")
    )


@register
def documents_to_handle(user: Any) -> WorkSection | None:
    """A handler: documents assigned to them or their unit (leading or co-ordinating), not done."""
    if not _staff(user):
        return None
    rows = list(handler_assignments(user)[: LIMIT + 1])
    if not rows and not user.has_role(Role.SPECIALIST, Role.DEPARTMENT_HEAD):
        return None  # nothing to say to someone who is not usually a handler
    today = timezone.localdate()
    items = []
    for a in rows[:LIMIT]:
        doc = a.incoming
        leads = a.lead_person_id == user.pk or (a.lead_unit_id is not None and a.lead_unit_id == user.unit_id)
        role = _("you lead") if leads else _("you co-ordinate")
        late = _("overdue") if a.deadline is not None and a.deadline < today else ""
        state = _("processing") if doc.state == IncomingState.PROCESSING else ""
        items.append(WorkItem(_title(doc), _url(doc), a.deadline, doc.urgency > 0, _note(doc, role, state, late)))
    more = reverse("records:incoming_list") + "?mine=1" if len(rows) > LIMIT else ""
    return WorkSection(gettext_lazy("Incoming documents to handle"), items, more)
