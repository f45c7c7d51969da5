"""Outgoing documents: draft → review → approval → the signer's signature → number → issue.

Issuing is one transaction: the number is taken (series row locked), the PDF is laid out
with it (Decree 30, PDF/A), signed PAdES with the designated signer's key, stored and the
document marked issued; a failure anywhere gives the number back. After commit the PDF goes
through the hub to the recipients (secret documents never do: they go by the confidential
post, not over the network).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from govoffice_agent import edxml

from govoffice.audit.models import Event
from govoffice.audit.services import record_event
from govoffice.directory.models import Agency, Clearance, User
from govoffice.directory.permissions import may
from govoffice.lib.errors import Conflict, DomainError, Forbidden
from govoffice.records import layout
from govoffice.records.files import Upload, store
from govoffice.records.models import (
    DocType,
    Incoming,
    Outgoing,
    OutgoingState,
    RecordFile,
    Submission,
    SubmissionState,
    Urgency,
)
from govoffice.records.pdfsign import sign_pdf
from govoffice.records.permissions import LEADERS, visible_to
from govoffice.records.search import reindex
from govoffice.records.services.marks import check_marks
from govoffice.records.services.numbering import current_year, next_number, notation, series_key
from govoffice.signing.people import signer_identity

log = logging.getLogger(__name__)
EDITABLE = (OutgoingState.DRAFT, OutgoingState.RETURNED)
COMPETENCES = ("", "TM.", "KT.", "TL.", "TUQ.", "Q.")

# Authorities whose documents an agency's clerks issue besides its own (short, name).
EXTRA_AUTHORITIES: dict[str, list[tuple[str, str]]] = {
    "000.00.00.G22": [("TTg", "Thủ tướng Chính phủ"), ("CP", "Chính phủ")],
}


def authorities(agency: Agency) -> list[tuple[str, str]]:
    """(short, name) of the authorities `agency` issues for: itself first."""
    own = (agency.short_name or agency.code, agency.name_vi)
    return [own, *EXTRA_AUTHORITIES.get(agency.code, [])]


def edxml_type(doc_type: str) -> int:
    """The edXML DocumentType/Type integer: the type's place in Decree 30's list (1 = Nghị quyết)."""
    return DocType.values.index(doc_type) + 1


@dataclass
class OutgoingDraft:
    doc_type: str
    subject: str
    body: str
    authority: str = ""  # short name; empty = the agency itself
    drafting_unit: str = ""  # organisation code; empty = the drafter's unit
    place: str = "Hà Nội"
    urgency: int = Urgency.NORMAL
    confidentiality: int = Clearance.NONE
    recipients: list[str] = field(default_factory=list)  # organisation codes, sent through the hub
    recipient_places: str = ""
    signer: str = ""  # username
    signer_competence: str = ""
    signer_on_behalf: str = ""
    signer_title: str = ""
    submission_id: int | None = None
    reply_to_id: int | None = None


@dataclass
class _Checked:
    authority: tuple[str, str]
    unit: Agency | None
    recipients: list[Agency]
    signer: User | None
    submission: Submission | None
    reply_to: Incoming | None


def _check(actor: User, agency: Agency, draft: OutgoingDraft) -> _Checked:
    if draft.doc_type not in DocType.values:
        raise DomainError("invalid_choice", _("Unknown document type %(type)s") % {"type": draft.doc_type}, field="doc_type")
    if not draft.subject.strip():
        raise DomainError("required", _("The subject (trích yếu) is required"), field="subject")
    if not draft.body.strip():
        raise DomainError("required", _("The body is required"), field="body")
    if not draft.place.strip():
        raise DomainError("required", _("The place of issue is required"), field="place")
    check_marks(actor, urgency=draft.urgency, confidentiality=draft.confidentiality,
                above_clearance=_("You may not draft above your own clearance"))
    if draft.signer_competence not in COMPETENCES:
        raise DomainError("invalid_choice", _("The competence is one of %(list)s") % {"list": ", ".join(c for c in COMPETENCES if c)}, field="signer_competence")
    choices = dict(authorities(agency))
    short = draft.authority or authorities(agency)[0][0]
    if short not in choices:
        raise DomainError("invalid_choice", _("%(agency)s does not issue for “%(authority)s”") % {"agency": agency.name_vi, "authority": short}, field="authority")
    unit = actor.unit
    if draft.drafting_unit:
        unit = Agency.objects.filter(code=draft.drafting_unit, parent=agency).first()
        if unit is None:
            raise DomainError("unknown_unit", _("%(unit)s is not a unit of %(agency)s") % {"unit": draft.drafting_unit, "agency": agency.name_vi}, field="drafting_unit")
    codes = list(dict.fromkeys(c.strip() for c in draft.recipients if c.strip()))
    recipients = list(Agency.objects.filter(code__in=codes, active=True))
    if len(recipients) != len(codes):
        missing = sorted(set(codes) - {a.code for a in recipients})
        raise DomainError("unknown_agency", _("No active agency %(code)s in the directory") % {"code": missing[0]}, field="recipients")
    signer = None
    if draft.signer:
        signer = User.objects.filter(username=draft.signer, agency=agency, is_active=True).first()
        if signer is None or not signer.has_role(*LEADERS):
            raise DomainError("invalid_signer", _("%(name)s is not a leader of %(agency)s") % {"name": draft.signer, "agency": agency.name_vi}, field="signer")
        if signer.clearance < draft.confidentiality:
            raise DomainError("invalid_signer", _("%(name)s may not see a document this secret") % {"name": draft.signer}, field="signer")
    submission = None
    if draft.submission_id is not None:
        submission = Submission.objects.filter(visible_to(actor), pk=draft.submission_id).first()
        if submission is None:
            raise DomainError("unknown_submission", _("No such submission that you may see"), field="submission_id")
    reply_to = None
    if draft.reply_to_id is not None:
        reply_to = Incoming.objects.filter(visible_to(actor), pk=draft.reply_to_id).first()
        if reply_to is None:
            raise DomainError("unknown_document", _("No such incoming document that you may see"), field="reply_to_id")
    return _Checked((short, choices[short]), unit, recipients, signer, submission, reply_to)


def _apply(row: Outgoing, draft: OutgoingDraft, checked: _Checked) -> None:
    row.doc_type, row.subject, row.body = draft.doc_type, draft.subject.strip()[:1000], draft.body.strip()
    row.authority_short, row.authority_name = checked.authority
    row.drafting_unit, row.place = checked.unit, draft.place.strip()[:100]
    row.urgency, row.confidentiality = draft.urgency, draft.confidentiality
    row.recipient_places = draft.recipient_places.strip()
    row.signer, row.signer_competence = checked.signer, draft.signer_competence
    row.signer_on_behalf, row.signer_title = draft.signer_on_behalf.strip()[:255], draft.signer_title.strip()[:255]
    row.submission, row.reply_to = checked.submission, checked.reply_to


def earlier_outgoing(actor: User, idempotency_key: str | None) -> Outgoing | None:
    """The draft `actor` made with this Idempotency-Key before, if any."""
    if not idempotency_key:
        return None
    return Outgoing.objects.filter(created_by=actor, idempotency_key=idempotency_key).first()


def create_outgoing(*, actor: User, agency: Agency, draft: OutgoingDraft, idempotency_key: str | None = None) -> Outgoing:
    """Draft a document to issue. With an idempotency key, a retry returns the first call's draft."""
    if not may(actor, "records.draft", agency):
        raise Forbidden("forbidden", _("Only the agency's specialists and leaders draft documents"))
    earlier = earlier_outgoing(actor, idempotency_key)
    if earlier is not None:
        return earlier
    checked = _check(actor, agency, draft)
    try:
        with transaction.atomic():
            row = Outgoing(agency=agency, created_by=actor, idempotency_key=idempotency_key or None)
            _apply(row, draft, checked)
            row.save()
            row.recipients.set(checked.recipients)
            record_event("records.outgoing_created", actor=actor, obj=row,
                         data={"doc_type": row.doc_type, "authority": row.authority_short, "subject": _safe_subject(row)})
            reindex("outgoing", row.pk)
    except IntegrityError:
        # The same key raced in from a retry: the first draft stands.
        found = earlier_outgoing(actor, idempotency_key)
        if found is None:
            raise
        return found
    return row


