"""Incoming documents: registered from the hub automatically or by hand from paper, returned
when misaddressed, numbered in one arrival series per agency per year (paper and electronic)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from govoffice_agent import edxml

from govoffice.audit.services import record_event
from govoffice.directory.models import Agency, User
from govoffice.directory.permissions import may
from govoffice.exchange.models import Delivery, DeliveryState, Message
from govoffice.exchange.services.messages import acknowledge
from govoffice.lib.errors import Conflict, DomainError, Forbidden
from govoffice.lib.vntext import fold
from govoffice.records.files import SCAN_TYPES, Upload, check_upload, store
from govoffice.records.models import Channel, DocType, Incoming, IncomingState, Urgency
from govoffice.records.search import reindex
from govoffice.records.services.numbering import next_number

log = logging.getLogger(__name__)
ARRIVAL_SERIES = "arrival"
_TYPE_BY_NAME = {fold(label): value for value, label in DocType.choices}
_TYPE_BY_ABBR = {value: value for value in DocType.values}


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
    from govoffice.records.tasks import send_status

    for code, description in codes:
        send_status(document_id, code, description)


def _queue_extraction(file_ids: list[int]) -> None:
    from govoffice.records.tasks import extract_file_text

    for file_id in file_ids:
        extract_file_text(file_id)


def register_from_hub(message: Message, agency: Agency) -> Incoming:
    """Register a document the hub delivered to one of this deployment's offices (idempotent).

    The sender is told 01 (arrived) and 03 (registered, with the arrival number) after commit.
    """
    existing = Incoming.objects.filter(agency=agency, hub_message=message).first()
    if existing is not None:
        return existing
    _, msg = edxml.parse_message(bytes(message.raw))
    now = timezone.now()
    try:
        with transaction.atomic():
            _, number = next_number(agency, now.year, ARRIVAL_SERIES)
            incoming = Incoming.objects.create(
                agency=agency,
                year=now.year,
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
            Message.objects.filter(kind="document", deliveries__recipient=agency)
            .exclude(incoming_records__agency=agency)
            .order_by("received_at")[:limit]
        )
        for message in pending:
            register_from_hub(message, agency)
            count += 1
    return count


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


def register_paper(*, actor: User, agency: Agency, doc: PaperDocument) -> Incoming:
    """A clerk registers a paper document with its scans; their text is read by OCR in the background."""
    if not may(actor, "records.register", agency):
        raise Forbidden("forbidden", "Only the agency's clerks register incoming documents")
    if not doc.sender_name.strip():
        raise DomainError("required", "The author agency is required", field="sender_name")
    if not doc.subject.strip():
        raise DomainError("required", "The summary is required", field="subject")
    if doc.doc_type not in DocType.values:
        raise DomainError("invalid_choice", f"Unknown document type {doc.doc_type}", field="doc_type")
    if doc.urgency not in Urgency.values:
        raise DomainError("invalid_choice", "Unknown urgency", field="urgency")
    if doc.confidentiality > actor.clearance:
        raise Forbidden("clearance", "You may not register a document above your own clearance", field="confidentiality")
    types = [check_upload(scan, SCAN_TYPES, field="scans") for scan in doc.scans]
    sender = Agency.objects.filter(code=doc.sender_code).first() if doc.sender_code else None
    now = timezone.now()
    with transaction.atomic():
        _, number = next_number(agency, now.year, ARRIVAL_SERIES)
        incoming = Incoming.objects.create(
            agency=agency, year=now.year, arrival_number=number, arrived_at=now, registered_at=now,
            channel=Channel.PAPER, sender=sender, sender_name=doc.sender_name.strip()[:255],
            number_notation=doc.number_notation.strip()[:100], document_date=doc.document_date,
            doc_type=doc.doc_type, subject=doc.subject.strip()[:1000], urgency=doc.urgency,
            confidentiality=doc.confidentiality, pages=doc.pages, due_date=doc.due_date,
            note=doc.note[:500], state=IncomingState.REGISTERED, registered_by=actor,
        )
        files = [store(scan, ctype, role="scan", incoming=incoming, uploaded_by=actor) for scan, ctype in zip(doc.scans, types, strict=True)]
        record_event("records.incoming_registered", actor=actor, obj=incoming, data={"arrival_number": number, "channel": "paper"})
        reindex("incoming", incoming.pk)
        ids = [f.pk for f in files]
        transaction.on_commit(lambda: _queue_extraction(ids))
    return incoming


def return_incoming(*, actor: User, incoming: Incoming, reason: str) -> Incoming:
    """Return a document to its sender (wrong recipient, failed integrity): status 02 with the reason.

    Its line stays in the register (numbers have no gaps), marked returned.
    """
    if not may(actor, "records.return", incoming):
        raise Forbidden("forbidden", "Only the agency's clerks return documents")
    if not reason.strip():
        raise DomainError("required", "Say why the document is returned", field="reason")
    with transaction.atomic():
        row = Incoming.objects.select_for_update().get(pk=incoming.pk)
        if row.state not in (IncomingState.ARRIVED, IncomingState.REGISTERED):
            raise Conflict("invalid_state", "Only a document not yet assigned can be returned")
        row.state = IncomingState.RETURNED
        row.return_reason = reason.strip()[:500]
        row.save(update_fields=["state", "return_reason"])
        record_event("records.incoming_returned", actor=actor, obj=row, data={"reason": row.return_reason})
        reindex("incoming", row.pk)
        if row.channel == Channel.ELECTRONIC and row.document_id:
            document_id, text = row.document_id, row.return_reason
            transaction.on_commit(lambda: _queue_statuses(document_id, [("02", text)]))
    return row
