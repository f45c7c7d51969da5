"""The supervision API (/api/v1/supervision/…): tasks, progress, extensions, the overdue rate,
inspections. Tasks the caller may not see answer 404, as if they did not exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from govoffice import idempotency
from govoffice.apiauth import current_user
from govoffice.apischema import errors
from govoffice.directory.models import Agency, User
from govoffice.directory.permissions import may
from govoffice.lib.errors import DomainError, Forbidden, NotFound
from govoffice.lib.vntext import fold
from govoffice.supervision import rates, selectors
from govoffice.supervision.models import (
    Assigner,
    Channel,
    Extension,
    Inspection,
    Source,
    Task,
)
from govoffice.supervision.models import (
    Status as TaskStatus,
)
from govoffice.supervision.permissions import visible_tasks
from govoffice.supervision.schemas import (
    ExtensionDecisionIn,
    InspectionFindingIn,
    InspectionIn,
    InspectionOut,
    OverdueRateOut,
    OverdueRateQuery,
    ProgressReportOut,
    RateDefinitionOut,
    TaskExtensionIn,
    TaskExtensionOut,
    TaskFilter,
    TaskIn,
    TaskOut,
    TaskPage,
    TaskProgressIn,
)
from govoffice.supervision.services import inspections as plans
from govoffice.supervision.services.tasks import (
    TaskDraft,
    create_task,
    decide_extension,
    report_progress,
    request_extension,
)

router = Router(tags=["supervision"])

def visible(user: User) -> Any:
    return Task.objects.filter(visible_tasks(user))


def task_for(user: User, code: str) -> Task:
    task = visible(user).select_related("lead_agency", "source_document").filter(code=code).first()
    if task is None:
        raise NotFound("not_found", "No such task")
    return task


def summary(task: Task, day: dt.date) -> dict[str, Any]:
    status = selectors.status_on(task, day)
    return {
        "code": task.code, "content": task.content, "assigner": task.assigner, "assigner_name": task.assigner_name,
        "lead_agency": task.lead_agency.code, "assigned_on": task.assigned_on, "deadline": task.deadline,
        "importance": task.importance, "source": task.source, "source_ref": task.source_ref,
        "completed_on": task.completed_on, "status": status.value if status else None,
    }


def detail(task: Task, day: dt.date | None = None) -> dict[str, Any]:
    day = day or timezone.localdate()
    doc = task.source_document
    return {
        **summary(task, day),
        "coordinating_agencies": sorted(task.coordinating_agencies.values_list("code", flat=True)),
        "source_document_id": doc.pk if doc else None, "source_document_id_edxml": doc.document_id if doc else None,
        "finding_id": task.finding_id,
        "reports": [
            {"at": r.at, "agency": r.agency.code, "reported_by": r.reported_by.username if r.reported_by else None,
             "channel": r.channel, "note": r.note, "percent": r.percent, "completes": r.completes}
            for r in task.reports.select_related("agency", "reported_by")
        ],
        "extensions": [extension_out(e) for e in task.extensions.select_related("requested_by", "decided_by")],
        "deadline_changes": [
            {"old_deadline": c.old_deadline, "new_deadline": c.new_deadline, "effective_on": c.effective_on, "extension_id": c.extension_id}
            for c in task.deadline_changes.all()
        ],
    }


def extension_out(e: Extension) -> dict[str, Any]:
    return {
        "id": e.pk, "requested_by": e.requested_by.username, "requested_at": e.requested_at, "current_deadline": e.current_deadline,
        "requested_deadline": e.requested_deadline, "reason": e.reason, "state": e.state,
        "decided_by": e.decided_by.username if e.decided_by else None, "decided_at": e.decided_at, "decision_note": e.decision_note,
    }


def _choice(value: str | None, choices: list[str], field: str) -> str:
    if value and value not in choices:
        raise DomainError("invalid_choice", f"{field} is one of {', '.join(choices)}", field=field, status=422)
    return value or ""


def _agency_code(value: str) -> str:
    """An organisation code as typed; one with a NUL (which PostgreSQL cannot compare) is bad input."""
    if "\x00" in value or len(value) > 13:
        raise DomainError("unknown_agency", f"No agency {value[:20]!r}", field="agency", status=422)
    return value


def filtered(user: User, f: TaskFilter) -> Any:
    qs = visible(user).select_related("lead_agency")
    day = f.as_of or timezone.localdate()
    if f.agency:
        code = _agency_code(f.agency)
        qs = qs.filter(Q(lead_agency__code=code) | Q(lead_agency__parent__code=code))
    if _choice(f.assigner, Assigner.values, "assigner"):
        qs = qs.filter(assigner=f.assigner)
    if _choice(f.source, Source.values, "source"):
        qs = qs.filter(source=f.source)
    if f.assigned_from:
        qs = qs.filter(assigned_on__gte=f.assigned_from)
    if f.assigned_to:
        qs = qs.filter(assigned_on__lte=f.assigned_to)
    if f.q and f.q.strip():
        words = fold(f.q).split()
        # A few hundred characters per row; folding in Python keeps đ → d right on both databases.
        ids = [t.pk for t in qs.select_related(None).only("pk", "code", "content") if all(w in fold(f"{t.code} {t.content}") for w in words)]
        qs = qs.filter(pk__in=ids)
    if _choice(f.status, TaskStatus.values, "status"):
        qs = selectors.filter_status(qs, f.status or "", day)
    return qs, day


@router.get("/tasks", response={200: TaskPage, **errors(401, 422)}, summary="Tasks the caller may see, filtered; status read on `as_of`")
def list_tasks(request: HttpRequest, filters: Query[TaskFilter]) -> dict[str, Any]:
    user = current_user(request)
    qs, day = filtered(user, filters)
    page = qs.order_by("-assigned_on", "-id")[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [summary(t, day) for t in page]}


@router.post(
    "/tasks", response={201: TaskOut, 200: TaskOut, **errors(400, 401, 403, 409, 422)},
    summary="Assign a task (the office's supervision officers)",
    description="The deadline cannot be before the assignment (400, field deadline); unknown agencies are refused (400).",
    openapi_extra=idempotency.openapi("task"),
)
def create(request: HttpRequest, body: TaskIn) -> Status:
    user = current_user(request)
    key = idempotency.idempotency_key(request)
    scoped = f"api:{user.pk}:{key}" if key else None
    existed = scoped is not None and Task.objects.filter(idempotency_key=scoped).exists()
    task = create_task(actor=user, idempotency_key=scoped, draft=TaskDraft(
        content=body.content, assigner=body.assigner, assigner_name=body.assigner_name, lead_agency=body.lead_agency,
        coordinating_agencies=body.coordinating_agencies, assigned_on=body.assigned_on, deadline=body.deadline,
        deadline_days=body.deadline_days, importance=body.importance, source=body.source,
        source_document_id=body.source_document_id, source_ref=body.source_ref))
    return Status(200 if existed else 201, detail(task_for(user, task.code)))


@router.get("/tasks/{code}", response={200: TaskOut, **errors(401, 404)}, summary="One task with its reports, extensions and deadlines")
def task_detail(request: HttpRequest, code: str, as_of: dt.date | None = None) -> dict[str, Any]:
    user = current_user(request)
    return detail(task_for(user, code), as_of)


@router.post(
    "/tasks/{code}/progress", response={201: ProgressReportOut, 200: ProgressReportOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="The lead agency reports progress (complete=true closes the task)",
    description="Only the lead agency's people or its API key (403); a closed task takes no more reports (409).",
    openapi_extra=idempotency.openapi("task"),
)
def progress(request: HttpRequest, code: str, body: TaskProgressIn) -> Status:
    user = current_user(request)
    task = task_for(user, code)
    key = idempotency.idempotency_key(request)
    existed = key is not None and task.reports.filter(idempotency_key=key).exists()
    report = report_progress(actor=user, task=task, note=body.note, complete=body.complete, percent=body.percent,
                             channel=Channel.API, idempotency_key=key)
    out = {"at": report.at, "agency": report.agency.code, "reported_by": user.username, "channel": report.channel,
           "note": report.note, "percent": report.percent, "completes": report.completes}
    return Status(200 if existed else 201, out)


@router.post(
    "/tasks/{code}/extensions", response={201: TaskExtensionOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="The lead agency asks for a later deadline",
    description="Only the lead agency (403); one pending request at a time and not on a closed task (409); the new deadline is later (400).",
)
def ask_extension(request: HttpRequest, code: str, body: TaskExtensionIn) -> Status:
    user = current_user(request)
    ext = request_extension(actor=user, task=task_for(user, code), requested_deadline=body.requested_deadline, reason=body.reason)
    return Status(201, extension_out(Extension.objects.select_related("requested_by", "decided_by").get(pk=ext.pk)))


@router.post(
    "/tasks/{code}/extensions/{extension_id}/decision", response={200: TaskExtensionOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="The office's supervision officer approves or refuses an extension (the old deadline is kept in the history)",
)
def decide(request: HttpRequest, code: str, extension_id: int, body: ExtensionDecisionIn) -> dict[str, Any]:
    user = current_user(request)
    task = task_for(user, code)
    ext = task.extensions.filter(pk=extension_id).first()
    if ext is None:
        raise NotFound("not_found", "No such extension request")
    decided = decide_extension(actor=user, extension=ext, approve=body.approve, note=body.note)
    return extension_out(Extension.objects.select_related("requested_by", "decided_by").get(pk=decided.pk))


def scope_of(user: User, date_from: dt.date, date_to: dt.date, agency_code: str | None, assigner: str | None) -> selectors.Scope:
    if date_to < date_from:
        raise DomainError("invalid_period", "date_to is before date_from", field="date_to", status=422)
    agency = None
    if agency_code:
        agency = Agency.objects.filter(code=_agency_code(agency_code)).first()
        if agency is None:
            raise DomainError("unknown_agency", f"No agency {agency_code}", field="agency", status=422)
    if not may(user, "supervision.rate", agency):
        raise Forbidden("forbidden", "Only the office's supervision officers, or an agency's people for their own agency, read the rate")
    return selectors.Scope(date_from, date_to, agency, _choice(assigner, Assigner.values, "assigner"))


@router.get("/rate", response={200: OverdueRateOut, **errors(401, 403, 422)},
            summary="The overdue rate of the tasks assigned in a period (per agency and assigner), with the definition used")
def rate(request: HttpRequest, query: Query[OverdueRateQuery]) -> dict[str, Any]:
    user = current_user(request)
    scope = scope_of(user, query.date_from, query.date_to, query.agency, query.assigner)
    return selectors.overdue_rate(scope, query.definition).as_dict()


@router.post("/rate/reports", response={201: OverdueRateOut, **errors(401, 403, 422)},
             summary="Compute the rate and keep it as a report that records its definition")
def save_rate(request: HttpRequest, query: Query[OverdueRateQuery]) -> Status:
    from govoffice.supervision.services.reports import save_rate_report

    user = current_user(request)
    scope = scope_of(user, query.date_from, query.date_to, query.agency, query.assigner)
    report, result = save_rate_report(actor=user, scope=scope, definition=query.definition)
    return Status(201, {**result.as_dict(), "report_id": report.pk})


@router.get("/rate/definitions", response={200: list[RateDefinitionOut], **errors(401)}, summary="The registered definitions of the overdue rate")
def definitions(request: HttpRequest) -> list[dict[str, Any]]:
    current_user(request)
    return [{"key": d.key, "label": d.label, "formula": d.formula, "default": d.key == rates.DEFAULT} for d in rates.DEFINITIONS.values()]


def inspection_out(row: Inspection) -> dict[str, Any]:
    return {
        "id": row.pk, "code": row.code, "title": row.title, "starts_on": row.starts_on, "ends_on": row.ends_on, "state": row.state,
        "members": [{"full_name": m.full_name, "position": m.position} for m in row.members.all()],
        "targets": [{"agency": t.agency.code, "visit_on": t.visit_on} for t in row.targets.select_related("agency")],
        "findings": [
            {"id": f.pk, "agency": f.agency.code, "summary": f.summary, "recorded_at": f.recorded_at,
             "tasks": list(f.tasks.order_by("pk").values_list("code", flat=True))}
            for f in row.findings.select_related("agency")
        ],
    }


def _inspections(user: User) -> Any:
    if not may(user, "supervision.inspections"):
        raise Forbidden("forbidden", "Only the office's supervision officers see inspections")
    return Inspection.objects.all()


def _inspection(user: User, pk: int) -> Inspection:
    row = _inspections(user).filter(pk=pk).first()
    if row is None:
        raise NotFound("not_found", "No such inspection")
    return row


@router.get("/inspections", response={200: list[InspectionOut], **errors(401, 403, 422)}, summary="The working group's inspections, newest first")
def list_inspections(request: HttpRequest, year: int | None = None) -> list[dict[str, Any]]:
    qs = _inspections(current_user(request))
    if year is not None and not 1945 <= year <= 2999:
        raise DomainError("invalid_year", "year is between 1945 and 2999", field="year", status=422)
    if year:
        qs = qs.filter(starts_on__year=year)
    return [inspection_out(r) for r in qs.prefetch_related("members")[:500]]


@router.post("/inspections", response={201: InspectionOut, **errors(400, 401, 403, 422)}, summary="Plan an inspection: members, agencies, dates")
def plan_inspection(request: HttpRequest, body: InspectionIn) -> Status:
    user = current_user(request)
    row = plans.create_inspection(actor=user, plan=plans.Plan(
        title=body.title, starts_on=body.starts_on, ends_on=body.ends_on,
        members=[plans.Member(m.full_name, m.position) for m in body.members],
        targets=[plans.Target(t.agency, t.visit_on) for t in body.targets]))
    return Status(201, inspection_out(row))


@router.get("/inspections/{inspection_id}", response={200: InspectionOut, **errors(401, 403, 404)}, summary="One inspection")
def inspection_detail(request: HttpRequest, inspection_id: int) -> dict[str, Any]:
    return inspection_out(_inspection(current_user(request), inspection_id))


@router.post("/inspections/{inspection_id}/findings", response={201: InspectionOut, **errors(400, 401, 403, 404, 409, 422)},
             summary="Record a finding at an inspected agency; each recommendation becomes a task")
def add_finding(request: HttpRequest, inspection_id: int, body: InspectionFindingIn) -> Status:
    user = current_user(request)
    row = _inspection(user, inspection_id)
    plans.record_finding(actor=user, inspection=row, agency=body.agency, summary=body.summary, recommendations=[
        plans.Recommendation(r.content, r.lead_agency, r.deadline, r.importance) for r in body.recommendations])
    return Status(201, inspection_out(row))


@router.post("/inspections/{inspection_id}/complete", response={200: InspectionOut, **errors(401, 403, 404, 409)},
             summary="Mark an inspection carried out")
def complete(request: HttpRequest, inspection_id: int) -> dict[str, Any]:
    user = current_user(request)
    row = plans.complete_inspection(actor=user, inspection=_inspection(user, inspection_id))
    return inspection_out(row)

