"""Incoming documents: registered from the hub automatically or by hand from paper, returned
when misaddressed, numbered in one arrival series per agency per year (paper and electronic)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from govoffice_agent import edxml

from govoffice.audit.services import record_event
from govoffice.directory.models import Agency, User
from govoffice.directory.permissions import may
from govoffice.exchange.models import Delivery, DeliveryState, Kind, Message
from govoffice.exchange.services.messages import ORIGINAL_TYPES, acknowledge
from govoffice.lib.errors import Conflict, DomainError, Forbidden
from govoffice.lib.vntext import fold
from govoffice.records.files import SCAN_TYPES, Upload, check_upload, store
from govoffice.records.models import Channel, DocType, Incoming, IncomingState, Urgency
from govoffice.records.permissions import LEADERS
from govoffice.records.search import reindex
from govoffice.records.services.marks import check_marks
from govoffice.records.services.numbering import current_year, next_number

log = logging.getLogger(__name__)
ARRIVAL_SERIES = "arrival"
_TYPE_BY_NAME = {fold(label): value for value, label in DocType.choices}
_TYPE_BY_ABBR = {value: value for value in DocType.values}
# What the register takes in from the hub: the documents with a DocumentId of their own, new
# ones (BussinessDocType 0) and replacements (3) — the hub's ORIGINAL_TYPES — which a clerk
# registers like any arrival. A revoke or update (1, 2) is a request about a document already
# delivered, under its DocumentId: it stays in the hub inbox for a clerk to answer (15 agree, 16
# refuse) and is never registered. A replacement is answered too, about the document it
# replaces. The listener (receivers.py) and the sweep both ask here, so they cannot disagree.


def office_agencies() -> list[Agency]:
    return list(Agency.objects.filter(code__in=settings.RECORDS["office_codes"]))


def doc_type_of(type_name: str, notation: str) -> str:
    """The Decree 30 type from the edXML TypeName, or from the notation's abbreviation (QĐ-TTg)."""
    by_name = _TYPE_BY_NAME.get(fold(type_name))
    if by_name:
        return by_name
    abbr = re.split(r"[-/]", notation.strip(), maxsplit=1)[0] if notation else ""
    return _TYPE_BY_ABBR.get(abbr, DocType.CONG_VAN)


def _queue_statuses(document_id: str, codes: list[tuple[str, str]]) -> None:
    from govoffice.records.tasks import send_status, status_key

    for code, description in codes:
        send_status(document_id, code, description, status_key(document_id, code))


def _queue_extraction(file_ids: list[int]) -> None:
    from govoffice.records.tasks import extract_file_text

    for file_id in file_ids:
        extract_file_text(file_id)


def hub_intake() -> QuerySet[Message]:
    """The hub messages the register takes in (the hub's ORIGINAL_TYPES), as a query."""
    return Message.objects.filter(kind=Kind.DOCUMENT, business_doc_type__in=ORIGINAL_TYPES)


def is_hub_intake(message: Message) -> bool:
    """True when the register takes this hub message in (the hub's ORIGINAL_TYPES), without a query."""
    return message.kind == Kind.DOCUMENT and message.business_doc_type in ORIGINAL_TYPES


def register_from_hub(message: Message, agency: Agency) -> Incoming:
    """Register a document the hub delivered to one of this deployment's offices (idempotent).

    The sender is told 01 (arrived) and 03 (registered, with the arrival number) after commit.
    A revoke or update request is refused: it is answered, not registered.
    """
    if not is_hub_intake(message):
        raise DomainError(
            "not_a_new_document",
            f"Hub message {message.pk} is a {message.kind} of business type {message.business_doc_type}, not a new document",
            status=422,
        )
    existing = Incoming.objects.filter(agency=agency, hub_message=message).first()
    if existing is not None:
        return existing
    _kind, msg = edxml.parse_message(bytes(message.raw))
    now = timezone.now()
    try:
        with transaction.atomic():
            _series, number = next_number(agency, current_year(now), ARRIVAL_SERIES)
            incoming = Incoming.objects.create(
                agency=agency,
                year=current_year(now),
                arrival_number=number,
                arrived_at=message.received_at,
                registered_at=now,
                channel=Channel.ELECTRONIC,
                hub_message=message,
                document_id=message.document_id,
                sender=message.sender,
                sender_name=msg.sender.organ_name or message.sender.name_vi,
                number_notation=f"{msg.code.code_number}/{msg.code.code_notation}"[:100],
                document_date=msg.promulgation.promulgation_date,
                doc_type=doc_type_of(msg.document_type.type_name, msg.code.code_notation),
                subject=(msg.subject or msg.content or "(không có trích yếu)")[:1000],
                urgency=min(max(msg.other.priority, 0), Urgency.HOA_TOC),
                pages=msg.other.page_amount,
                due_date=msg.due_date,
                state=IncomingState.REGISTERED,
            )
            files = [
                store(Upload(a.name, a.data), a.content_type, role="attachment", incoming=incoming)
                for a in msg.attachments
            ]
            if Delivery.objects.filter(message=message, recipient=agency, state=DeliveryState.PENDING).exists():
                acknowledge(agency=agency, actor=None, message_id=message.id)
            record_event(
                "records.incoming_registered", obj=incoming, agency=agency.code,
                data={"arrival_number": number, "document_id": message.document_id, "channel": "electronic"},
            )
            reindex("incoming", incoming.pk)
            ids = [f.pk for f in files]
            document_id = message.document_id
            transaction.on_commit(lambda: _queue_statuses(document_id, [
                ("01", "Văn bản đã đến hệ thống"),
                ("03", f"Đã vào sổ văn bản đến, số đến {number}"),
            ]))
            transaction.on_commit(lambda: _queue_extraction(ids))
    except IntegrityError:
        # Registered concurrently (the signal and the sweep raced): the other one won.
        found = Incoming.objects.filter(agency=agency, hub_message=message).first()
        if found is None:
            raise
        return found
    return incoming


