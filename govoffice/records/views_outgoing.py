"""Outgoing pages (/records/outgoing/…): the list, a new draft, its page with the draft PDF,
the actions of whoever holds it (review, approve, sign, issue, resend), the issued PDF with
its signature check, and the recipients' statuses from the hub. Thin: services decide."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govoffice.directory.models import Clearance, Role, User
from govoffice.directory.permissions import may
from govoffice.lib.errors import DomainError
from govoffice.records.forms_outgoing import OutgoingForm, leaders_of
from govoffice.records.layout import LayoutError
from govoffice.records.models import Outgoing, OutgoingState, RecordFile
from govoffice.records.pdfsign import check_pdf
from govoffice.records.permissions import visible_to
from govoffice.records.services import outgoing as flow
from govoffice.records.views_submissions import forbidden, office_page, user_of
from govoffice.signing.people import current_key
from govoffice.signing.services import trusted_cas

PAGE_SIZE = 50
HISTORY_LABELS = {
    "records.outgoing_created": gettext_lazy("Drafted"),
    "records.outgoing_updated": gettext_lazy("Changed"),
    "records.outgoing_sent_for_review": gettext_lazy("Sent for review"),
    "records.outgoing_approved": gettext_lazy("Approved"),
    "records.outgoing_returned": gettext_lazy("Returned for changes"),
    "records.outgoing_signed": gettext_lazy("Signed"),
    "records.outgoing_issued": gettext_lazy("Numbered and issued"),
    "records.outgoing_dispatched": gettext_lazy("Sent through the hub"),
    "records.outgoing_dispatch_failed": gettext_lazy("Sending through the hub failed"),
}
STATUS_LABELS = {
    "01": gettext_lazy("arrived"), "02": gettext_lazy("returned"), "03": gettext_lazy("registered"),
    "04": gettext_lazy("assigned"), "05": gettext_lazy("processing"), "06": gettext_lazy("done"),
}


def _document(request: HttpRequest, pk: int) -> Outgoing:
    row = Outgoing.objects.select_related("agency", "signer", "reviewer", "drafting_unit", "created_by", "submission").filter(pk=pk).first()
    if row is None or not may(request.user, "records.view", row):
        raise Http404
    return row


@office_page
def outgoing_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    qs = Outgoing.objects.filter(visible_to(user)).select_related("signer", "created_by")
    show = request.GET.get("show", "all")
    if show == "waiting":
        qs = qs.filter(Q(reviewer=user, state=OutgoingState.REVIEW) | Q(signer=user, state=OutgoingState.APPROVED)
                       | (Q(state=OutgoingState.SIGNED) if user.has_role(Role.CLERK) else Q(pk__in=[])))
    elif show == "mine":
        qs = qs.filter(created_by=user)
    else:
        show = "all"
    if request.GET.get("state") in OutgoingState.values:
        qs = qs.filter(state=request.GET["state"])
    page = Paginator(qs.order_by("-urgency", "-created_at", "-pk") if show == "waiting" else qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "records/outgoing/list.html", {
        "page": page, "show": show, "states": OutgoingState.choices, "state": request.GET.get("state", ""),
        "may_draft": may(user, "records.draft", user.agency),
    })


def _codes(text: str) -> list[str]:
    return [c for c in re.split(r"[\s,;]+", text) if c]


def _draft(form: OutgoingForm, submission_id: int | None = None) -> flow.OutgoingDraft:
    f = form.cleaned_data
    return flow.OutgoingDraft(
        doc_type=f["doc_type"], subject=f["subject"], body=f["body"], authority=f["authority"],
        drafting_unit=f["drafting_unit"], place=f["place"], urgency=f["urgency"], confidentiality=f["confidentiality"],
        recipients=_codes(f["recipients"]), recipient_places=f["recipient_places"], signer=f["signer"],
        signer_competence=f["signer_competence"], signer_on_behalf=f["signer_on_behalf"], signer_title=f["signer_title"],
        submission_id=submission_id,
    )


def _initial(row: Outgoing) -> dict[str, Any]:
    return {
        "doc_type": row.doc_type, "authority": row.authority_short, "drafting_unit": row.drafting_unit.code if row.drafting_unit else "",
        "subject": row.subject, "body": row.body, "place": row.place, "urgency": row.urgency,
        "confidentiality": row.confidentiality, "recipients": " ".join(row.recipients.values_list("code", flat=True)),
        "recipient_places": row.recipient_places, "signer": row.signer.username if row.signer else "",
        "signer_competence": row.signer_competence, "signer_on_behalf": row.signer_on_behalf, "signer_title": row.signer_title,
    }


def _edit(request: HttpRequest, row: Outgoing | None) -> HttpResponse:
    user = user_of(request)
    if not may(user, "records.draft", user.agency):
        return forbidden(request, _("Only the agency's specialists and leaders draft documents."))
    submission_id = int(request.GET["submission"]) if request.GET.get("submission", "").isdigit() else None
    form = OutgoingForm(request.POST or None, initial=_initial(row) if row else None, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if row is None:
                    row = flow.create_outgoing(actor=user, agency=user.agency, draft=_draft(form, submission_id))  # type: ignore[arg-type]
                else:
                    row = flow.update_outgoing(actor=user, outgoing=row, draft=_draft(form, row.submission_id))
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("records:outgoing_detail", pk=row.pk)
        else:
            status = 400
        form.mark_invalid()
    return render(request, "records/outgoing/edit.html", {"form": form, "row": row}, status=status)


@office_page
def outgoing_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@office_page
def outgoing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, _document(request, pk))


def _history(row: Outgoing) -> list[dict[str, Any]]:
    events = flow.history(row)
    names = dict(User.objects.filter(pk__in={e.actor_id for e in events if e.actor_id}).values_list("pk", "full_name"))
    return [{"event": e, "label": HISTORY_LABELS.get(e.action, e.action),
             "who": (names.get(e.actor_id) if e.actor_id else None) or e.actor,
             "detail": e.data.get("comment") or e.data.get("notation") or e.data.get("reviewer") or e.data.get("message") or ""}
            for e in events]


def _signature(row: Outgoing) -> Any:
    file = flow.issued_file(row)
    if file is None:
        return None
    with file.file.open("rb") as fh:
        checks = check_pdf(fh.read(), trusted_cas())
    return checks[0] if checks else None


def _context(request: HttpRequest, row: Outgoing) -> dict[str, Any]:
    user = user_of(request)
    editable = row.state in flow.EDITABLE and may(user, "records.draft", row.agency)
    statuses = flow.recipient_statuses(row)
    for entry in statuses:
        for status in entry.get("statuses", []):
            status["label"] = STATUS_LABELS.get(status["code"], status.get("meaning", ""))
    names = dict(row.recipients.values_list("code", "name_vi"))
    return {
        "row": row, "editable": editable,
        "reviewers": leaders_of(row.agency, row.confidentiality).exclude(pk=user.pk) if editable else [],
        "reviewing": row.state == OutgoingState.REVIEW and row.reviewer_id == user.pk and may(user, "records.approve", row),
        "may_sign": row.state == OutgoingState.APPROVED and may(user, "records.sign", row),
        "has_key": current_key(user) is not None,
        "may_issue": row.state == OutgoingState.SIGNED and may(user, "records.issue", row),
        "may_resend": row.state == OutgoingState.ISSUED and bool(row.dispatch_error) and may(user, "records.issue", row),
        "secret": row.confidentiality > Clearance.NONE,
        "recipients": list(row.recipients.order_by("code")),
        "statuses": [{**s, "name": names.get(s["organ_id"], s["organ_id"])} for s in statuses],
        "issued": flow.issued_file(row),
        "signature": _signature(row) if row.state == OutgoingState.ISSUED else None,
        "history": _history(row),
    }


@office_page
def outgoing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "records/outgoing/detail.html", _context(request, _document(request, pk)))


@office_page
def outgoing_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft laid out as it will be issued, number and date left blank."""
    row = _document(request, pk)
    try:
        pdf = flow.preview_pdf(row)
    except LayoutError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="du-thao.pdf"'
    return response


