"""The incoming pages (/records/incoming/, /records/register/): the register's list with
filters, a paper registration with scans, a document's page and its actions, the overdue
list, the printed and exported register. Thin: services decide, pages show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from govoffice.audit.models import Event
from govoffice.deadlines import calendar
from govoffice.directory.models import Agency, User
from govoffice.directory.permissions import may
from govoffice.exchange.models import Kind, Message
from govoffice.lib.errors import DomainError
from govoffice.records import register as book
from govoffice.records.forms_incoming import AssignForm, PaperForm, RegisterFilter
from govoffice.records.models import Assignment, Incoming, IncomingState, RecordFile
from govoffice.records.permissions import visible_to
from govoffice.records.services import handling
from govoffice.records.services.incoming import (
    PaperDocument,
    leaders_for,
    present_incoming,
    register_paper,
    return_incoming,
    upload_of,
)
from govoffice.records.worklist import handler_assignments, queue_order

View = Callable[..., HttpResponseBase]
PAGE_SIZE = 50

HISTORY_LABELS = {
    "records.incoming_registered": gettext_lazy("Registered"),
    "records.incoming_returned": gettext_lazy("Returned to the sender"),
    "records.incoming_presented": gettext_lazy("Presented to a leader"),
    "records.incoming_assigned": gettext_lazy("Assigned"),
    "records.incoming_reassigned": gettext_lazy("Reassigned"),
    "records.incoming_processing": gettext_lazy("Marked processing"),
    "records.incoming_done": gettext_lazy("Marked done"),
    "records.deadline_reminder": gettext_lazy("Deadline reminder sent"),
}

STATUS_LABELS = {
    "01": gettext_lazy("arrived"),
    "02": gettext_lazy("returned"),
    "03": gettext_lazy("registered"),
    "04": gettext_lazy("assigned"),
    "05": gettext_lazy("processing"),
    "06": gettext_lazy("done"),
}


def staff_page(view: View) -> View:
    """Sign-in first; people with no place in an agency get a 403 page that says why."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not isinstance(user, User) or user.agency is None or not may(user, "records.read_register", user.agency):
            return forbidden(request, _("These pages are for the office's staff."))
        return view(request, *args, **kwargs)

    return never_cache(login_required(wrapped))


def forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "records/incoming/forbidden.html", {"reason": reason}, status=403)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # staff_page
    return request.user


def _document(request: HttpRequest, pk: int) -> Incoming:
    """The document if the reader may see it; otherwise a 404 that does not say it exists."""
    doc = Incoming.objects.select_related("agency", "receiving_unit", "receiving_person", "presented_to", "registered_by").filter(pk=pk).first()
    if doc is None or not may(request.user, "records.view", doc):
        raise Http404
    return doc


def filtered(user: User, form: RegisterFilter) -> QuerySet[Incoming]:
    qs = Incoming.objects.filter(visible_to(user))
    if not form.is_valid():
        return qs.none()
    f = form.cleaned_data
    if f["date_from"] or f["date_to"]:
        try:
            period = book.Period.of(f["date_from"], f["date_to"])
        except DomainError as exc:
            form.add_domain_error(exc)
            return qs.none()
        first, after = period.bounds()
        qs = qs.filter(arrived_at__gte=first, arrived_at__lt=after)
    for name in ("state", "doc_type", "channel"):
        if f[name]:
            qs = qs.filter(**{name: f[name]})
    if f["urgency"] is not None:
        qs = qs.filter(urgency=f["urgency"])
    if f["sender"]:
        qs = qs.filter(sender_name__icontains=f["sender"].strip())
    if f["number"]:
        qs = qs.filter(number_notation__icontains=f["number"].strip())
    if f["presented"]:
        qs = qs.filter(presented_to__isnull=f["presented"] == "no")
    if f["mine"]:
        qs = qs.filter(pk__in=handler_assignments(user).values("incoming_id"))
    return qs


@staff_page
def incoming_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = RegisterFilter(request.GET or None)
    qs = queue_order(filtered(user, form) if request.GET else Incoming.objects.filter(visible_to(user)))
    if request.GET and form.errors:
        form.mark_invalid()
    page = Paginator(qs.select_related("receiving_unit", "receiving_person"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "records/incoming/list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "may_register": may(user, "records.register", user.agency),
        "may_oversee": may(user, "records.oversee", user.agency),
    })


def _paper(form: PaperForm, request: HttpRequest) -> PaperDocument:
    f = form.cleaned_data
    return PaperDocument(
        sender_name=f["sender_name"], subject=f["subject"], number_notation=f["number_notation"],
        document_date=f["document_date"], doc_type=f["doc_type"], urgency=f["urgency"],
        confidentiality=f["confidentiality"], pages=f["pages"] or 0, due_date=f["due_date"], note=f["note"],
        sender_code=f["sender_code"], scans=[upload_of(file) for file in request.FILES.getlist("scans")],
    )


