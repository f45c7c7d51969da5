"""Dossiers: online submission and every move of the status lifecycle (DOMAIN.md §3, codes 1–10).

Each move is one function, inside one transaction, writing its audit event and the timeline
step, and e-mailing the applicant after commit. The allowed moves are TRANSITIONS: anything else
is a Conflict (409) and changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from govoffice.audit.services import record_event
from govoffice.deadlines import calendar
from govoffice.directory.models import User
from govoffice.directory.permissions import may
from govoffice.lib.errors import Conflict, DomainError, Forbidden
from govoffice.notify.services import send_notice
from govoffice.portal import conf, payments, procedure_form, public_cache, receipts
from govoffice.portal.models import (
    AccountKind,
    Dossier,
    DossierFile,
    DossierStep,
    Payment,
    PaymentState,
    Procedure,
    Status,
)
from govoffice.records.files import sniff

S = Status
TRANSITIONS: dict[int, set[int]] = {
    S.REGISTERED: {S.ACCEPTED, S.NOT_ACCEPTED, S.PAPERS_REQUESTED, S.WITHDRAWAL_REQUESTED},
    S.ACCEPTED: {S.PROCESSING, S.PAPERS_REQUESTED, S.FEES_REQUESTED, S.WITHDRAWAL_REQUESTED, S.STOPPED},
    S.PROCESSING: {S.PAPERS_REQUESTED, S.FEES_REQUESTED, S.PROCESSED, S.WITHDRAWAL_REQUESTED, S.STOPPED},
    S.PAPERS_REQUESTED: {S.REGISTERED, S.PROCESSING, S.WITHDRAWAL_REQUESTED, S.STOPPED},
    S.FEES_REQUESTED: {S.PROCESSING, S.WITHDRAWAL_REQUESTED, S.STOPPED},
    S.WITHDRAWAL_REQUESTED: {S.STOPPED},
    S.PROCESSED: {S.RETURNED},
    S.NOT_ACCEPTED: set(),
    S.STOPPED: set(),
    S.RETURNED: set(),
}
PAUSED = (S.PAPERS_REQUESTED, S.FEES_REQUESTED)
MAX_FEE = 2_000_000_000  # đồng: what the amount columns hold on every database


@dataclass
class Upload:
    name: str
    data: bytes


def check_files(files: list[Upload], *, field: str = "files") -> list[tuple[Upload, str]]:
    """Each file's sniffed type; DomainError for a disguised or unknown type (415) or one over the caps (413)."""
    if len(files) > conf.get("max_files"):
        raise DomainError("too_many_files", _("At most %(n)s files") % {"n": conf.get("max_files")}, field=field, status=413)
    total, out = 0, []
    for upload in files:
        size = len(upload.data)
        total += size
        if size > conf.get("max_file_bytes"):
            raise DomainError("file_too_large", _("%(name)s is larger than %(mb)s MB") % {
                "name": upload.name, "mb": conf.get("max_file_bytes") // (1024 * 1024)}, field=field, status=413)
        if not size:
            raise DomainError("empty_file", _("%(name)s is empty") % {"name": upload.name}, field=field, status=422)
        ctype = sniff(upload.data)
        if ctype not in conf.ATTACHMENT_TYPES:
            raise DomainError("unsupported_file_type", _("%(name)s is not a PDF, JPEG or PNG file (checked by its content)") % {
                "name": upload.name}, field=field, status=415)
        out.append((upload, ctype))
    if total > conf.get("max_dossier_bytes"):
        raise DomainError("dossier_too_large", _("The files together exceed %(mb)s MB") % {
            "mb": conf.get("max_dossier_bytes") // (1024 * 1024)}, field=field, status=413)
    return out


def _store(dossier: Dossier, checked: list[tuple[Upload, str]], role: str) -> None:
    for upload, ctype in checked:
        row = DossierFile(dossier=dossier, role=role, name=upload.name[:255], content_type=ctype, size=len(upload.data),
                          sha256=hashlib.sha256(upload.data).hexdigest())
        row.file.save(upload.name[-80:] or "file", ContentFile(upload.data), save=False)
        row.save()


def _notify(dossier: Dossier, note: str) -> None:
    """E-mail the applicant in their own language (User.language, Vietnamese by default), not the officer's."""
    if dossier.applicant is None:
        return
    with translation.override(getattr(dossier.applicant, "language", "") or "vi"):
        label = str(Status(dossier.status).label)
        body = _("Dossier %(code)s (%(procedure)s): %(status)s.") % {
            "code": dossier.receipt_code, "procedure": dossier.procedure.name, "status": label}
        if note:
            body += "\n" + note
        if dossier.due_date and dossier.status in (S.ACCEPTED, S.PROCESSING):
            body += "\n" + _("Due: %(date)s") % {"date": dossier.due_date.strftime("%d/%m/%Y")}
        subject = _("Dossier %(code)s: %(status)s") % {"code": dossier.receipt_code, "status": label}
    send_notice(to=dossier.applicant, kind="portal.dossier", ref=dossier.receipt_code, subject=subject, body=body)


def _move(dossier: Dossier, to: int, *, actor: User | None, note: str = "", action: str, data: dict[str, Any] | None = None) -> Dossier:
    locked = Dossier.objects.select_for_update(of=("self",)).select_related("procedure", "applicant", "agency").get(pk=dossier.pk)
    if to not in TRANSITIONS[locked.status]:
        raise Conflict("invalid_transition", _("A dossier that is “%(now)s” cannot become “%(to)s”") % {
            "now": Status(locked.status).label, "to": Status(to).label})
    now = timezone.now()
    today = timezone.localdate()
    if to in PAUSED and locked.due_date is not None and locked.paused_on is None:
        locked.paused_on = today
    if locked.paused_on is not None and to not in PAUSED:
        # Working days spent waiting for the applicant do not count against the agency.
        waited = max(0, calendar().between(locked.paused_on, today))
        if locked.due_date is not None and waited:
            locked.due_date = calendar().add(locked.due_date, waited)
        locked.paused_on = None
    if to == S.ACCEPTED:
        locked.accepted_at = now
        locked.due_date = calendar().add(today, locked.procedure.processing_days)
    if to in (S.PROCESSED, S.NOT_ACCEPTED, S.STOPPED):
        locked.finished_at = now
        locked.finished_late = bool(locked.due_date and today > locked.due_date)
    locked.status = to
    locked.status_note = note[:1000]
    locked.status_changed_at = now
    locked.save()
    public_cache.forget_status_on_commit(locked.receipt_code)  # the public lookup shows the new status at once
    DossierStep.objects.create(dossier=locked, at=now, status=to, note=note[:1000], actor=actor)
    record_event(action, actor=actor, obj=locked, agency=locked.agency.code,
                 data={"receipt_code": locked.receipt_code, "status": to, **(data or {})})
    _notify(locked, note)
    return locked


def _require(actor: User, action: str, dossier: Dossier) -> None:
    if not may(actor, action, dossier):
        raise Forbidden("forbidden", _("You may not do this with this dossier"))


def _required_note(note: str, field: str = "note") -> str:
    note = (note or "").strip()
    if not note:
        raise DomainError("required", _("Say why: the applicant reads this"), field=field, status=422)
    return note


def _new_code(year: int) -> str:
    fmt = receipts.format_for("dossier")
    for _attempt in range(8):
        code = fmt.new(year)
        if not Dossier.objects.filter(receipt_code=code).exists():
            return code
    raise RuntimeError("could not draw a free receipt code")


@transaction.atomic
def submit_dossier(*, applicant: User, procedure: Procedure, values: Mapping[str, Any], files: list[Upload],
                   idempotency_key: str | None = None) -> Dossier:
    """File a dossier online: the procedure's form checked, the files checked by content, a receipt code (status 1)."""
    if idempotency_key:
        earlier = Dossier.objects.filter(applicant=applicant, idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    if not may(applicant, "portal.dossier.submit", procedure):
        if not procedure.online:
            raise DomainError("not_online", _("This procedure is not filed online"), field="procedure", status=422)
        raise Forbidden("forbidden", _("Only citizens or businesses this procedure is for may file it, with a confirmed account"))
    cleaned = procedure_form.clean(procedure.form, values)
    checked = check_files(files)
    if len(checked) < procedure.min_attachments:
        raise DomainError("papers_missing", _("Attach at least %(n)s file(s): the required papers") % {
            "n": procedure.min_attachments}, field="files", status=422)
    account = getattr(applicant, "portal_account", None)
    kind = account.kind if account else (AccountKind.BUSINESS if "business" in procedure.applicants else AccountKind.CITIZEN)
    now = timezone.now()
    dossier = Dossier(
        receipt_code=_new_code(timezone.localdate().year), procedure=procedure, agency=procedure.agency,
        applicant=applicant, applicant_kind=kind, applicant_name=(account.display_name if account else applicant.full_name)[:255],
        data=cleaned, submitted_at=now, status_changed_at=now, idempotency_key=idempotency_key,
    )
    try:
        with transaction.atomic():
            dossier.save()
    except IntegrityError:  # the same key raced in from a parallel retry
        earlier = Dossier.objects.filter(applicant=applicant, idempotency_key=idempotency_key).first()
        if earlier is None:
            raise
        return earlier
    _store(dossier, checked, "attachment")
    DossierStep.objects.create(dossier=dossier, at=now, status=S.REGISTERED, actor=applicant)
    record_event("portal.dossier_submitted", actor=applicant, obj=dossier, agency=procedure.agency.code,
                 data={"receipt_code": dossier.receipt_code, "procedure": procedure.code, "files": len(checked)})
    _notify(dossier, _("Keep this receipt code to follow your dossier: %(code)s") % {"code": dossier.receipt_code})
    return dossier


@transaction.atomic
def accept_dossier(*, actor: User, dossier: Dossier, note: str = "") -> Dossier:
    """The agency accepts the dossier (2): the working-day deadline starts."""
    _require(actor, "portal.dossier.handle", dossier)
    return _move(dossier, S.ACCEPTED, actor=actor, note=note, action="portal.dossier_accepted")


@transaction.atomic
def refuse_dossier(*, actor: User, dossier: Dossier, reason: str) -> Dossier:
    """The agency does not accept the dossier (3), saying why."""
    _require(actor, "portal.dossier.handle", dossier)
    return _move(dossier, S.NOT_ACCEPTED, actor=actor, note=_required_note(reason, "reason"), action="portal.dossier_refused")


@transaction.atomic
def request_papers(*, actor: User, dossier: Dossier, note: str) -> Dossier:
    """Ask the applicant for more papers (5); the clock stops until they arrive."""
    _require(actor, "portal.dossier.handle", dossier)
    return _move(dossier, S.PAPERS_REQUESTED, actor=actor, note=_required_note(note), action="portal.papers_requested")


@transaction.atomic
def add_papers(*, actor: User, dossier: Dossier, files: list[Upload], note: str = "") -> Dossier:
    """The applicant sends the papers asked for: back to registered (1) or to processing (4) if accepted."""
    _require(actor, "portal.dossier.apply", dossier)
    checked = check_files(files)
    if not checked:
        raise DomainError("required", _("Attach the papers the agency asked for"), field="files", status=422)
    current = Dossier.objects.get(pk=dossier.pk)
    if current.status != S.PAPERS_REQUESTED:
        raise Conflict("invalid_transition", _("The agency has not asked for papers"))
    _store(current, checked, "supplement")
    to = S.PROCESSING if current.accepted_at else S.REGISTERED
    return _move(current, to, actor=actor, note=note.strip() or _("The applicant sent the papers asked for"),
                 action="portal.papers_added", data={"files": len(checked)})


@transaction.atomic
def request_fees(*, actor: User, dossier: Dossier, amount: int | None = None, note: str = "", provider: str = "bank_transfer") -> Payment:
    """Ask for the fee (6) through a payment provider; the applicant gets the payment instructions."""
    _require(actor, "portal.dossier.handle", dossier)
    amount = dossier.procedure.fee_amount if amount is None else amount
    if not 0 < amount <= MAX_FEE:
        raise DomainError("invalid_amount", _("The amount must be a positive number of đồng"), field="amount", status=422)
    opened = payments.provider(provider).open(receipt_code=dossier.receipt_code, amount=amount)
    Payment.objects.filter(dossier=dossier, state=PaymentState.PENDING).update(state=PaymentState.CANCELLED)
    payment = Payment.objects.create(dossier=dossier, provider=provider, amount=amount, reference=opened.reference,
                                     instructions=opened.instructions)
    Dossier.objects.filter(pk=dossier.pk).update(fee_amount=amount)
    text = "\n".join(p for p in (note.strip(), opened.instructions) if p)
    _move(dossier, S.FEES_REQUESTED, actor=actor, note=text, action="portal.fees_requested",
          data={"amount": amount, "reference": opened.reference})
    return payment


@transaction.atomic
def confirm_payment(*, actor: User, payment: Payment) -> Payment:
    """An officer confirms the transfer arrived: the payment is settled and processing resumes (4)."""
    _require(actor, "portal.dossier.handle", payment.dossier)
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    if locked.state != PaymentState.PENDING:
        raise Conflict("payment_not_pending", _("This payment is not awaiting confirmation"))
    locked.state, locked.confirmed_at, locked.confirmed_by = PaymentState.CONFIRMED, timezone.now(), actor
    locked.save()
    _move(payment.dossier, S.PROCESSING, actor=actor, note=_("Payment %(ref)s received") % {"ref": locked.reference},
          action="portal.payment_confirmed", data={"reference": locked.reference, "amount": locked.amount})
    return locked


@transaction.atomic
def start_processing(*, actor: User, dossier: Dossier, note: str = "") -> Dossier:
    """Processing starts (4)."""
    _require(actor, "portal.dossier.handle", dossier)
    if dossier.status == S.FEES_REQUESTED:
        raise Conflict("fee_unpaid", _("Confirm the payment first"))
    return _move(dossier, S.PROCESSING, actor=actor, note=note, action="portal.processing_started")


def _result_pdf(actor: User, pdf: Upload) -> None:
    from govoffice.records.pdfsign import check_pdf
    from govoffice.signing.services import trusted_cas

    if sniff(pdf.data) != "application/pdf":
        raise DomainError("unsupported_file_type", _("The result must be a PDF file"), field="result", status=415)
    if len(pdf.data) > conf.get("max_file_bytes"):
        raise DomainError("file_too_large", _("The result file is too large"), field="result", status=413)
    try:
        checks = check_pdf(pdf.data, trusted_cas())
    except Exception as exc:  # a PDF pyHanko cannot read is no signed result
        raise DomainError("unsigned_result", _("The PDF cannot be read as a signed document"), field="result", status=422) from exc
    if not any(c.ok for c in checks):
        raise DomainError("unsigned_result", _("The result PDF must carry a valid digital signature from a trusted authority"),
                          field="result", status=422)


@transaction.atomic
def finish_dossier(*, actor: User, dossier: Dossier, outgoing: Any = None, pdf: Upload | None = None, note: str = "") -> Dossier:
    """Processing is done (9): the result is an issued registry document or an uploaded PDF with a valid PAdES signature."""
    _require(actor, "portal.dossier.handle", dossier)
    if (outgoing is None) == (pdf is None):
        raise DomainError("result_required", _("Give the result: an issued document or a signed PDF"), field="result", status=422)
    if outgoing is not None:
        from govoffice.directory.permissions import same_agency
        from govoffice.records.models import OutgoingState
        from govoffice.records.services.outgoing import issued_file

        if outgoing.state != OutgoingState.ISSUED or issued_file(outgoing) is None or not same_agency(actor, outgoing.agency):
            raise DomainError("not_issued", _("Choose a document your agency has issued and signed"), field="outgoing", status=422)
        Dossier.objects.filter(pk=dossier.pk).update(result_outgoing=outgoing)
    else:
        assert pdf is not None
        _result_pdf(actor, pdf)
        _store(dossier, [(pdf, "application/pdf")], "result")
    return _move(dossier, S.PROCESSED, actor=actor, note=note, action="portal.dossier_processed",
                 data={"result": outgoing.notation if outgoing is not None else "pdf"})


@transaction.atomic
def return_result(*, actor: User, dossier: Dossier, note: str = "") -> Dossier:
    """The result is returned to the applicant (10): they can download it."""
    _require(actor, "portal.dossier.handle", dossier)
    return _move(dossier, S.RETURNED, actor=actor, note=note or _("The result is ready to download on the portal"),
                 action="portal.result_returned")


@transaction.atomic
def withdraw_dossier(*, actor: User, dossier: Dossier, reason: str = "") -> Dossier:
    """The applicant asks to withdraw the dossier (7); the agency then stops it."""
    _require(actor, "portal.dossier.apply", dossier)
    Payment.objects.filter(dossier=dossier, state=PaymentState.PENDING).update(state=PaymentState.CANCELLED)
    return _move(dossier, S.WITHDRAWAL_REQUESTED, actor=actor, note=reason.strip(), action="portal.withdrawal_requested")


@transaction.atomic
def stop_dossier(*, actor: User, dossier: Dossier, reason: str) -> Dossier:
    """The agency stops processing (8): at the applicant's request, or with a reason of its own."""
    _require(actor, "portal.dossier.handle", dossier)
    return _move(dossier, S.STOPPED, actor=actor, note=_required_note(reason, "reason"), action="portal.dossier_stopped")
