"""Tasks: assign, report progress, ask for and decide on extensions, complete, remind.

Each write runs in one transaction with its audit event; a refused request changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govoffice.audit.services import record_event
from govoffice.deadlines import calendar
from govoffice.directory.models import Agency, Role, User
from govoffice.directory.permissions import may
from govoffice.lib.errors import Conflict, DomainError, Forbidden, NotFound
from govoffice.lib.vntext import fold
from govoffice.records.models import Outgoing, OutgoingState
from govoffice.supervision.models import (
    Assigner,
    Channel,
    CodeCounter,
    DeadlineChange,
    Extension,
    ExtensionState,
    Finding,
    Importance,
    ProgressReport,
    Source,
    Task,
)
from govoffice.supervision.selectors import TASK_DOC_TYPES

REMINDED_ROLES = (Role.CLERK, Role.SPECIALIST, Role.DEPARTMENT_HEAD, Role.OFFICE_LEADER)


def conf(name: str, default: Any) -> Any:
    return getattr(settings, "SUPERVISION", {}).get(name, default)


def dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def parse_assigner(text: str) -> str:
    """A choice value, or its Vietnamese or English name ("Thủ tướng", "Phó Thủ tướng Lê Minh Khái")."""
    value = (text or "").strip()
    if value in Assigner.values:
        return value
    folded = fold(value)
    if folded.startswith(("pho thu tuong", "deputy prime minister", "a deputy prime minister")):
        return Assigner.DEPUTY_PRIME_MINISTER
    if folded in ("thu tuong", "thu tuong chinh phu", "prime minister", "the prime minister", "ttg"):
        return Assigner.PRIME_MINISTER
    if folded in ("chinh phu", "government", "the government", "cp"):
        return Assigner.GOVERNMENT
    raise DomainError("invalid_choice", _("Unknown assigner “%(value)s”: the Government, the Prime Minister or a Deputy Prime Minister") % {"value": value}, field="assigner")


@dataclass
class TaskDraft:
    content: str
    assigner: str
    lead_agency: str  # organisation code
    coordinating_agencies: list[str] = field(default_factory=list)
    assigned_on: dt.date | None = None  # default: the source document's issue date, or today
    deadline: dt.date | None = None
    deadline_days: int | None = None  # working days after the assignment, instead of a date
    importance: int = Importance.NORMAL
    assigner_name: str = ""
    source: str = Source.DOCUMENT
    source_document_id: int | None = None
    source_ref: str = ""


@dataclass
class Checked:
    lead: Agency
    coordinating: list[Agency]
    assigned_on: dt.date
    deadline: dt.date | None
    document: Outgoing | None
    assigner: str


def agencies_by_code(codes: list[str], field_name: str) -> list[Agency]:
    wanted = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    asked = [c for c in wanted if "\x00" not in c]  # a code with a NUL names nothing (PostgreSQL cannot compare it)
    found = {a.code: a for a in Agency.objects.filter(code__in=asked, active=True)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise DomainError("unknown_agency", _("No active agency %(code)s in the directory") % {"code": missing[0]}, field=field_name)
    return [found[c] for c in wanted]


def check_draft(draft: TaskDraft, *, today: dt.date | None = None) -> Checked:
    """Every rule a new task must meet; raises the first DomainError, naming its field."""
    today = today or timezone.localdate()
    if not draft.content.strip():
        raise DomainError("required", _("Say what the task is"), field="content")
    assigner = parse_assigner(draft.assigner)
    if draft.importance not in Importance.values:
        raise DomainError("invalid_choice", _("Unknown importance"), field="importance")
    if draft.source not in Source.values:
        raise DomainError("invalid_choice", _("Unknown source"), field="source")
    if not draft.lead_agency.strip():
        raise DomainError("required", _("Name the lead agency"), field="lead_agency")
    lead = agencies_by_code([draft.lead_agency], "lead_agency")[0]
    coordinating = agencies_by_code(draft.coordinating_agencies, "coordinating_agencies")
    if any(a.pk == lead.pk for a in coordinating):
        raise DomainError("lead_also_coordinating", _("The lead agency cannot also co-ordinate"), field="coordinating_agencies")
    document = None
    if draft.source_document_id is not None:
        document = Outgoing.objects.filter(pk=draft.source_document_id).first()
        if document is None or document.state != OutgoingState.ISSUED:
            raise DomainError("unknown_document", _("No issued document with this id"), field="source_document")
        if document.doc_type not in TASK_DOC_TYPES:
            raise DomainError("invalid_document", _("Tasks come from a decision, a directive or a conclusion notice"), field="source_document")
    elif draft.source == Source.DOCUMENT and not draft.source_ref.strip():
        raise DomainError("required", _("Name the document the task comes from"), field="source_ref")
    assigned_on = draft.assigned_on
    if assigned_on is None:
        assigned_on = timezone.localdate(document.issued_at) if document is not None and document.issued_at else today
    if assigned_on > today:
        raise DomainError("assigned_in_future", _("The assignment date cannot be after today"), field="assigned_on")
    deadline = draft.deadline
    if draft.deadline_days is not None:
        if draft.deadline is not None:
            raise DomainError("deadline_twice", _("Give a deadline date or a number of working days, not both"), field="deadline")
        if draft.deadline_days < 1:
            raise DomainError("invalid_deadline", _("The number of working days must be at least 1"), field="deadline")
        deadline = calendar().add(assigned_on, draft.deadline_days)
    if deadline is not None and deadline < assigned_on:
        raise DomainError(
            "deadline_before_assignment",
            _("The deadline %(deadline)s is before the assignment on %(assigned)s") % {"deadline": dmy(deadline), "assigned": dmy(assigned_on)},
            field="deadline",
        )
    return Checked(lead, coordinating, assigned_on, deadline, document, assigner)


def next_codes(prefix: str, year: int, count: int = 1) -> list[str]:
    """Reserve `count` consecutive codes PREFIX-YEAR-NNNNNN (the counter row is locked)."""
    key = f"{prefix}-{year}"
    CodeCounter.objects.get_or_create(key=key)
    counter = CodeCounter.objects.select_for_update().get(key=key)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    width = 6 if prefix == "NV" else 3
    return [f"{key}-{n:0{width}d}" for n in range(first, first + count)]


def _insert(draft: TaskDraft, checked: Checked, *, actor: User | None, finding: Finding | None = None,
            idempotency_key: str | None = None) -> Task:
    task = Task(
        code=next_codes("NV", checked.assigned_on.year)[0], content=draft.content.strip(), assigner=checked.assigner,
        assigner_name=draft.assigner_name.strip()[:255], lead_agency=checked.lead, assigned_on=checked.assigned_on,
        deadline=checked.deadline, importance=draft.importance, source=draft.source, source_document=checked.document,
        source_ref=(draft.source_ref.strip() or (checked.document.notation if checked.document else ""))[:255],
        finding=finding, created_by=actor, idempotency_key=idempotency_key,
    )
    task.save()
    task.coordinating_agencies.set(checked.coordinating)
    record_event("supervision.task_created", actor=actor, obj=task, data={
        "code": task.code, "lead_agency": checked.lead.code, "assigner": task.assigner, "source": task.source,
        "source_ref": task.source_ref, "assigned_on": str(task.assigned_on),
        "deadline": str(task.deadline) if task.deadline else None,
        "coordinating": [a.code for a in checked.coordinating],
    })
    return task


def create_task(*, actor: User | None, draft: TaskDraft, idempotency_key: str | None = None,
                finding: Finding | None = None, system: bool = False) -> Task:
    """Assign a task (the office's supervision officer, or the system for a meeting's conclusions)."""
    if not system and not may(actor, "supervision.manage"):
        raise Forbidden("forbidden", _("Only the office's supervision officers create tasks"))
    if idempotency_key:
        existing = Task.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    checked = check_draft(draft)
    try:
        with transaction.atomic():
            return _insert(draft, checked, actor=actor, finding=finding, idempotency_key=idempotency_key)
    except IntegrityError:
        existing = Task.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if existing is None:
            raise
        return existing


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update(of=("self",)).select_related("lead_agency").get(pk=task.pk)


def _closed(task: Task) -> Conflict:
    assert task.completed_on is not None
    return Conflict("task_closed", _("Task %(code)s was completed on %(day)s: it is closed") % {"code": task.code, "day": dmy(task.completed_on)})


def report_progress(*, actor: User | None, task: Task, note: str, complete: bool = False, percent: int | None = None,
                    channel: str = Channel.PAGE, agency: Agency | None = None, hub_message_id: str = "",
                    idempotency_key: str | None = None) -> ProgressReport:
    """The lead agency reports progress; a report that completes the task closes it."""
    if channel == Channel.HUB:
        # The hub checked the status's signature: its sender is who it says it is.
        if agency is None or agency.pk != task.lead_agency_id:
            raise Forbidden("not_lead_agency", _("Only the lead agency reports on this task"))
    elif actor is None or not may(actor, "supervision.report", task):
        raise Forbidden("forbidden", _("Only the lead agency's people report progress on this task"))
    reporting_agency = agency or (actor.agency if actor is not None else None)
    assert reporting_agency is not None
    if idempotency_key:
        again = ProgressReport.objects.filter(task=task, idempotency_key=idempotency_key).first()
        if again is not None:
            return again
    text = (note or "").strip()
    if not text:
        raise DomainError("required", _("Say what was done"), field="note")
    if percent is not None and not 0 <= percent <= 100:
        raise DomainError("invalid_percent", _("The share done is between 0 and 100"), field="percent")
    with transaction.atomic():
        row = _locked(task)
        if row.completed_on is not None:
            raise _closed(row)
        now = timezone.now()
        report = ProgressReport.objects.create(
            task=row, agency=reporting_agency, reported_by=actor, channel=channel, note=text[:5000],
            percent=100 if complete else percent, completes=complete, at=now, hub_message_id=hub_message_id[:64],
            idempotency_key=idempotency_key,
        )
        row.last_progress_at = now
        fields = ["last_progress_at"]
        if complete:
            row.completed_on, row.completed_at = timezone.localdate(now), now
            fields += ["completed_on", "completed_at"]
        row.save(update_fields=fields)
        record_event("supervision.task_completed" if complete else "supervision.progress_reported", actor=actor, obj=row,
                     agency=reporting_agency.code, data={"code": row.code, "channel": channel, "percent": report.percent,
                                                         "note": text[:300], "hub_message": hub_message_id or None})
    task.refresh_from_db()
    return report


def request_extension(*, actor: User, task: Task, requested_deadline: dt.date | None, reason: str) -> Extension:
    """The lead agency asks for a later deadline; the office decides."""
    if not may(actor, "supervision.report", task):
        raise Forbidden("forbidden", _("Only the lead agency's people ask for an extension of this task"))
    if requested_deadline is None:
        raise DomainError("required", _("Give the deadline you ask for"), field="requested_deadline")
    if not (reason or "").strip():
        raise DomainError("required", _("Say why more time is needed"), field="reason")
    with transaction.atomic():
        row = _locked(task)
        if row.completed_on is not None:
            raise _closed(row)
        if row.deadline is None:
            raise Conflict("no_deadline", _("This task has no deadline to extend"))
        if requested_deadline <= row.deadline:
            raise DomainError("deadline_not_later", _("The new deadline must be after the current one, %(day)s") % {"day": dmy(row.deadline)},
                              field="requested_deadline")
        if Extension.objects.filter(task=row, state=ExtensionState.PENDING).exists():
            raise Conflict("extension_pending", _("An extension request for this task already waits for a decision"))
        ext = Extension.objects.create(task=row, requested_by=actor, requested_at=timezone.now(), current_deadline=row.deadline,
                                       requested_deadline=requested_deadline, reason=reason.strip()[:5000])
        record_event("supervision.extension_requested", actor=actor, obj=row,
                     data={"code": row.code, "extension": ext.pk, "from": str(row.deadline), "to": str(requested_deadline)})
    return ext


def decide_extension(*, actor: User, extension: Extension, approve: bool, note: str = "") -> Extension:
    """The office's supervision officer approves (the deadline moves, the old one is kept) or refuses."""
    if not may(actor, "supervision.manage"):
        raise Forbidden("forbidden", _("Only the office's supervision officers decide on extensions"))
    if not approve and not (note or "").strip():
        raise DomainError("required", _("Say why the extension is refused"), field="note")
    from govoffice.notify.services import send_notice

    with transaction.atomic():
        task = _locked(extension.task)
        ext = Extension.objects.select_for_update(of=("self",)).select_related("requested_by").get(pk=extension.pk)
        if ext.state != ExtensionState.PENDING:
            raise Conflict("already_decided", _("This request was already decided"))
        if task.completed_on is not None:
            raise _closed(task)
        now = timezone.now()
        ext.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        ext.decided_by, ext.decided_at, ext.decision_note = actor, now, (note or "").strip()[:5000]
        ext.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        if approve:
            assert task.deadline is not None
            DeadlineChange.objects.create(task=task, old_deadline=task.deadline, new_deadline=ext.requested_deadline,
                                          effective_on=timezone.localdate(now), extension=ext, changed_by=actor, at=now)
            task.deadline = ext.requested_deadline
            task.save(update_fields=["deadline"])
        record_event("supervision.extension_approved" if approve else "supervision.extension_refused", actor=actor, obj=task,
                     data={"code": task.code, "extension": ext.pk, "deadline": str(task.deadline), "note": ext.decision_note[:300]})
        verdict = _("approved") if approve else _("refused")
        send_notice(
            to=ext.requested_by, kind="supervision.extension_decided", ref=f"task:{task.code}", actor=actor,
            subject=_("Extension of task %(code)s %(verdict)s") % {"code": task.code, "verdict": verdict},
            body=_("Your request to move the deadline of task %(code)s to %(day)s was %(verdict)s.\n%(note)s") % {
                "code": task.code, "day": dmy(ext.requested_deadline), "verdict": verdict, "note": ext.decision_note},
        )
    return ext