def _safe_subject(row: Outgoing) -> str:
    """The subject for the audit log; a secret document's stays out of it."""
    return row.subject[:200] if row.confidentiality == Clearance.NONE else ""


def _locked(outgoing: Outgoing) -> Outgoing:
    return Outgoing.objects.select_for_update(of=("self",)).select_related("agency", "signer", "drafting_unit").get(pk=outgoing.pk)


def update_outgoing(*, actor: User, outgoing: Outgoing, draft: OutgoingDraft) -> Outgoing:
    """Change a draft (or a returned one) before it goes to review again."""
    if not may(actor, "records.view", outgoing) or not may(actor, "records.draft", outgoing.agency):
        raise Forbidden("forbidden", _("You may not change this draft"))
    checked = _check(actor, outgoing.agency, draft)
    with transaction.atomic():
        row = _locked(outgoing)
        if row.state not in EDITABLE:
            raise Conflict("invalid_state", _("Only a draft or a returned document can be changed"))
        _apply(row, draft, checked)
        row.save()
        row.recipients.set(checked.recipients)
        record_event("records.outgoing_updated", actor=actor, obj=row, data={"subject": _safe_subject(row)})
        reindex("outgoing", row.pk)
    return row


def send_for_review(*, actor: User, outgoing: Outgoing, reviewer: User) -> Outgoing:
    """The drafter sends the draft to a leader who reviews and approves it."""
    if not may(actor, "records.view", outgoing) or not may(actor, "records.draft", outgoing.agency):
        raise Forbidden("forbidden", _("You may not send this draft for review"))
    if reviewer.pk == actor.pk:
        raise DomainError("invalid_reviewer", _("Someone else reviews your draft"), field="reviewer")
    if not may(reviewer, "records.approve", outgoing):
        raise DomainError("invalid_reviewer", _("%(name)s is not a leader who may approve this document") % {"name": reviewer}, field="reviewer")
    with transaction.atomic():
        row = _locked(outgoing)
        if row.state not in EDITABLE:
            raise Conflict("invalid_state", _("Only a draft or a returned document goes to review"))
        if row.signer_id is None:
            raise DomainError("required", _("Name the signer before review"), field="signer")
        row.state, row.reviewer, row.review_comment = OutgoingState.REVIEW, reviewer, ""
        row.save(update_fields=["state", "reviewer", "review_comment"])
        record_event("records.outgoing_sent_for_review", actor=actor, obj=row, data={"reviewer": reviewer.username})
        reindex("outgoing", row.pk)
    return row


