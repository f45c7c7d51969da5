"""The hub's checks on an incoming message, in the order the issue sets, first failure wins.

1 well-formed, safe XML within the size cap; 2 the edXML structure; 3 the sender is the API
key's agency; 4 every recipient exists and is a member; 5 no recipient twice; 6 a valid
signature by the sender's current certificate; 7 attachments that match the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from django.conf import settings
from govoffice_agent import edxml, xmlsig
from lxml import etree

from govoffice.directory.models import Agency
from govoffice.exchange.models import Member
from govoffice.lib.errors import DomainError, Forbidden
from govoffice.signing.models import Certificate
from govoffice.signing.services import certificate_for

STATUS_BY_CODE = {
    "too_large": 413,
    "malformed_xml": 400,
    "unsafe_xml": 400,
    "wrong_namespace": 400,
}


# The longest DocumentId the hub keeps (Message.document_id); a longer one is refused, not truncated.
MAX_DOCUMENT_ID = 255


def edxml_error(exc: edxml.EdxmlError) -> DomainError:
    return DomainError(exc.code, exc.message, field=exc.field, status=STATUS_BY_CODE.get(exc.code, 422))


def _check_document_id(document_id: str, where: str) -> None:
    if len(document_id) > MAX_DOCUMENT_ID:
        raise DomainError(
            "invalid_structure", f"{where} is {len(document_id)} characters; the hub keeps at most {MAX_DOCUMENT_ID}",
            field="DocumentId", status=422,
        )


@dataclass
class CheckedDocument:
    root: etree._Element
    message: edxml.Message
    recipients: list[Agency]
    certificate: Certificate


@dataclass
class CheckedStatus:
    root: etree._Element
    status: edxml.Status
    certificate: Certificate


@dataclass
class Lookups:
    """What the checks of one request read from the database, kept for the rest of it.

    A batch of documents to a few recipients, signed with one certificate, then costs one
    member query per new recipient and one certificate query, not two queries per document.
    """

    members: dict[str, Agency | None] = field(default_factory=dict)
    certificates: dict[str, Certificate] = field(default_factory=dict)

    def recipients(self, codes: list[str]) -> dict[str, Agency]:
        missing = [c for c in codes if c not in self.members]
        if missing:
            found = {
                m.agency.code: m.agency
                for m in Member.objects.select_related("agency").filter(agency__code__in=missing, active=True)
            }
            for code in missing:
                self.members[code] = found.get(code)
        return {c: a for c in codes if (a := self.members.get(c)) is not None}


def _parse(raw: bytes) -> etree._Element:
    try:
        return edxml.parse_bytes(raw, settings.EXCHANGE["max_message_bytes"])
    except edxml.EdxmlError as exc:
        raise edxml_error(exc) from exc


def _check_sender(organ_id: str, agency: Agency) -> None:
    if organ_id != agency.code:
        raise Forbidden("sender_mismatch", f"The message says it is from {organ_id}, but the API key belongs to {agency.code}")


def _check_issuer(document_id: str, agency: Agency) -> None:
    """A DocumentId begins with the OrganId of the agency that issued the document (DOMAIN.md §1).

    A sender may only send its own: a document under another agency's DocumentId would take the
    statuses, and the answers to revoke or update requests, meant for that agency's document.
    """
    issuer = document_id.split(",", 1)[0].strip()
    if issuer != agency.code:
        raise DomainError(
            "document_id_mismatch",
            f"The DocumentId {document_id} names {issuer} as its issuer; {agency.code} may send only its own documents",
            field="DocumentId", status=422,
        )


def _check_signature(root: etree._Element, agency: Agency, lookups: Lookups | None = None) -> Certificate:
    try:
        cert = xmlsig.embedded_certificate(root)
        der = cert.fingerprint(hashes.SHA256()).hex()
        row = lookups.certificates.get(der) if lookups is not None else None
        if row is None:
            row = certificate_for(agency, cert)
            if lookups is not None:
                lookups.certificates[der] = row
        xmlsig.verify(root, cert)
    except edxml.EdxmlError as exc:
        raise edxml_error(exc) from exc
    return row


def check_document(raw: bytes, agency: Agency, lookups: Lookups | None = None) -> CheckedDocument:
    """Run every check on a document message sent with `agency`'s key."""
    root = _parse(raw)
    try:
        if edxml.is_status(root):
            raise edxml.EdxmlError("invalid_structure", "this is a status message: send it to /api/v1/hub/statuses")
        message = edxml.read_message(root)
    except edxml.EdxmlError as exc:
        raise edxml_error(exc) from exc
    _check_document_id(message.document_id, "MessageHeader/DocumentId")
    _check_sender(message.sender.organ_id, agency)
    _check_issuer(message.document_id, agency)
    codes = [org.organ_id for org in message.to]
    members = (lookups or Lookups()).recipients(codes)
    for code in codes:
        if code not in members:
            known = Agency.objects.filter(code=code).exists()
            what = "is not a member of the hub" if known else "is not in the directory"
            raise DomainError("unknown_recipient", f"The recipient {code} {what}", field="To", status=422)
    try:
        edxml.check_recipients(message)
    except edxml.EdxmlError as exc:
        raise edxml_error(exc) from exc
    certificate = _check_signature(root, agency, lookups)
    try:
        message.attachments = edxml.read_attachments(root)
    except edxml.EdxmlError as exc:
        raise edxml_error(exc) from exc
    return CheckedDocument(root, message, [members[c] for c in codes], certificate)


def check_status(raw: bytes, agency: Agency) -> CheckedStatus:
    """Run the checks that apply to a status message sent with `agency`'s key."""
    root = _parse(raw)
    try:
        status = edxml.read_status(root)
    except edxml.EdxmlError as exc:
        raise edxml_error(exc) from exc
    _check_document_id(status.response_for.document_id, "Status/ResponseFor/DocumentId")
    _check_sender(status.sender.organ_id, agency)
    certificate = _check_signature(root, agency)
    return CheckedStatus(root, status, certificate)