def register_pending_hub_documents(limit: int = 500) -> int:
    """Safety net: register hub deliveries to this deployment's offices that are not yet registered."""
    count = 0
    for agency in office_agencies():
        pending = (
            hub_intake().filter(deliveries__recipient=agency)
            .exclude(incoming_records__agency=agency)
            .order_by("received_at")[:limit]
        )
        for message in pending:
            register_from_hub(message, agency)
            count += 1
    return count


def upload_of(file: UploadedFile, field: str = "scans") -> Upload:
    """Read an uploaded file into an Upload, refusing an oversized one before reading it."""
    limit = settings.RECORDS["max_upload_bytes"]
    name = file.name or "file"
    if file.size is not None and file.size > limit:
        raise DomainError(
            "file_too_large", _("%(name)s is larger than the limit of %(limit)s bytes") % {"name": name, "limit": limit},
            field=field, status=413,
        )
    return Upload(name, file.read())


@dataclass
class PaperDocument:
    sender_name: str
    subject: str
    number_notation: str = ""
    document_date: dt.date | None = None
    doc_type: str = DocType.CONG_VAN
    urgency: int = Urgency.NORMAL
    confidentiality: int = 0
    pages: int = 0
    due_date: dt.date | None = None
    note: str = ""
    sender_code: str = ""
    scans: list[Upload] = field(default_factory=list)


def _check_paper(actor: User, doc: PaperDocument) -> tuple[Agency | None, list[str]]:
    """Every check of a paper registration, before anything is written; the sender and scan types."""
    if not doc.sender_name.strip():
        raise DomainError("required", _("The author agency is required"), field="sender_name", status=422)
    if not doc.subject.strip():
        raise DomainError("required", _("The summary is required"), field="subject", status=422)
    if doc.doc_type not in DocType.values:
        raise DomainError("invalid_choice", _("Unknown document type %(type)s") % {"type": doc.doc_type}, field="doc_type", status=422)
    check_marks(actor, urgency=doc.urgency, confidentiality=doc.confidentiality, status=422,
                above_clearance=_("You may not register a document above your own clearance"))
    if doc.document_date is not None and doc.document_date > timezone.localdate():
        raise DomainError("invalid_date", _("The document date cannot be in the future"), field="document_date", status=422)
    if doc.pages < 0:
        raise DomainError("invalid_number", _("The number of pages cannot be negative"), field="pages", status=422)
    sender = None
    if doc.sender_code:
        sender = Agency.objects.filter(code=doc.sender_code.strip()).first()
        if sender is None:
            raise DomainError("unknown_agency", _("No agency has the code %(code)s") % {"code": doc.sender_code}, field="sender_code", status=422)
    return sender, [_scan_type(scan) for scan in doc.scans]


def _scan_type(scan: Upload) -> str:
    """The scan's type by content, with the refusal worded for the clerk beside the field."""
    try:
        return check_upload(scan, SCAN_TYPES, field="scans")
    except DomainError as exc:
        if exc.code == "unsupported_file_type":
            message = _("%(name)s is not a PDF, JPEG or PNG file (checked by its content, not its name)")
        elif exc.code == "file_too_large":
            message = _("%(name)s is larger than the limit of %(limit)s bytes")
        else:
            message = _("%(name)s is empty")
        params = {"name": scan.name, "limit": settings.RECORDS["max_upload_bytes"]}
        raise DomainError(exc.code, message % params, field="scans", status=exc.status) from exc