def _reviewing(actor: User, outgoing: Outgoing) -> Outgoing:
    if not may(actor, "records.view", outgoing):
        raise Forbidden("forbidden", _("You may not act on this document"))
    row = _locked(outgoing)
    if row.state != OutgoingState.REVIEW:
        raise Conflict("invalid_state", _("This document is not in review"))
    if row.reviewer_id != actor.pk or not may(actor, "records.approve", row):
        raise Forbidden("not_your_turn", _("This document waits for someone else's review"))
    return row


def approve_outgoing(*, actor: User, outgoing: Outgoing, comment: str = "") -> Outgoing:
    """The reviewing leader approves the text: it goes to the signer."""
    with transaction.atomic():
        row = _reviewing(actor, outgoing)
        row.state, row.approved_by, row.approved_at = OutgoingState.APPROVED, actor, timezone.now()
        row.review_comment = comment.strip()
        row.save(update_fields=["state", "approved_by", "approved_at", "review_comment"])
        record_event("records.outgoing_approved", actor=actor, obj=row, data={"comment": comment.strip()[:500]})
        reindex("outgoing", row.pk)
    return row


def return_outgoing(*, actor: User, outgoing: Outgoing, comment: str) -> Outgoing:
    """The reviewer sends the draft back with comments."""
    with transaction.atomic():
        row = _reviewing(actor, outgoing)
        if not comment.strip():
            raise DomainError("required", _("Say what must change"), field="comment")
        row.state, row.review_comment = OutgoingState.RETURNED, comment.strip()
        row.save(update_fields=["state", "review_comment"])
        record_event("records.outgoing_returned", actor=actor, obj=row, data={"comment": comment.strip()[:500]})
        reindex("outgoing", row.pk)
    return row