@office_page
def outgoing_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    row = _document(request, pk)
    file = RecordFile.objects.filter(pk=file_pk, outgoing=row).first()
    if file is None:
        raise Http404
    return FileResponse(file.file.open("rb"), content_type=file.content_type, filename=file.name)


def _act(request: HttpRequest, pk: int, run: Callable[[User, Outgoing], str]) -> HttpResponse:
    row = _document(request, pk)
    try:
        done = run(user_of(request), row)
    except DomainError as exc:
        context = _context(request, _document(request, pk))
        context.update({"error": exc, "posted": request.POST, "error_general": exc.field not in ("reviewer", "comment")})
        return render(request, "records/outgoing/detail.html", context, status=exc.status)
    messages.success(request, done)
    return redirect("records:outgoing_detail", pk=row.pk)


@require_POST
@office_page
def outgoing_review(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: User, row: Outgoing) -> str:
        raw = request.POST.get("reviewer", "")
        reviewer = User.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if reviewer is None:
            raise DomainError("required", _("Choose who reviews it"), field="reviewer")
        flow.send_for_review(actor=user, outgoing=row, reviewer=reviewer)
        return _("Sent to %(name)s for review.") % {"name": reviewer}

    return _act(request, pk, run)


@require_POST
@office_page
def outgoing_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: User, row: Outgoing) -> str:
        flow.approve_outgoing(actor=user, outgoing=row, comment=request.POST.get("comment", ""))
        return _("Approved: it now waits for its signer.")

    return _act(request, pk, run)


@require_POST
@office_page
def outgoing_return(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: User, row: Outgoing) -> str:
        flow.return_outgoing(actor=user, outgoing=row, comment=request.POST.get("comment", ""))
        return _("Returned to the drafter with your comments.")

    return _act(request, pk, run)


@require_POST
@office_page
def outgoing_sign(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: User, row: Outgoing) -> str:
        flow.sign_outgoing(actor=user, outgoing=row)
        return _("Signed: the clerk can now number and issue it.")

    return _act(request, pk, run)


@require_POST
@office_page
def outgoing_issue(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: User, row: Outgoing) -> str:
        done = flow.issue_outgoing(actor=user, outgoing=row)
        return _("Issued as %(notation)s.") % {"notation": done.notation}

    return _act(request, pk, run)


@require_POST
@office_page
def outgoing_resend(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: User, row: Outgoing) -> str:
        done = flow.resend_outgoing(actor=user, outgoing=row)
        return _("Sent through the hub.") if done.hub_message_id and not done.dispatch_error else _("Sending failed again: %(error)s") % {"error": done.dispatch_error}

    return _act(request, pk, run)