def register_paper(*, actor: User, agency: Agency, doc: PaperDocument, idempotency_key: str | None = None) -> Incoming:
    """A clerk registers a paper document with its scans; their text is read by OCR in the background.

    With an idempotency key, a retry returns the document the first call registered.
    """
    if not may(actor, "records.register", agency):
        raise Forbidden("forbidden", _("Only the agency's clerks register incoming documents"))
    if idempotency_key:
        earlier = Incoming.objects.filter(agency=agency, idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    sender, types = _check_paper(actor, doc)
    now = timezone.now()
    try:
        with transaction.atomic():
            _series, number = next_number(agency, current_year(now), ARRIVAL_SERIES)
            incoming = Incoming.objects.create(
                agency=agency, year=current_year(now), arrival_number=number, arrived_at=now, registered_at=now,
                channel=Channel.PAPER, sender=sender, sender_name=doc.sender_name.strip()[:255],
                number_notation=doc.number_notation.strip()[:100], document_date=doc.document_date,
                doc_type=doc.doc_type, subject=doc.subject.strip()[:1000], urgency=doc.urgency,
                confidentiality=doc.confidentiality, pages=doc.pages, due_date=doc.due_date,
                note=doc.note.strip()[:500], state=IncomingState.REGISTERED, registered_by=actor,
                idempotency_key=idempotency_key or None,
            )
            files = [
                store(scan, ctype, role="scan", incoming=incoming, uploaded_by=actor)
                for scan, ctype in zip(doc.scans, types, strict=True)
            ]
            record_event(
                "records.incoming_registered", actor=actor, obj=incoming,
                data={"arrival_number": number, "channel": "paper", "files": [f.sha256 for f in files]},
            )
            reindex("incoming", incoming.pk)
            ids = [f.pk for f in files]
            transaction.on_commit(lambda: _queue_extraction(ids))
    except IntegrityError:
        # The same key raced in from a retry: the first registration stands.
        found = Incoming.objects.filter(agency=agency, idempotency_key=idempotency_key).first() if idempotency_key else None
        if found is None:
            raise
        return found
    return incoming


def return_incoming(*, actor: User, incoming: Incoming, reason: str) -> Incoming:
    """Return a document to its sender (wrong recipient, failed integrity): status 02 with the reason.

    Its line stays in the register (numbers have no gaps), marked returned.
    """
    if not may(actor, "records.return", incoming):
        raise Forbidden("forbidden", _("Only the agency's clerks return documents"))
    if not reason.strip():
        raise DomainError("required", _("Say why the document is returned"), field="reason", status=422)
    with transaction.atomic():
        row = Incoming.objects.select_for_update().get(pk=incoming.pk)
        if row.state not in (IncomingState.ARRIVED, IncomingState.REGISTERED):
            raise Conflict("invalid_state", _("Only a document not yet assigned can be returned"))
        row.state = IncomingState.RETURNED
        row.return_reason = reason.strip()[:500]
        row.save(update_fields=["state", "return_reason"])
        record_event("records.incoming_returned", actor=actor, obj=row, data={"reason": row.return_reason})
        reindex("incoming", row.pk)
        if row.channel == Channel.ELECTRONIC and row.document_id:
            document_id, text = row.document_id, row.return_reason
            transaction.on_commit(lambda: _queue_statuses(document_id, [("02", text)]))
    return row


def present_incoming(*, actor: User, incoming: Incoming, leader: User) -> Incoming:
    """The clerk presents (trình) a registered document to the leader who will assign it."""
    if not may(actor, "records.return", incoming):
        raise Forbidden("forbidden", _("Only the agency's clerks present documents"))
    if not (
        leader.is_active and leader.agency_id == incoming.agency_id and leader.clearance >= incoming.confidentiality
        and may(leader, "records.assign", incoming)
    ):
        raise DomainError("not_a_leader", _("%(name)s cannot assign this document") % {"name": leader}, field="leader", status=422)
    with transaction.atomic():
        row = Incoming.objects.select_for_update().get(pk=incoming.pk)
        if row.state != IncomingState.REGISTERED:
            raise Conflict("invalid_state", _("Only a registered document not yet assigned is presented"))
        row.presented_to = leader
        row.presented_at = timezone.now()
        row.save(update_fields=["presented_to", "presented_at"])
        record_event("records.incoming_presented", actor=actor, obj=row, data={"to": leader.username})
    return row


def leaders_for(incoming: Incoming) -> list[User]:
    """The people of the document's agency who may assign it (for the clerk's choice)."""
    people = User.objects.filter(
        agency_id=incoming.agency_id, is_active=True, clearance__gte=incoming.confidentiality,
        roles__role__in=LEADERS,
    )
    return list(people.distinct().order_by("full_name", "username"))