def content_digest(row: Outgoing) -> str:
    """SHA-256 of what the signer approves: everything printed except the number and date."""
    content = {
        "authority": [row.authority_short, row.authority_name], "doc_type": row.doc_type, "subject": row.subject,
        "body": row.body, "place": row.place, "urgency": row.urgency, "confidentiality": row.confidentiality,
        "unit": row.drafting_unit_id, "recipients": sorted(row.recipients.values_list("code", flat=True)),
        "places": row.recipient_places, "signer": row.signer_id, "competence": row.signer_competence,
        "on_behalf": row.signer_on_behalf, "title": row.signer_title,
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def sign_outgoing(*, actor: User, outgoing: Outgoing) -> Outgoing:
    """The designated signer signs the approved text with their key (applied to the PDF at issue)."""
    if not may(actor, "records.sign", outgoing):
        raise Forbidden("forbidden", _("Only the designated signer, a leader, signs this document"))
    identity = signer_identity(actor)  # 409 when they have no current certificate
    with transaction.atomic():
        row = _locked(outgoing)
        if row.state != OutgoingState.APPROVED:
            raise Conflict("not_approved", _("Only an approved document can be signed"))
        if row.signer_id != actor.pk:
            raise Forbidden("forbidden", _("Only the designated signer signs this document"))
        row.state, row.signed_at = OutgoingState.SIGNED, timezone.now()
        row.signer_certificate, row.signed_sha256 = identity.row.certificate, content_digest(row)
        row.save(update_fields=["state", "signed_at", "signer_certificate", "signed_sha256"])
        record_event("records.outgoing_signed", actor=actor, obj=row,
                     data={"certificate": identity.row.certificate.fingerprint, "content_sha256": row.signed_sha256})
        reindex("outgoing", row.pk)
    return row


def issue_outgoing(*, actor: User, outgoing: Outgoing) -> Outgoing:
    """The clerk numbers and issues a signed document: number, PDF/A, PAdES, stored, then sent."""
    if not may(actor, "records.issue", outgoing):
        raise Forbidden("forbidden", _("Only the agency's clerks issue documents"))
    with transaction.atomic():
        row = _locked(outgoing)
        if row.state == OutgoingState.ISSUED:
            raise Conflict("already_issued", _("This document was already issued as %(notation)s") % {"notation": row.notation})
        if row.state in EDITABLE or row.state == OutgoingState.REVIEW:
            raise Conflict("not_approved", _("This document is not approved yet: it cannot be issued"))
        if row.state != OutgoingState.SIGNED:
            raise Conflict("not_signed", _("The signer has not signed this document yet"))
        if row.signer is None or row.signed_sha256 != content_digest(row):
            raise Conflict("changed_after_signing", _("The document changed after it was signed; it must be signed again"))
        identity = signer_identity(row.signer)
        if identity.row.certificate_id != row.signer_certificate_id:
            raise Conflict("certificate_changed", _("The signer's certificate changed since signing; it must be signed again"))
        now = timezone.now()
        day = timezone.localdate(now)
        own = row.authority_short == (row.agency.short_name or row.agency.code)
        key = series_key(row.doc_type, row.confidentiality, "" if own else row.authority_short)
        series, number = next_number(row.agency, current_year(now), key)
        unit = row.drafting_unit.short_name if row.drafting_unit else ""
        row.series, row.year, row.number = series, day.year, number
        row.notation = notation(number, row.doc_type, row.authority_short, unit, secret=row.confidentiality > Clearance.NONE)
        code_number, code_notation = row.notation.split("/", 1)
        row.document_id = edxml.make_document_id(row.agency.code, day, edxml.Code(code_number, code_notation))
        pdf = layout.render_pdf(layout.page_for(row, notation=row.notation, day=day))
        signed = sign_pdf(pdf, identity.key, identity.cert, identity.ca_cert,
                          reason=f"Ký ban hành văn bản {row.notation}", location=row.place, name=row.signer.full_name)
        file = store(Upload(f"{row.notation.replace('/', '_')}.pdf", signed), "application/pdf", role="issued",
                     outgoing=row, uploaded_by=actor)
        row.state, row.issued_at, row.issued_by = OutgoingState.ISSUED, now, actor
        row.save()
        record_event("records.outgoing_issued", actor=actor, obj=row, data={
            "number": number, "notation": row.notation, "series": key, "year": row.year,
            "document_id": row.document_id, "file_sha256": file.sha256,
        })
        reindex("outgoing", row.pk)
        if row.confidentiality == Clearance.NONE and row.recipients.exists():
            pk, actor_id = row.pk, actor.pk
            transaction.on_commit(lambda: _queue_dispatch(pk, actor_id))
    return row


def _queue_dispatch(outgoing_id: int, actor_id: int | None) -> None:
    """After the issue commits, the queue sends it (tasks.send_outgoing), retrying safely."""
    from govoffice.records.tasks import send_outgoing

    send_outgoing(outgoing_id, actor_id)


# Through the hub ------------------------------------------------------------------------------

def issued_file(row: Outgoing) -> RecordFile | None:
    return row.files.filter(role="issued").order_by("-uploaded_at", "-id").first()


def build_message(row: Outgoing, sender: str) -> edxml.Message:
    """The edXML of an issued document, the signed PDF attached."""
    file = issued_file(row)
    assert file is not None and row.issued_at is not None and row.signer is not None
    with file.file.open("rb") as fh:
        data = fh.read()
    code_number, code_notation = row.notation.split("/", 1)
    day = timezone.localdate(row.issued_at)
    places = [line.strip() for line in row.recipient_places.splitlines() if line.strip()]
    return edxml.Message(
        sender=edxml.Organization(sender, row.agency.name_vi),
        to=[edxml.Organization(a.code, a.name_vi) for a in row.recipients.order_by("code")],
        code=edxml.Code(code_number, code_notation),
        subject=row.subject[:500],
        promulgation=edxml.PromulgationInfo(row.place, day),
        document_type=edxml.DocumentType(edxml_type(row.doc_type), DocType(row.doc_type).label),
        content=row.subject[:500],
        signer=edxml.SignerInfo(" ".join(p for p in (row.signer_competence, row.signer_on_behalf) if p),
                                row.signer_title or row.signer.position, row.signer.full_name),
        to_places=places,
        other=edxml.OtherInfo(priority=row.urgency, promulgation_amount=1),
        attachments=[edxml.Attachment("cid-1", "application/pdf", file.name, data, "Văn bản điện tử ký số")],
        document_id=row.document_id,
    )


def hub_key(row: Outgoing) -> str:
    """The idempotency key of a document's send: the same for every retry and every resend.

    ASCII (it travels as an HTTP header to a remote hub): the document id's "QĐ" percent-encoded.
    """
    return f"records-outgoing:{quote(row.document_id, safe=',/.-')}"


def deliver_outgoing(*, outgoing_id: int, actor: User | None = None) -> tuple[Outgoing, DomainError | None]:
    """Send an issued document through the hub to its recipients, under its stable key.

    A failure is recorded on the document and in the audit log, and returned (never raised):
    the queue decides whether to try again (tasks.send_outgoing), a clerk may resend.
    """
    from govoffice.exchange import outbox

    row = Outgoing.objects.select_related("agency", "signer").get(pk=outgoing_id)
    if row.state != OutgoingState.ISSUED or row.confidentiality != Clearance.NONE or not row.recipients.exists():
        return row, None
    try:
        sent = outbox.send_document(build_message(row, row.agency.code), actor=actor, idempotency_key=hub_key(row))
    except Exception as exc:  # the hub refused or is unreachable: recorded, and retried or resent later
        failure = exc if isinstance(exc, DomainError) else DomainError(
            "hub_unreachable", str(exc) or type(exc).__name__, status=503)
        with transaction.atomic():
            Outgoing.objects.filter(pk=row.pk).update(dispatch_error=failure.message[:500])
            record_event("records.outgoing_dispatch_failed", actor=actor, obj=row,
                         data={"code": failure.code, "message": failure.message[:300]})
        log.warning("sending %s through the hub failed: %s", row.document_id, failure.message)
        row.refresh_from_db()
        return row, failure
    with transaction.atomic():
        Outgoing.objects.filter(pk=row.pk).update(hub_message_id=sent.message_id, dispatched_at=timezone.now(), dispatch_error="")
        record_event("records.outgoing_dispatched", actor=actor, obj=row,
                     data={"message_id": sent.message_id, "recipients": sorted(row.recipients.values_list("code", flat=True))})
    row.refresh_from_db()
    return row, None


def dispatch_outgoing(*, outgoing_id: int, actor: User | None = None) -> Outgoing:
    """Send an issued document through the hub now; a failure is recorded, not raised."""
    return deliver_outgoing(outgoing_id=outgoing_id, actor=actor)[0]


def resend_outgoing(*, actor: User, outgoing: Outgoing) -> Outgoing:
    """A clerk sends an issued document through the hub again after a failure (never twice: idempotent)."""
    if not may(actor, "records.issue", outgoing):
        raise Forbidden("forbidden", _("Only the agency's clerks send documents"))
    if outgoing.state != OutgoingState.ISSUED:
        raise Conflict("not_issued", _("Only an issued document is sent"))
    if outgoing.confidentiality != Clearance.NONE:
        raise Conflict("secret_document", _("A secret document is not sent through the hub"))
    if not outgoing.recipients.exists():
        raise Conflict("no_recipients", _("This document has no recipients on the hub"))
    return dispatch_outgoing(outgoing_id=outgoing.pk, actor=actor)


def recipient_statuses(row: Outgoing) -> list[dict[str, Any]]:
    """Per recipient, the hub's delivery state and the statuses they sent back (01–06…)."""
    if not row.hub_message_id:
        return []
    if settings.HUB_URL:
        from govoffice_agent.client import HubClient

        from govoffice.exchange import outbox

        client = HubClient(outbox.office_config(), timeout=30)
        try:
            return list(client.trace(row.document_id).get("recipients", []))
        except Exception:  # the remote hub is down: the page says so instead of failing
            log.warning("reading the trace of %s from the hub failed", row.document_id, exc_info=True)
            return []
        finally:
            client.close()
    from govoffice.exchange import selectors
    from govoffice.lib.errors import NotFound

    try:
        document = selectors.document_by_id(row.agency, row.document_id)
    except NotFound:
        return []
    return list(selectors.trace(row.agency, document)["recipients"])


def history(row: Outgoing) -> list[Event]:
    """Who did what to the document, when: its audit events."""
    return list(Event.objects.filter(object_type="records.outgoing", object_id=str(row.pk)).order_by("seq"))


def approved_submissions(actor: User) -> list[Submission]:
    """Approved submissions the person drafted, to start a document from."""
    return list(Submission.objects.filter(visible_to(actor), created_by=actor, state=SubmissionState.APPROVED).order_by("-decided_at")[:50])


def preview_pdf(row: Outgoing) -> bytes:
    """The draft laid out (number and date blank, marked DỰ THẢO), for reviewers."""
    return layout.render_pdf(layout.page_for(row))

