"""Dossier pages: filing online, the applicant's list, one dossier (with the moves its reader may
make), the officer's desk, and file downloads. Someone else's dossier is a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govoffice.directory.models import Role, User
from govoffice.directory.permissions import may
from govoffice.lib.errors import DomainError
from govoffice.portal import procedure_form, selectors
from govoffice.portal.models import DossierFile, Payment, PaymentState, Status
from govoffice.portal.ratelimit import RateLimited, limit_account, limit_address
from govoffice.portal.services import dossiers as flow
from govoffice.portal.views_public import limited_page


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _uploads(request: HttpRequest, name: str = "files") -> list[flow.Upload]:
    return [flow.Upload(f.name or "file", f.read()) for f in request.FILES.getlist(name)]


@login_required
def submit(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    procedure = selectors.procedure(code)
    if procedure is None:
        raise Http404(_("No procedure has this code"))
    if not may(user, "portal.dossier.submit", procedure):
        return render(request, "portal/not_allowed.html", {"procedure": procedure}, status=403)
    form = procedure_form.build(procedure.form, request.POST or None)
    file_error = ""
    if request.method == "POST":
        try:
            limit_account(user, "submit")
            limit_address(request, "submit")
        except RateLimited as exc:
            return limited_page(request, exc)
        values = {name: request.POST.get(f"f-{name}", "") for name in form.fields}
        try:
            dossier = flow.submit_dossier(applicant=user, procedure=procedure, values=values, files=_uploads(request))
        except DomainError as exc:
            if exc.field in form.fields:
                form.is_valid()
                form.add_error(exc.field, exc.message)
            else:
                file_error = exc.message
        else:
            return redirect("portal:dossier", code=dossier.receipt_code)
    status = 422 if (form.is_bound and (form.errors or file_error)) else 200
    return render(request, "portal/submit.html", {"procedure": procedure, "form": form, "file_error": file_error}, status=status)


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.applicant_dossiers(_user(request)), 20).get_page(request.GET.get("page"))
    return render(request, "portal/my_dossiers.html", {"page": page})


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.has_role(Role.PORTAL_OFFICER):
        return render(request, "portal/not_allowed.html", {}, status=403)
    qs = selectors.officer_dossiers(user)
    status = request.GET.get("status", "")
    if status.isascii() and status.isdigit() and int(status) in Status.values:
        qs = qs.filter(status=int(status))
    elif not status:
        qs = qs.filter(status__in=selectors.OPEN_STATUSES)
    if request.GET.get("overdue"):
        qs = qs.filter(selectors.overdue_q())
    page = Paginator(qs.order_by("due_date", "submitted_at"), 30).get_page(request.GET.get("page"))
    for d in page.object_list:
        d.overdue = selectors.is_overdue(d)  # type: ignore[attr-defined]
    return render(request, "portal/desk.html", {"page": page, "statuses": Status.choices, "status": status,
                                                "overdue_only": bool(request.GET.get("overdue"))})


def _visible(request: HttpRequest, code: str) -> Any:
    dossier = selectors.visible_dossier(request.user, code)
    if dossier is None:
        raise Http404(_("No such dossier"))
    return dossier


class ResultForm(forms.Form):
    outgoing_id = forms.IntegerField(required=False, label=_("Issued document (number in the register)"))


def _forms(row: Any, officer: bool, applicant: bool, pending: Any) -> dict[str, bool]:
    """Which move forms the page shows this reader, by slot (the action's name with underscores)."""
    allowed, status = flow.TRANSITIONS[row.status], row.status
    return {
        "accept": officer and Status.ACCEPTED in allowed,
        "process": officer and Status.PROCESSING in allowed and status not in (Status.FEES_REQUESTED, Status.PAPERS_REQUESTED),
        "confirm_payment": officer and pending is not None,
        "refuse": officer and Status.NOT_ACCEPTED in allowed,
        "request_papers": officer and Status.PAPERS_REQUESTED in allowed,
        "request_fees": officer and Status.FEES_REQUESTED in allowed,
        "finish": officer and Status.PROCESSED in allowed,
        "return": officer and Status.RETURNED in allowed,
        "stop": officer and Status.STOPPED in allowed,
        "papers": applicant and status == Status.PAPERS_REQUESTED,
        "withdraw": applicant and Status.WITHDRAWAL_REQUESTED in allowed,
    }


# Where a move's error goes: (action, the error's field) -> the slot in that action's form and the id of
# the input it concerns, beside which the page shows it. The services call a reason "reason"; the input is "note".
ERROR_SLOTS = {
    ("refuse", "reason"): ("refuse", "refuse-note"), ("refuse", "note"): ("refuse", "refuse-note"),
    ("request-papers", "note"): ("request_papers", "papers-note"),
    ("request-fees", "amount"): ("request_fees", "fee"),
    ("finish", "outgoing"): ("finish_outgoing", "outgoing"), ("finish", "result"): ("finish_result", "result"),
    ("confirm-payment", "reference"): ("confirm_payment", "confirm-payment"),
    ("stop", "reason"): ("stop", "stop-note"), ("stop", "note"): ("stop", "stop-note"),
    ("papers", "files"): ("papers", "more"),
}


@login_required
def dossier(request: HttpRequest, code: str, failed: DomainError | None = None, action: str = "") -> HttpResponse:
    user = _user(request)
    row = _visible(request, code)
    officer = may(user, "portal.dossier.handle", row)
    applicant = row.applicant_id == user.pk
    pending = row.payments.filter(state=PaymentState.PENDING).first()
    shown = _forms(row, officer, applicant, pending)
    issued: list[Any] = []
    if shown["finish"]:
        from govoffice.records.models import Outgoing, OutgoingState

        issued = list(Outgoing.objects.filter(agency=user.agency, state=OutgoingState.ISSUED).order_by("-issued_at")[:50])
    context = {
        "d": row, "officer": officer, "applicant": applicant, "shown": shown, "S": Status,
        "overdue": selectors.is_overdue(row), "steps": row.steps.all(), "files": row.files.all(),
        "payments": row.payments.all(), "pending": pending, "issued": issued,
        "error": "", "error_for": "", "errors": {}, "typed": {},
    }
    if failed is not None:
        # The message goes beside the input it concerns, in the refused move's form, and the alert at the top
        # links there. One with no such input on the page (a conflict; a dossier another officer has just
        # moved on, so the form is gone) is said at the top alone.
        slot, input_id = ERROR_SLOTS.get((action, failed.field or ""), ("", ""))
        if slot and shown[action.replace("-", "_")]:
            context.update(errors={slot: failed.message}, error_for=input_id)
        # What was typed into the refused form, shown again to be corrected (a NUL, refused as bad input, dropped).
        context.update(error=failed.message,
                       typed={action.replace("-", "_"): {k: str(request.POST.get(k, "")).replace("\x00", "") for k in request.POST}})
    return render(request, "portal/dossier.html", context, status=422 if failed is not None else 200)


def _amount(request: HttpRequest) -> int | None:
    """The fee the officer typed, in đồng (blank: the procedure's own fee); anything else is refused."""
    raw = request.POST.get("amount", "").strip().replace(".", "").replace(",", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise DomainError("invalid_amount", _("The amount must be a positive number of đồng"), field="amount", status=422)
    return int(raw)


MOVES = {
    "accept": lambda u, d, r: flow.accept_dossier(actor=u, dossier=d, note=r.POST.get("note", "")),
    "refuse": lambda u, d, r: flow.refuse_dossier(actor=u, dossier=d, reason=r.POST.get("note", "")),
    "request-papers": lambda u, d, r: flow.request_papers(actor=u, dossier=d, note=r.POST.get("note", "")),
    "request-fees": lambda u, d, r: flow.request_fees(actor=u, dossier=d, note=r.POST.get("note", ""), amount=_amount(r)),
    "process": lambda u, d, r: flow.start_processing(actor=u, dossier=d, note=r.POST.get("note", "")),
    "return": lambda u, d, r: flow.return_result(actor=u, dossier=d, note=r.POST.get("note", "")),
    "stop": lambda u, d, r: flow.stop_dossier(actor=u, dossier=d, reason=r.POST.get("note", "")),
    "withdraw": lambda u, d, r: flow.withdraw_dossier(actor=u, dossier=d, reason=r.POST.get("note", "")),
    "papers": lambda u, d, r: flow.add_papers(actor=u, dossier=d, files=_uploads(r), note=r.POST.get("note", "")),
}


def _finish(user: User, row: Any, request: HttpRequest) -> Any:
    from govoffice.records.models import Outgoing

    outgoing = None
    raw = request.POST.get("outgoing_id", "").strip()
    if raw:
        outgoing = Outgoing.objects.filter(pk=int(raw)).first() if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
        if outgoing is None:
            raise DomainError("not_issued", _("Choose a document your agency has issued and signed"), field="outgoing")
    uploads = _uploads(request, "result")
    return flow.finish_dossier(actor=user, dossier=row, outgoing=outgoing, pdf=uploads[0] if uploads else None,
                               note=request.POST.get("note", ""))


def _confirm(user: User, row: Any, request: HttpRequest) -> Any:
    reference = request.POST.get("reference", "")
    payment = Payment.objects.select_related("dossier").filter(dossier=row, reference=reference).first() if "\x00" not in reference else None
    if payment is None:
        raise DomainError("not_found", _("No such payment for this dossier"), field="reference")
    return flow.confirm_payment(actor=user, payment=payment)


@login_required
@require_POST
def move(request: HttpRequest, code: str, action: str) -> HttpResponse:
    user = _user(request)
    row = _visible(request, code)
    handler = {**MOVES, "finish": _finish, "confirm-payment": _confirm}.get(action)
    if handler is None:
        raise Http404(_("No such action"))
    try:
        limit_account(user, "write")
        handler(user, row, request)
    except RateLimited as exc:
        return limited_page(request, exc)
    except DomainError as exc:
        return dossier(request, code, failed=exc, action=action)
    return redirect("portal:dossier", code=row.receipt_code)


@login_required
def download(request: HttpRequest, code: str, file_id: int) -> FileResponse:
    row = _visible(request, code)
    file = DossierFile.objects.filter(dossier=row, pk=file_id).first()
    if file is None or (file.role == "result" and row.status != Status.RETURNED and not may(request.user, "portal.dossier.handle", row)):
        raise Http404(_("No such file"))
    return FileResponse(file.file.open("rb"), as_attachment=True, filename=file.name, content_type=file.content_type)


@login_required
def result_document(request: HttpRequest, code: str) -> FileResponse:
    from govoffice.records.services.outgoing import issued_file

    row = _visible(request, code)
    if row.result_outgoing is None or (row.status != Status.RETURNED and not may(request.user, "portal.dossier.handle", row)):
        raise Http404(_("No such file"))
    file = issued_file(row.result_outgoing)
    if file is None:
        raise Http404(_("No such file"))
    return FileResponse(file.file.open("rb"), as_attachment=True, filename=file.name, content_type="application/pdf")
