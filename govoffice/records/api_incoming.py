"""The incoming API (/api/v1/records/incoming…, /api/v1/records/register…): the register's list
and documents, paper registration with scans, return, assignment, processing, done, and the
register's export. Documents the caller may not see answer 404, as if they did not exist."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from ninja import Body, File, Form, Query, Router, Status, UploadedFile

from govoffice import idempotency
from govoffice.apiauth import current_user
from govoffice.apischema import errors
from govoffice.directory.models import Agency, User
from govoffice.directory.permissions import may
from govoffice.lib.errors import DomainError, Forbidden, NotFound
from govoffice.records import register as book
from govoffice.records.models import Assignment, Incoming
from govoffice.records.permissions import visible_to
from govoffice.records.schemas_incoming import (
    AssignIn,
    DoneIn,
    IncomingFilter,
    IncomingOut,
    IncomingPage,
    PaperIn,
    RegisterQuery,
    ReturnIn,
)
from govoffice.records.services import handling
from govoffice.records.services.incoming import (
    PaperDocument,
    register_paper,
    return_incoming,
    upload_of,
)
from govoffice.records.worklist import handler_assignments, queue_order

router = Router(tags=["records: incoming"])
NO_FILES = File(None)  # scans are optional
NO_BODY = Body(None)  # the note is optional, and so is the body

IDEMPOTENCY = idempotency.openapi("document", "registered")
EXPORTS = {
    "responses": {"200": {"description": "the register in the Decree 30 layout", "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    }}},
}


def _active_deadline() -> Subquery:
    return Subquery(Assignment.objects.filter(incoming=OuterRef("pk"), active=True).order_by("-assigned_at").values("deadline")[:1])


def _documents(user: User) -> QuerySet[Incoming]:
    return Incoming.objects.filter(visible_to(user)).select_related("sender", "receiving_unit", "receiving_person")


def _document(user: User, pk: int) -> Incoming:
    doc = _documents(user).select_related("presented_to").filter(pk=pk).annotate(deadline=_active_deadline()).first()
    if doc is None:
        raise NotFound("not_found", "No such incoming document")
    return doc


def _summary(doc: Incoming) -> dict[str, Any]:
    return {
        "id": doc.pk, "year": doc.year, "arrival_number": doc.arrival_number, "arrived_at": doc.arrived_at,
        "channel": doc.channel, "state": doc.state, "urgency": doc.urgency, "confidentiality": doc.confidentiality,
        "doc_type": doc.doc_type, "sender_code": doc.sender.code if doc.sender else None, "sender_name": doc.sender_name,
        "number_notation": doc.number_notation, "document_date": doc.document_date, "subject": doc.subject,
        "receiving_unit": doc.receiving_unit.code if doc.receiving_unit else None,
        "receiving_person": doc.receiving_person.username if doc.receiving_person else None,
        "deadline": getattr(doc, "deadline", None),
    }


def _detail(doc: Incoming) -> dict[str, Any]:
    assignments = (
        Assignment.objects.filter(incoming=doc).select_related("lead_unit", "lead_person", "assigned_by")
        .prefetch_related("coordinators", "coordinating_units")
    )
    return {
        **_summary(doc), "document_id": doc.document_id, "registered_at": doc.registered_at, "pages": doc.pages,
        "due_date": doc.due_date, "note": doc.note, "return_reason": doc.return_reason,
        "presented_to": doc.presented_to.username if doc.presented_to else None, "completed_at": doc.completed_at,
        "files": [
            {"id": f.pk, "name": f.name, "content_type": f.content_type, "size": f.size, "sha256": f.sha256,
             "role": f.role, "text_state": f.ocr_state}
            for f in doc.files.all()
        ],
        "assignments": [
            {
                "id": a.pk, "lead_unit": a.lead_unit.code if a.lead_unit else None,
                "lead_person": a.lead_person.username if a.lead_person else None,
                "coordinators": sorted(p.username for p in a.coordinators.all()),
                "coordinating_units": sorted(u.code for u in a.coordinating_units.all()),
                "direction": a.direction, "deadline": a.deadline, "assigned_by": a.assigned_by.username,
                "assigned_at": a.assigned_at, "active": a.active,
            }
            for a in assignments
        ],
    }


@router.get(
    "/incoming", response={200: IncomingPage, **errors(401, 403, 422)},
    summary="The incoming register: filtered, urgent documents still waiting first, then the newest",
)
def list_incoming(request: HttpRequest, filters: Query[IncomingFilter]) -> dict[str, Any]:
    user = current_user(request)
    if not may(user, "records.read_register", user.agency):
        raise Forbidden("forbidden", "Only the agency's staff read its incoming register")
    qs = _documents(user)
    for name in ("state", "doc_type", "channel"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    if filters.urgency is not None:
        qs = qs.filter(urgency=filters.urgency)
    if filters.sender:
        qs = qs.filter(sender__code=filters.sender)
    if filters.date_from or filters.date_to:
        first, after = book.Period.of(filters.date_from, filters.date_to).bounds()
        qs = qs.filter(arrived_at__gte=first, arrived_at__lt=after)
    if filters.mine:
        qs = qs.filter(pk__in=handler_assignments(user).values("incoming_id"))
    ordered = queue_order(qs).annotate(deadline=_active_deadline())
    items = [_summary(d) for d in ordered[filters.offset : filters.offset + filters.limit]]
    return {"count": qs.count(), "items": items}


@router.get("/incoming/{incoming_id}", response={200: IncomingOut, **errors(401, 404)}, summary="One incoming document with its files and assignments")
def incoming_detail(request: HttpRequest, incoming_id: int) -> dict[str, Any]:
    return _detail(_document(current_user(request), incoming_id))


@router.post(
    "/incoming",
    response={201: IncomingOut, 200: IncomingOut, **errors(400, 401, 403, 413, 415, 422)},
    summary="Register a paper document with its scans (multipart: the fields and `scans`, PDF/JPEG/PNG by content)",
    description=(
        "The document takes the next arrival number of the year. Scans are checked by their content, not their name: "
        "any other type is refused with 415, a file over the size limit with 413. A missing field is a 422 that names it. "
        "Only the agency's clerks register (403). The scans' text is read by OCR in the background."
    ),
    openapi_extra=IDEMPOTENCY,
)
def register_paper_document(
    request: HttpRequest, data: Form[PaperIn], scans: list[UploadedFile] | None = NO_FILES,
) -> Status:
    user = current_user(request)
    agency = user.agency
    if agency is None or not may(user, "records.register", agency):
        raise Forbidden("forbidden", "Only the agency's clerks register incoming documents")
    key = idempotency.idempotency_key(request)
    before = Incoming.objects.filter(agency=agency, idempotency_key=key).values_list("pk", flat=True).first() if key else None
    doc = PaperDocument(
        sender_name=data.sender_name, subject=data.subject, number_notation=data.number_notation,
        document_date=data.document_date, doc_type=data.doc_type, urgency=data.urgency,
        confidentiality=data.confidentiality, pages=data.pages, due_date=data.due_date, note=data.note,
        sender_code=data.sender_code, scans=[upload_of(f) for f in scans or []],
    )
    row = register_paper(actor=user, agency=agency, doc=doc, idempotency_key=key)
    return Status(200 if before is not None else 201, _detail(_document(user, row.pk)))


@router.post(
    "/incoming/{incoming_id}/return", response={200: IncomingOut, **errors(401, 403, 404, 409, 422)},
    summary="Return a document to its sender with the reason (status 02 for electronic ones)",
    description="Only the agency's clerks (403); only a document not yet assigned (409); the reason is required (422).",
)
def return_document(request: HttpRequest, incoming_id: int, body: ReturnIn) -> dict[str, Any]:
    user = current_user(request)
    row = return_incoming(actor=user, incoming=_document(user, incoming_id), reason=body.reason)
    return _detail(_document(user, row.pk))


def _person(agency_id: int, username: str, field: str) -> User:
    person = User.objects.filter(username=username, agency_id=agency_id).first()
    if person is None:
        raise DomainError("unknown_person", f"No one in this agency has the username {username}", field=field, status=422)
    return person


def _unit(code: str, field: str) -> Agency:
    unit = Agency.objects.filter(code=code).first()
    if unit is None:
        raise DomainError("unknown_agency", f"No unit has the code {code}", field=field, status=422)
    return unit


@router.post(
    "/incoming/{incoming_id}/assign", response={200: IncomingOut, **errors(401, 403, 404, 409, 422)},
    summary="Assign (or reassign) a document: lead unit or person, co-ordinating ones, direction, deadline (status 04)",
    description=(
        "Only a leader who may see the document (403). The deadline is a date or a number of working days, never "
        "before today (422). A reassignment ends the current assignment. A returned or done document cannot be "
        "assigned (409)."
    ),
)
def assign_document(request: HttpRequest, incoming_id: int, body: AssignIn) -> dict[str, Any]:
    user = current_user(request)
    doc = _document(user, incoming_id)
    plan = handling.AssignmentPlan(
        lead_unit=_unit(body.lead_unit, "lead_unit") if body.lead_unit else None,
        lead_person=_person(doc.agency_id, body.lead_person, "lead_person") if body.lead_person else None,
        coordinators=[_person(doc.agency_id, u, "coordinators") for u in body.coordinators],
        coordinating_units=[_unit(c, "coordinating_units") for c in body.coordinating_units],
        direction=body.direction, deadline=body.deadline, deadline_days=body.deadline_days,
    )
    handling.assign_incoming(actor=user, incoming=doc, plan=plan)
    return _detail(_document(user, doc.pk))


@router.post(
    "/incoming/{incoming_id}/processing", response={200: IncomingOut, **errors(401, 403, 404, 409)},
    summary="The lead handler starts work on an assigned document (status 05)",
    description="Only the lead handler (403); only an assigned document (409).",
)
def mark_processing(request: HttpRequest, incoming_id: int) -> dict[str, Any]:
    user = current_user(request)
    handling.start_processing(actor=user, incoming=_document(user, incoming_id))
    return _detail(_document(user, incoming_id))


@router.post(
    "/incoming/{incoming_id}/done", response={200: IncomingOut, **errors(401, 403, 404, 409, 422)},
    summary="The lead handler marks the document done (status 06)",
    description="Only the lead handler (403); only an assigned or processing document (409).",
)
def mark_done(request: HttpRequest, incoming_id: int, body: DoneIn | None = NO_BODY) -> dict[str, Any]:
    user = current_user(request)
    handling.complete_incoming(actor=user, incoming=_document(user, incoming_id), note=body.note if body else "")
    return _detail(_document(user, incoming_id))


@router.get(
    "/register/export", response={200: None, **errors(401, 403, 422)},
    summary="The incoming register for a period in the Decree 30 layout, as CSV (default), XLSX or PDF",
    description="Secret documents appear only if the caller's clearance reaches them. A PDF is limited to 10,000 rows (422).",
    openapi_extra=EXPORTS,
)
def register_export(request: HttpRequest, query: Query[RegisterQuery]) -> HttpResponseBase:
    user = current_user(request)
    agency = user.agency
    if agency is None or not may(user, "records.read_register", agency):
        raise Forbidden("forbidden", "Only the agency's staff read its incoming register")
    period = book.Period.of(query.date_from, query.date_to)
    name = f"so-van-ban-den-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{query.format}"
    response: HttpResponseBase
    if query.format == "csv":
        response = StreamingHttpResponse(book.csv_lines(user, agency, period), content_type="text/csv; charset=utf-8")
    elif query.format == "xlsx":
        response = HttpResponse(book.as_xlsx(user, agency, period), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(book.as_pdf(user, agency, period), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
