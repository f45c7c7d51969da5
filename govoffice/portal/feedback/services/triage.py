"""The office triages: within scope (sent on through the hub), out of scope (guidance), duplicate."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from govoffice_agent import edxml

from govoffice.audit.services import record_event
from govoffice.directory.models import Agency, AgencyKind, User
from govoffice.directory.permissions import may
from govoffice.exchange.models import Member
from govoffice.lib.errors import Conflict, DomainError, Forbidden, NotFound
from govoffice.portal.feedback import codes
from govoffice.portal.feedback.conf import conf
from govoffice.portal.feedback.models import Feedback, OutOfScope, Scope, State, Topic
from govoffice.portal.feedback.notices import notify_submitter
from govoffice.portal.feedback.services.common import locked, move

log = logging.getLogger(__name__)
TRIAGEABLE = (State.RECEIVED, State.RETURNED)
# Who answers feedback on regulations: ministries, ministerial-level and government agencies, provinces.
RESPONSIBLE_KINDS = (AgencyKind.MINISTRY, AgencyKind.MINISTERIAL_AGENCY, AgencyKind.GOVERNMENT_AGENCY, AgencyKind.PROVINCE)
NOTATION = "VPCP-PAKN"
CONG_VAN = edxml.DocumentType(18, "Công văn")  # the 18th type of Decree 30, Art. 7


def _triaging(actor: User, feedback: Feedback) -> Feedback:
    if not may(actor, "feedback.triage", feedback):
        raise Forbidden("forbidden", _("Only the office's portal officers triage feedback"))
    row = locked(feedback.pk)
    if row.state not in TRIAGEABLE:
        raise Conflict("invalid_state", _("This feedback was already triaged"))
    return row


def responsible_agency(code: str) -> Agency:
    """A ministry or province on the hub that can answer; DomainError otherwise."""
    agency = Agency.objects.filter(code=(code or "").strip(), active=True).first()
    if agency is None:
        raise DomainError("unknown_agency", _("No agency in the directory has the code %(code)s") % {"code": code}, field="agency")
    if agency.kind not in RESPONSIBLE_KINDS or agency.code == conf("office_code"):
        raise DomainError("not_responsible", _("%(agency)s is not a ministry or a province") % {"agency": agency.name_vi}, field="agency")
    if not Member.objects.filter(agency=agency, active=True).exists():
        raise DomainError("not_on_hub", _("%(agency)s is not connected to the hub") % {"agency": agency.name_vi}, field="agency")
    return agency


def forward_feedback(*, actor: User, feedback: Feedback, agency_code: str, note: str = "") -> Feedback:
    """Within scope: send the piece to the responsible ministry or province through the hub."""
    agency = responsible_agency(agency_code)
    with transaction.atomic():
        row = _triaging(actor, feedback)
        now = timezone.now()
        attempt = row.history.filter(state=State.FORWARDED).count() + 1
        number = str(row.pk) if attempt == 1 else f"{row.pk}-{attempt}"
        row.scope, row.out_of_scope_kind, row.triaged_by, row.triaged_at = Scope.IN_SCOPE, "", actor, now
        row.office_note = note.strip()
        row.forwarded_to, row.forwarded_at, row.forward_error = agency, now, ""
        row.hub_message_id, row.hub_status, row.hub_status_at = "", "", None
        row.document_id = edxml.make_document_id(conf("office_code"), timezone.localdate(now), edxml.Code(number, NOTATION))
        move(row, State.FORWARDED, note=agency.code, at=now)
        row.save()
        record_event("feedback.forwarded", actor=actor, obj=row,
                     data={"code": row.code, "to": agency.code, "document_id": row.document_id})
        notify_submitter(row, step=State.FORWARDED, actor=actor)
        pk = row.pk
        transaction.on_commit(lambda: dispatch_forward(feedback_id=pk, actor=actor))
    return row


def mark_out_of_scope(*, actor: User, feedback: Feedback, kind: str, note: str = "") -> Feedback:
    """Out of scope (a complaint, a denunciation, something else): the submitter gets the right guidance."""
    if kind not in OutOfScope.values:
        raise DomainError("invalid_choice", _("Say why it is out of scope"), field="kind")
    with transaction.atomic():
        row = _triaging(actor, feedback)
        row.scope, row.out_of_scope_kind, row.triaged_by, row.triaged_at = Scope.OUT_OF_SCOPE, kind, actor, timezone.now()
        row.office_note = note.strip()
        move(row, State.OUT_OF_SCOPE, note=kind)
        row.save()
        record_event("feedback.out_of_scope", actor=actor, obj=row, data={"code": row.code, "kind": kind})
        notify_submitter(row, step=State.OUT_OF_SCOPE, actor=actor)
    return row


def mark_duplicate(*, actor: User, feedback: Feedback, original_code: str, note: str = "") -> Feedback:
    """The same matter as an earlier piece: linked to it (its root), closed, the submitter told."""
    original = Feedback.objects.filter(code=codes.normalise(original_code)).first() if codes.normalise(original_code) else None
    if original is None:
        raise NotFound("unknown_feedback", _("No feedback has the receipt code %(code)s") % {"code": original_code}, field="original")
    while original.duplicate_of_id is not None:
        original = Feedback.objects.get(pk=original.duplicate_of_id)
    if original.pk == feedback.pk:
        raise DomainError("self_duplicate", _("A piece cannot duplicate itself"), field="original")
    with transaction.atomic():
        row = _triaging(actor, feedback)
        row.duplicate_of, row.triaged_by, row.triaged_at = original, actor, timezone.now()
        row.office_note = note.strip()
        move(row, State.DUPLICATE, note=original.code)
        row.save()
        record_event("feedback.duplicate", actor=actor, obj=row, data={"code": row.code, "original": original.code})
        notify_submitter(row, step=State.DUPLICATE, actor=actor)
    return row


def forward_message(row: Feedback) -> edxml.Message:
    """The edXML of a forwarded piece: the text attached, the submitter's contacts left out."""
    from govoffice.exchange.outbox import office_config

    assert row.forwarded_to is not None and row.forwarded_at is not None
    office = Agency.objects.get(code=office_config().agency)
    number, notation = row.document_id.rsplit(",", 1)[1].split("/", 1)
    with translation.override("vi"):
        topic = str(Topic(row.topic).label)
    text = "\n".join([
        f"Mã tiếp nhận: {row.code}",
        f"Ngày tiếp nhận: {timezone.localtime(row.received_at):%d/%m/%Y}",
        f"Đối tượng: {'Doanh nghiệp' if row.source == 'business' else 'Người dân'}",
        f"Nội dung phản ánh về: {topic}",
        f"Cơ quan được phản ánh: {row.agency.name_vi if row.agency else ''}",
        f"Tiêu đề: {row.subject}", "", row.content,
    ]).encode()
    attachments = [edxml.Attachment("cid-1", "text/plain", f"phan-anh-{row.code}.txt", text, "Nội dung phản ánh, kiến nghị")]
    for i, f in enumerate(row.files.all(), start=2):
        with f.file.open("rb") as fh:
            attachments.append(edxml.Attachment(f"cid-{i}", f.content_type, f.name, fh.read(), "Tài liệu kèm theo"))
    return edxml.Message(
        sender=edxml.Organization(office.code, office.name_vi),
        to=[edxml.Organization(row.forwarded_to.code, row.forwarded_to.name_vi)],
        code=edxml.Code(number, notation),
        subject=f"Chuyển phản ánh, kiến nghị {row.code}: {row.subject}"[:500],
        promulgation=edxml.PromulgationInfo("Hà Nội", timezone.localdate(row.forwarded_at)),
        document_type=CONG_VAN,
        content=row.content[:500],
        signer=edxml.SignerInfo("TL.", "Cổng Dịch vụ công quốc gia", "Văn phòng Chính phủ"),
        attachments=attachments,
        document_id=row.document_id,
    )