def reminder_horizon(today: dt.date) -> dt.date:
    """The last deadline reminded today: up to SUPERVISION["reminder_days"] working days ahead (default 3)."""
    days = int(conf("reminder_days", 3))
    return calendar().add(today, days + 1) - dt.timedelta(days=1)


def lead_people(agency: Agency) -> list[User]:
    return list(
        User.objects.filter(agency=agency, is_active=True, roles__role__in=REMINDED_ROLES).exclude(email="").distinct().order_by("username")
    )


def send_task_reminders(today: dt.date | None = None) -> int:
    """Remind the lead agency's people of tasks due soon; once per deadline (an extension re-arms it)."""
    from govoffice.notify.services import send_notice

    today = today or timezone.localdate()
    due = Task.objects.filter(completed_on__isnull=True, deadline__gte=today, deadline__lte=reminder_horizon(today)).select_related("lead_agency")
    sent = 0
    for task in due.order_by("deadline", "pk").iterator(chunk_size=200):
        if task.reminded_for == task.deadline:
            continue
        with transaction.atomic():
            # Claim it first: a second run (or worker) finds nothing left to claim.
            if not Task.objects.filter(pk=task.pk, deadline=task.deadline, completed_on__isnull=True).exclude(reminded_for=task.deadline).update(reminded_for=task.deadline):
                continue
            assert task.deadline is not None
            people = lead_people(task.lead_agency)
            for person in people:
                send_notice(
                    to=person, kind="supervision.deadline_reminder", ref=f"task:{task.code}",
                    subject=_("Task %(code)s is due on %(day)s") % {"code": task.code, "day": dmy(task.deadline)},
                    body=_("Task %(code)s, led by %(agency)s, is due on %(day)s:\n%(content)s") % {
                        "code": task.code, "agency": task.lead_agency.name_vi, "day": dmy(task.deadline), "content": task.content[:1000]},
                )
            record_event("supervision.deadline_reminder", obj=task, agency=task.lead_agency.code,
                         data={"code": task.code, "deadline": str(task.deadline), "to": [p.username for p in people]})
            sent += 1
    return sent


def task_by_code(code: str) -> Task:
    task = Task.objects.select_related("lead_agency", "source_document", "created_by").filter(code=code).first()
    if task is None:
        raise NotFound("not_found", _("No such task"))
    return task