@staff_page
def incoming_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may(user, "records.register", user.agency):
        return forbidden(request, _("Only the agency's clerks register incoming documents."))
    status = 200
    form = PaperForm(request.POST or None, request.FILES or None, clearance=user.clearance)
    if request.method == "POST":
        if form.is_valid():
            try:
                doc = register_paper(actor=user, agency=user.agency, doc=_paper(form, request))  # type: ignore[arg-type]
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                messages.success(request, _("Registered as incoming document no. %(number)s.") % {"number": doc.arrival_number})
                return redirect("records:incoming_detail", pk=doc.pk)
        else:
            status = 400
        form.mark_invalid()
    return render(request, "records/incoming/new.html", {"form": form}, status=status)


def _history(doc: Incoming) -> list[dict[str, Any]]:
    """The document's audit events, people and units named (four queries, however many events)."""
    events = list(Event.objects.filter(object_type="records.incoming", object_id=str(doc.pk)).order_by("seq"))
    usernames = {str(e.data.get(k)) for e in events for k in ("lead_person", "to") if isinstance(e.data.get(k), str)}
    people = dict(User.objects.filter(username__in=usernames).values_list("username", "full_name"))
    by_id = dict(User.objects.filter(pk__in={e.actor_id for e in events if e.actor_id}).values_list("pk", "full_name"))
    units = dict(Agency.objects.filter(code__in={e.data.get("lead_unit") for e in events if e.data.get("lead_unit")}).values_list("code", "name_vi"))
    return [
        {
            "event": e, "label": HISTORY_LABELS.get(e.action, e.action),
            "who": (by_id.get(e.actor_id) if e.actor_id else None) or e.actor,
            "detail": _detail(e.data, people, units),
        }
        for e in events
    ]


def _detail(data: dict[str, Any], people: dict[str, str], units: dict[str, str]) -> str:
    if data.get("reason") or data.get("note"):
        return str(data.get("reason") or data.get("note"))
    parts = []
    if data.get("arrival_number"):
        parts.append(_("arrival no. %(n)s") % {"n": data["arrival_number"]})
    if data.get("lead_unit"):
        parts.append(units.get(data["lead_unit"], data["lead_unit"]))
    for key in ("lead_person", "to"):
        value = data.get(key)
        names = value if isinstance(value, list) else [value] if value else []
        if names:
            parts.append(", ".join(people.get(n) or n for n in names))
    if data.get("deadline"):
        try:
            parts.append(_("deadline %(date)s") % {"date": dt.date.fromisoformat(data["deadline"]).strftime("%d/%m/%Y")})
        except ValueError:
            pass
    return " · ".join(parts)


def _detail_context(request: HttpRequest, doc: Incoming) -> dict[str, Any]:
    user = _user(request)
    assignments = (
        Assignment.objects.filter(incoming=doc)
        .select_related("lead_unit", "lead_person", "assigned_by")
        .prefetch_related("coordinators", "coordinating_units")
    )
    statuses = [
        {"code": m.status_code, "label": STATUS_LABELS.get(m.status_code, ""), "description": m.description, "at": m.received_at}
        for m in Message.objects.filter(kind=Kind.STATUS, sender=doc.agency, about_id=doc.hub_message_id)
        .order_by("received_at").only("status_code", "description", "received_at")
    ] if doc.hub_message_id else []
    state = doc.state
    may_clerk = may(user, "records.return", doc) and state == IncomingState.REGISTERED
    may_handle = state in handling.OPEN and may(user, "records.handle", doc)
    return {
        "doc": doc, "files": RecordFile.objects.filter(incoming=doc), "assignments": assignments,
        "history": _history(doc), "statuses": statuses,
        "may_return": may_clerk,
        "leaders": leaders_for(doc) if may_clerk else [],
        "may_assign": state in handling.ASSIGNABLE and may(user, "records.assign", doc),
        "may_start": may_handle and state == IncomingState.ASSIGNED,
        "may_finish": may_handle,
        "today": timezone.localdate(),
    }


@staff_page
def incoming_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "records/incoming/detail.html", _detail_context(request, _document(request, pk)))


@staff_page
def incoming_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    doc = _document(request, pk)
    row = RecordFile.objects.filter(pk=file_pk, incoming=doc).first()
    if row is None:
        raise Http404
    return FileResponse(row.file.open("rb"), content_type=row.content_type, filename=row.name)


def _action(request: HttpRequest, pk: int, run: Callable[[User, Incoming], str]) -> HttpResponse:
    """Run a POSTed action; on refusal show the document again with the message beside its field."""
    doc = _document(request, pk)
    try:
        done = run(_user(request), doc)
    except DomainError as exc:
        context = _detail_context(request, Incoming.objects.get(pk=doc.pk) if exc.status == 409 else doc)
        context["error"] = exc
        context["error_general"] = exc.field not in ("reason", "leader", "note")
        context["posted"] = request.POST
        return render(request, "records/incoming/detail.html", context, status=exc.status)
    messages.success(request, done)
    return redirect("records:incoming_detail", pk=doc.pk)


