"""Handling incoming documents (Decree 30, Art. 22-24): a leader assigns a lead unit or person,
co-ordinating ones, a direction and a deadline; the lead handler marks processing and done.
The sender hears 04, 05 and 06 for electronic documents; reminders go out before deadlines."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from govoffice.audit.services import record_event
from govoffice.deadlines import calendar
from govoffice.directory.models import Agency, Role, User
from govoffice.directory.permissions import STAFF_ROLES, may
from govoffice.lib.errors import Conflict, DomainError, Forbidden
from govoffice.records.models import Assignment, Channel, Incoming, IncomingState
from govoffice.records.permissions import visible_to
from govoffice.records.search import reindex

log = logging.getLogger(__name__)
ASSIGNABLE = (IncomingState.REGISTERED, IncomingState.ASSIGNED, IncomingState.PROCESSING)
OPEN = (IncomingState.ASSIGNED, IncomingState.PROCESSING)
MAX_DEADLINE_DAYS = 365


@dataclass
class AssignmentPlan:
    """What a leader decides: who leads, who co-ordinates, the direction, the deadline.

    The deadline is a date, or a number of working days from today (the office's calendar).
    """

    lead_unit: Agency | None = None
    lead_person: User | None = None
    coordinators: list[User] = field(default_factory=list)
    coordinating_units: list[Agency] = field(default_factory=list)
    direction: str = ""
    deadline: dt.date | None = None
    deadline_days: int | None = None


def resolve_deadline(deadline: dt.date | None, days: int | None, today: dt.date | None = None) -> dt.date | None:
    """The deadline as a date: given, or `days` working days after today; never before today."""
    today = today or timezone.localdate()
    if deadline is not None and days is not None:
        raise DomainError("ambiguous_deadline", _("Give a date or a number of working days, not both"), field="deadline", status=422)
    if days is not None:
        if not 1 <= days <= MAX_DEADLINE_DAYS:
            raise DomainError(
                "invalid_deadline", _("The number of working days must be between 1 and %(max)s") % {"max": MAX_DEADLINE_DAYS},
                field="deadline_days", status=422,
            )
        return calendar().add(today, days)
    if deadline is not None and deadline < today:
        raise DomainError("deadline_in_past", _("The deadline cannot be before today"), field="deadline", status=422)
    return deadline


def _within(agency_id: int, unit: Agency) -> bool:
    """True if `unit` is the agency itself or one of its units (any depth)."""
    node: Agency | None = unit
    for _level in range(8):  # the hierarchy is at most four levels; the bound guards against cycles
        if node is None:
            return False
        if node.pk == agency_id:
            return True
        node = node.parent
    return False


def _may_read(person: User, incoming: Incoming) -> bool:
    return (
        person.is_active and person.agency_id == incoming.agency_id
        and person.clearance >= incoming.confidentiality and person.has_role(*STAFF_ROLES)
    )


def _check_plan(incoming: Incoming, plan: AssignmentPlan) -> None:
    if plan.lead_unit is None and plan.lead_person is None:
        raise DomainError("required", _("Choose the lead unit or the lead person"), field="lead_person", status=422)
    if plan.lead_person is not None and not _may_read(plan.lead_person, incoming):
        raise DomainError(
            "cannot_handle", _("%(name)s cannot see this document, so cannot lead it") % {"name": plan.lead_person},
            field="lead_person", status=422,
        )
    if plan.lead_unit is not None and not _within(incoming.agency_id, plan.lead_unit):
        raise DomainError("not_a_unit", _("%(unit)s is not a unit of this agency") % {"unit": plan.lead_unit.name_vi}, field="lead_unit", status=422)
    for person in plan.coordinators:
        if not _may_read(person, incoming):
            raise DomainError(
                "cannot_handle", _("%(name)s cannot see this document, so cannot co-ordinate") % {"name": person},
                field="coordinators", status=422,
            )
    for unit in plan.coordinating_units:
        if not _within(incoming.agency_id, unit):
            raise DomainError("not_a_unit", _("%(unit)s is not a unit of this agency") % {"unit": unit.name_vi}, field="coordinating_units", status=422)
    if len(plan.direction) > 5000:
        raise DomainError("too_long", _("The direction is at most 5,000 characters"), field="direction", status=422)


def _lead_label(assignment: Assignment) -> str:
    parts = [p for p in (assignment.lead_unit.name_vi if assignment.lead_unit else "",
                         str(assignment.lead_person) if assignment.lead_person else "") if p]
    return " – ".join(parts)


def _queue_status(incoming: Incoming, code: str, description: str) -> None:
    """Tell the sender of an electronic document, after commit (paper senders are not on the hub)."""
    if incoming.channel != Channel.ELECTRONIC or not incoming.document_id:
        return
    document_id = incoming.document_id

    def send() -> None:
        from govoffice.records.tasks import send_status, status_key

        send_status(document_id, code, description, status_key(document_id, code))

    transaction.on_commit(send)


def assign_incoming(*, actor: User, incoming: Incoming, plan: AssignmentPlan) -> Assignment:
    """A leader assigns (or reassigns) a document: the old assignment ends, the sender hears 04."""
    if not may(actor, "records.assign", incoming):
        raise Forbidden("forbidden", _("Only a leader who may see this document assigns it"))
    deadline = resolve_deadline(plan.deadline, plan.deadline_days)
    _check_plan(incoming, plan)
    now = timezone.now()
    with transaction.atomic():
        row = Incoming.objects.select_for_update().get(pk=incoming.pk)
        if row.state not in ASSIGNABLE:
            raise Conflict("invalid_state", _("A document that is %(state)s cannot be assigned") % {"state": row.get_state_display()})
        previous = list(Assignment.objects.filter(incoming=row, active=True).values_list("pk", flat=True))
        Assignment.objects.filter(pk__in=previous).update(active=False, ended_at=now)
        assignment = Assignment.objects.create(
            incoming=row, lead_unit=plan.lead_unit, lead_person=plan.lead_person, direction=plan.direction.strip(),
            deadline=deadline, assigned_by=actor, assigned_at=now,
        )
        assignment.coordinators.set(plan.coordinators)
        assignment.coordinating_units.set(plan.coordinating_units)
        row.state = IncomingState.ASSIGNED
        row.receiving_unit = plan.lead_unit
        row.receiving_person = plan.lead_person
        row.save(update_fields=["state", "receiving_unit", "receiving_person"])
        record_event(
            "records.incoming_reassigned" if previous else "records.incoming_assigned", actor=actor, obj=row,
            data={
                "assignment": assignment.pk, "ended": previous,
                "lead_unit": plan.lead_unit.code if plan.lead_unit else None,
                "lead_person": plan.lead_person.username if plan.lead_person else None,
                "coordinators": sorted(p.username for p in plan.coordinators),
                "coordinating_units": sorted(u.code for u in plan.coordinating_units),
                "deadline": deadline.isoformat() if deadline else None,
            },
        )
        reindex("incoming", row.pk)
        text = f"Đã giao {_lead_label(assignment)} chủ trì xử lý"
        if deadline:
            text += f", hạn xử lý {deadline:%d/%m/%Y}"
        _queue_status(row, "04", text[:500])
    return assignment


def _move(actor: User, incoming: Incoming, allowed: tuple[str, ...], to: str, action: str, note: str = "") -> Incoming:
    if not may(actor, "records.handle", incoming):
        raise Forbidden("forbidden", _("Only the lead handler of this document marks its progress"))
    with transaction.atomic():
        row = Incoming.objects.select_for_update().get(pk=incoming.pk)
        if row.state not in allowed:
            raise Conflict("invalid_state", _("A document that is %(state)s cannot be marked so") % {"state": row.get_state_display()})
        row.state = to
        fields = ["state"]
        if to == IncomingState.DONE:
            row.completed_at = timezone.now()
            fields.append("completed_at")
        row.save(update_fields=fields)
        record_event(action, actor=actor, obj=row, data={"note": note.strip()[:1000]} if note.strip() else {})
        reindex("incoming", row.pk)
    return row


def start_processing(*, actor: User, incoming: Incoming) -> Incoming:
    """The lead handler starts work on an assigned document; the sender hears 05."""
    with transaction.atomic():
        row = _move(actor, incoming, (IncomingState.ASSIGNED,), IncomingState.PROCESSING, "records.incoming_processing")
        _queue_status(row, "05", "Đang xử lý")
    return row


def complete_incoming(*, actor: User, incoming: Incoming, note: str = "") -> Incoming:
    """The lead handler marks the document done; the sender hears 06."""
    with transaction.atomic():
        row = _move(actor, incoming, OPEN, IncomingState.DONE, "records.incoming_done", note)
        _queue_status(row, "06", ("Đã xử lý xong. " + note.strip())[:500] if note.strip() else "Đã xử lý xong")
    return row


# Reads worth naming -------------------------------------------------------------------------

def overdue_for(user: User, today: dt.date | None = None) -> QuerySet[Assignment]:
    """Active assignments past their deadline whose document is not done, that `user` may see."""
    today = today or timezone.localdate()
    visible = Incoming.objects.filter(visible_to(user)).values("pk")
    return (
        Assignment.objects.filter(active=True, deadline__lt=today, incoming__state__in=OPEN, incoming__in=visible)
        .select_related("incoming", "lead_unit", "lead_person", "assigned_by")
        .order_by("-incoming__urgency", "deadline", "incoming__arrived_at")
    )


def handled_by(user: User) -> Q:
    """Assignments `user` leads (in person or through their unit)."""
    q = Q(lead_person=user)
    if user.unit_id is not None:
        q |= Q(lead_unit_id=user.unit_id)
    return q


# Reminders ----------------------------------------------------------------------------------

def _reminder_recipients(assignment: Assignment) -> list[User]:
    if assignment.lead_person is not None:
        return [assignment.lead_person] if assignment.lead_person.email else []
    members = User.objects.filter(unit=assignment.lead_unit, is_active=True).exclude(email="")
    heads = [m for m in members.filter(roles__role=Role.DEPARTMENT_HEAD).distinct()]
    return heads or list(members.distinct())


def _reminder_mail(assignment: Assignment, to: User) -> tuple[str, str]:
    doc = assignment.incoming
    deadline = assignment.deadline
    assert deadline is not None
    with translation.override(to.language or "vi"):
        # A secret document's summary never goes into an e-mail.
        summary = doc.subject if doc.confidentiality == 0 else _("(a classified document: read it in govoffice)")
        subject = _("Reminder: incoming document no. %(number)s is due on %(date)s") % {
            "number": doc.arrival_number, "date": f"{deadline:%d/%m/%Y}"}
        url = settings.PUBLIC_URL + reverse("records:incoming_detail", args=[doc.pk])
        body = _(
            "The document you lead is due on %(date)s.\n\nArrival no.: %(number)s\nNumber and notation: %(notation)s\n"
            "From: %(sender)s\nSummary: %(summary)s\nDirection: %(direction)s\n\n%(url)s\n"
        ) % {
            "date": f"{deadline:%d/%m/%Y}", "number": doc.arrival_number, "notation": doc.number_notation or "—",
            "sender": doc.sender_name, "summary": summary, "direction": assignment.direction or "—", "url": url,
        }
    return subject, body


def reminder_horizon(today: dt.date) -> dt.date:
    """The last deadline reminded today: up to settings.RECORDS["reminder_days"] working days ahead."""
    days = settings.RECORDS["reminder_days"]
    return calendar().add(today, days + 1) - dt.timedelta(days=1)


def send_due_reminders(today: dt.date | None = None) -> int:
    """E-mail the handlers of assignments due soon; each assignment is reminded once."""
    today = today or timezone.localdate()
    due = (
        Assignment.objects.filter(
            active=True, reminded_at__isnull=True, deadline__gte=today, deadline__lte=reminder_horizon(today),
            incoming__state__in=OPEN,
        )
        .select_related("incoming__agency", "lead_person", "lead_unit")
        .order_by("deadline", "pk")
    )
    sent = 0
    for assignment in due.iterator(chunk_size=200):
        with transaction.atomic():
            # Claim it first: a second run (or worker) finds nothing left to claim.
            if not Assignment.objects.filter(pk=assignment.pk, reminded_at__isnull=True, active=True).update(reminded_at=timezone.now()):
                continue
            recipients = _reminder_recipients(assignment)
            for person in recipients:
                subject, body = _reminder_mail(assignment, person)
                send_mail(subject, body, None, [person.email])
            record_event(
                "records.deadline_reminder", obj=assignment.incoming, agency=assignment.incoming.agency.code,
                data={"assignment": assignment.pk, "deadline": str(assignment.deadline), "to": [p.username for p in recipients]},
            )
            sent += 1
    return sent