def dispatch_forward(*, feedback_id: int, actor: User | None = None) -> Feedback:
    """Send a forwarded piece through the hub; a failure is recorded for the officer, not raised."""
    from govoffice.exchange import outbox

    row = Feedback.objects.select_related("forwarded_to", "agency").get(pk=feedback_id)
    if row.state != State.FORWARDED or row.hub_message_id or not row.document_id:
        return row
    try:
        sent = outbox.send_document(forward_message(row), actor=actor, idempotency_key=f"feedback:{row.document_id}")
    except Exception as exc:  # the hub refused or is unreachable: recorded; the officer sends again
        code, message = (exc.code, exc.message) if isinstance(exc, DomainError) else ("hub_unreachable", str(exc) or type(exc).__name__)
        with transaction.atomic():
            Feedback.objects.filter(pk=row.pk).update(forward_error=message[:500])
            record_event("feedback.forward_failed", actor=actor, obj=row, data={"code": code, "message": message[:300]})
        log.warning("forwarding feedback %s through the hub failed: %s", row.code, message)
        row.refresh_from_db()
        return row
    with transaction.atomic():
        Feedback.objects.filter(pk=row.pk).update(hub_message_id=sent.message_id, forward_error="")
        record_event("feedback.dispatched", actor=actor, obj=row, data={"message_id": sent.message_id, "document_id": row.document_id})
    row.refresh_from_db()
    return row


def resend_forward(*, actor: User, feedback: Feedback) -> Feedback:
    """The officer sends a forwarded piece again after the hub failed (idempotent: never twice)."""
    if not may(actor, "feedback.triage", feedback):
        raise Forbidden("forbidden", _("Only the office's portal officers send feedback on"))
    if feedback.state != State.FORWARDED or feedback.hub_message_id:
        raise Conflict("invalid_state", _("Only a forwarded piece that did not reach the hub is sent again"))
    return dispatch_forward(feedback_id=feedback.pk, actor=actor)