@require_POST
@staff_page
def incoming_return(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: User, doc: Incoming) -> str:
        return_incoming(actor=user, incoming=doc, reason=request.POST.get("reason", ""))
        return _("The document was returned to its sender.")

    return _action(request, pk, run)


@require_POST
@staff_page
def incoming_present(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: User, doc: Incoming) -> str:
        raw = request.POST.get("leader", "")
        leader = User.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if leader is None:
            raise DomainError("required", _("Choose the leader"), field="leader")
        present_incoming(actor=user, incoming=doc, leader=leader)
        return _("Presented to %(name)s.") % {"name": leader}

    return _action(request, pk, run)


@require_POST
@staff_page
def incoming_processing(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: User, doc: Incoming) -> str:
        handling.start_processing(actor=user, incoming=doc)
        return _("Marked as being processed.")

    return _action(request, pk, run)


@require_POST
@staff_page
def incoming_done(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: User, doc: Incoming) -> str:
        handling.complete_incoming(actor=user, incoming=doc, note=request.POST.get("note", ""))
        return _("Marked as done.")

    return _action(request, pk, run)


@staff_page
def incoming_assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    doc = _document(request, pk)
    if not may(user, "records.assign", doc):
        return forbidden(request, _("Only a leader who may see this document assigns it."))
    form = AssignForm(request.POST or None, incoming=doc)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            f = form.cleaned_data
            plan = handling.AssignmentPlan(
                lead_unit=f["lead_unit"], lead_person=f["lead_person"], coordinators=list(f["coordinators"]),
                coordinating_units=list(f["coordinating_units"]), direction=f["direction"],
                deadline=f["deadline"], deadline_days=f["deadline_days"],
            )
            try:
                handling.assign_incoming(actor=user, incoming=doc, plan=plan)
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                messages.success(request, _("The document was assigned."))
                return redirect("records:incoming_detail", pk=doc.pk)
        else:
            status = 400
        form.mark_invalid()
    current = Assignment.objects.filter(incoming=doc, active=True).select_related("lead_unit", "lead_person").first()
    lead = " – ".join(str(x) for x in (current.lead_unit.name_vi if current and current.lead_unit else "", current.lead_person if current else "") if x)
    context = {"doc": doc, "form": form, "current": current, "current_lead": lead}
    return render(request, "records/incoming/assign.html", context, status=status)


@staff_page
def overdue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may(user, "records.oversee", user.agency):
        return forbidden(request, _("The overdue list is for the agency's leaders."))
    page = Paginator(handling.overdue_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for assignment in page.object_list:
        assignment.late_days = calendar().between(assignment.deadline, today)  # type: ignore[attr-defined,arg-type]
    return render(request, "records/incoming/overdue.html", {"page": page, "today": today})


# The register --------------------------------------------------------------------------------

def _period(request: HttpRequest) -> tuple[RegisterFilter, book.Period | None]:
    form = RegisterFilter(request.GET or None)
    if request.GET and not form.is_valid():
        form.mark_invalid()
        return form, None
    data = form.cleaned_data if request.GET else {}
    try:
        return form, book.Period.of(data.get("date_from"), data.get("date_to"))
    except DomainError as exc:
        form.add_domain_error(exc)
        form.mark_invalid()
        return form, None


@staff_page
def register_page(request: HttpRequest) -> HttpResponse:
    form, period = _period(request)
    user = _user(request)
    count = book.register_lines(user, user.agency, period).count() if period else 0  # type: ignore[arg-type]
    return render(request, "records/register/page.html", {
        "form": form, "period": period, "count": count, "max_pdf": book.MAX_PDF_ROWS,
        "query": f"date_from={period.start:%d/%m/%Y}&date_to={period.end:%d/%m/%Y}" if period else "",
    }, status=200 if period else 400)


def _export_name(period: book.Period, ext: str) -> str:
    return f"so-van-ban-den-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{ext}"


def _export(kind: str) -> View:
    @staff_page
    def view(request: HttpRequest) -> HttpResponseBase:
        form, period = _period(request)
        if period is None:
            return render(request, "records/register/page.html", {"form": form, "period": None}, status=400)
        user = _user(request)
        agency = user.agency
        assert agency is not None
        if kind == "csv":
            response: HttpResponseBase = StreamingHttpResponse(book.csv_lines(user, agency, period), content_type="text/csv; charset=utf-8")
        elif kind == "xlsx":
            response = HttpResponse(
                book.as_xlsx(user, agency, period),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            try:
                response = HttpResponse(book.as_pdf(user, agency, period), content_type="application/pdf")
            except DomainError as exc:
                form.add_domain_error(exc)
                form.mark_invalid()
                return render(request, "records/register/page.html", {"form": form, "period": period}, status=exc.status)
        disposition = "inline" if kind == "pdf" else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{_export_name(period, kind)}"'
        return response

    view.__name__ = f"register_{kind}"
    return view


register_csv = _export("csv")
register_xlsx = _export("xlsx")
register_pdf = _export("pdf")
