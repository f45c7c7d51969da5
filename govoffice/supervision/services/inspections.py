"""The Prime Minister's working group: plans (members, agencies, dates), findings and the
recommendations that become tasks, and the end of an inspection."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govoffice.audit.services import record_event
from govoffice.directory.models import User
from govoffice.directory.permissions import may
from govoffice.lib.errors import Conflict, DomainError, Forbidden
from govoffice.supervision.models import (
    Assigner,
    Finding,
    Importance,
    Inspection,
    InspectionMember,
    InspectionState,
    InspectionTarget,
    Source,
    Task,
)
from govoffice.supervision.services.tasks import (
    TaskDraft,
    _insert,
    agencies_by_code,
    check_draft,
    dmy,
    next_codes,
)
from govoffice.textguard import check_text


@dataclass
class Member:
    full_name: str
    position: str = ""


@dataclass
class Target:
    agency: str  # organisation code
    visit_on: dt.date | None = None  # default: the first day


@dataclass
class Plan:
    title: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    members: list[Member] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)


def _may(actor: User | None) -> None:
    if not may(actor, "supervision.inspections"):
        raise Forbidden("forbidden", _("Only the office's supervision officers plan inspections"))


def create_inspection(*, actor: User, plan: Plan) -> Inspection:
    """Plan a visit of the working group."""
    _may(actor)
    if not plan.title.strip():
        raise DomainError("required", _("Give the inspection a title"), field="title")
    if plan.starts_on is None:
        raise DomainError("required", _("Give the first day"), field="starts_on")
    if plan.ends_on is None:
        raise DomainError("required", _("Give the last day"), field="ends_on")
    if plan.ends_on < plan.starts_on:
        raise DomainError("ends_before_start", _("The last day is before the first"), field="ends_on")
    members = [m for m in plan.members if m.full_name.strip()]
    if not members:
        raise DomainError("required", _("Name at least one member of the working group"), field="members")
    check_text([(m.full_name, m.position) for m in members], "members")  # bulk_create below skips the save() check
    if not plan.targets:
        raise DomainError("required", _("Name at least one agency to inspect"), field="targets")
    agencies = agencies_by_code([t.agency for t in plan.targets], "targets")
    if len(agencies) != len(plan.targets):
        raise DomainError("duplicate_target", _("An agency is named twice"), field="targets")
    for target in plan.targets:
        day = target.visit_on or plan.starts_on
        if not plan.starts_on <= day <= plan.ends_on:
            raise DomainError("visit_outside_dates", _("The visit to %(code)s on %(day)s is outside the inspection's dates") % {
                "code": target.agency, "day": dmy(day)}, field="targets")
    with transaction.atomic():
        row = Inspection.objects.create(code=next_codes("DKT", plan.starts_on.year)[0], title=plan.title.strip()[:500],
                                        starts_on=plan.starts_on, ends_on=plan.ends_on, created_by=actor)
        InspectionMember.objects.bulk_create(InspectionMember(inspection=row, full_name=m.full_name.strip()[:255],
                                                              position=m.position.strip()[:255]) for m in members)
        InspectionTarget.objects.bulk_create(InspectionTarget(inspection=row, agency=a, visit_on=t.visit_on or plan.starts_on)
                                             for a, t in zip(agencies, plan.targets, strict=True))
        record_event("supervision.inspection_planned", actor=actor, obj=row, data={
            "code": row.code, "title": row.title, "from": str(row.starts_on), "to": str(row.ends_on),
            "targets": [a.code for a in agencies], "members": [m.full_name for m in members]})
    return row


@dataclass
class Recommendation:
    content: str
    lead_agency: str = ""  # default: the inspected agency
    deadline: dt.date | None = None
    importance: int = Importance.NORMAL


def record_finding(*, actor: User, inspection: Inspection, agency: str, summary: str,
                   recommendations: list[Recommendation]) -> Finding:
    """Record what the group found at an agency; each recommendation becomes a task."""
    _may(actor)
    if inspection.state == InspectionState.CANCELLED:
        raise Conflict("inspection_cancelled", _("This inspection was cancelled"))
    if not summary.strip():
        raise DomainError("required", _("Say what was found"), field="summary")
    target = InspectionTarget.objects.filter(inspection=inspection, agency__code=agency.strip()).select_related("agency").first()
    if target is None:
        raise DomainError("not_inspected", _("%(code)s is not among the agencies of this inspection") % {"code": agency}, field="agency")
    today = timezone.localdate()
    drafts = [
        TaskDraft(content=r.content, assigner=Assigner.PRIME_MINISTER, lead_agency=r.lead_agency or target.agency.code,
                  assigned_on=min(today, max(inspection.ends_on, target.visit_on)), deadline=r.deadline, importance=r.importance,
                  source=Source.INSPECTION, source_ref=f"{inspection.code}: {inspection.title}"[:255])
        for r in recommendations if r.content.strip()
    ]
    checked = [check_draft(d) for d in drafts]
    with transaction.atomic():
        finding = Finding.objects.create(inspection=inspection, agency=target.agency, summary=summary.strip()[:10000],
                                         recorded_by=actor, recorded_at=timezone.now())
        tasks: list[Task] = [_insert(d, c, actor=actor, finding=finding) for d, c in zip(drafts, checked, strict=True)]
        record_event("supervision.finding_recorded", actor=actor, obj=inspection, data={
            "finding": finding.pk, "agency": target.agency.code, "tasks": [t.code for t in tasks]})
    return finding


def complete_inspection(*, actor: User, inspection: Inspection) -> Inspection:
    """Mark an inspection carried out (it then counts in the year's figures)."""
    _may(actor)
    with transaction.atomic():
        row = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if row.state != InspectionState.PLANNED:
            raise Conflict("invalid_state", _("Only a planned inspection can be marked carried out"))
        if row.starts_on > timezone.localdate():
            raise Conflict("not_started", _("The inspection has not started yet"))
        row.state, row.completed_at = InspectionState.COMPLETED, timezone.now()
        row.save(update_fields=["state", "completed_at"])
        record_event("supervision.inspection_completed", actor=actor, obj=row, data={"code": row.code})
    return row
