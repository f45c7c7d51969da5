"""The hub's JSON API (/api/v1/hub/): send, inbox, fetch, ack, status, trace, members."""

from __future__ import annotations

import binascii
import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from govoffice_agent import edxml
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from govoffice.apiauth import current_user
from govoffice.apischema import errors
from govoffice.directory.models import Agency, User
from govoffice.directory.permissions import may
from govoffice.exchange import selectors
from govoffice.exchange.models import Member
from govoffice.exchange.schemas import (
    AckOut,
    AcksIn,
    AcksOut,
    BatchIn,
    BatchMessageIn,
    BatchOut,
    CertificateStatus,
    HubCertificates,
    InboxOut,
    MemberOut,
    MessageOut,
    ReceiptOut,
    TraceOut,
)
from govoffice.exchange.services.batch import Item, accept_documents, acknowledge_many
from govoffice.exchange.services.members import note_contact
from govoffice.exchange.services.messages import (
    Accepted,
    accept_document,
    accept_status,
    acknowledge,
    lease_inbox,
    require_member,
)
from govoffice.exchange.stats import hub_stats, last_contacts
from govoffice.lib import pki
from govoffice.lib.errors import DomainError, Forbidden, NotFound
from govoffice.signing.models import Certificate
from govoffice.signing.services import hub_identity, platform_ca

router = Router(tags=["hub"])

XML_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/xml": {"schema": {"type": "string", "description": "a signed edXML message (QCVN 102:2016)"}}},
    },
    "parameters": [
        {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "maxLength": 200},
         "description": "a retry with the same key returns the first result"}
    ],
}


def _member(request: HttpRequest) -> tuple[User, Agency, Member]:
    """The agency the caller acts for and its membership; it must be active and the caller entitled.

    An API key's authentication has already loaded the membership (apiauth): no query here.
    Every call notes the member's last contact (at most one write a minute).
    """
    user = current_user(request)
    agency = user.agency
    if agency is None or not may(user, "hub.use", agency):
        raise Forbidden("forbidden", "Only an agency's system or its clerks use the hub")
    member = getattr(agency, "hub_member", None) if Agency.hub_member.is_cached(agency) else None
    if member is None or not member.active:
        member = require_member(agency)
    note_contact(member)
    return user, agency, member


def _agency(request: HttpRequest) -> tuple[User, Agency]:
    user, agency, _ = _member(request)
    return user, agency


def _body(request: HttpRequest) -> bytes:
    limit = settings.EXCHANGE["max_message_bytes"]
    declared = request.headers.get("Content-Length")
    if declared and not (declared.isascii() and declared.isdigit()):
        raise DomainError("bad_request", "Content-Length is not a number", status=400)
    if declared and int(declared) > limit:
        raise DomainError("too_large", f"the message is {declared} bytes; the limit is {limit}", status=413)
    try:
        return request.body
    except RequestDataTooBig as exc:
        raise DomainError("too_large", f"the limit is {limit} bytes", status=413) from exc


def _idempotency_key(request: HttpRequest) -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 200 or not key.isascii() or not key.isprintable():
        raise DomainError(
            "invalid_idempotency_key", "Idempotency-Key is at most 200 printable ASCII characters",
            field="Idempotency-Key", status=422,
        )
    return key or None


def _receipt_response(result: Accepted) -> Status:
    body = {
        "message_id": str(result.message.id),
        "created": result.created,
        "receipt": result.message.receipt,
        "signature": result.message.receipt_signature,
    }
    return Status(201 if result.created else 200, body)


@router.post(
    "/messages",
    response={201: ReceiptOut, 200: ReceiptOut, **errors(400, 401, 403, 404, 413, 422)},
    summary="Send a signed edXML document to its recipients",
    openapi_extra=XML_BODY,
)
def send_message(request: HttpRequest) -> Status:
    user, agency, member = _member(request)
    raw = _body(request)
    return _receipt_response(
        accept_document(agency=agency, actor=user, raw=raw, idempotency_key=_idempotency_key(request), member=member)
    )


def _batch_item(index: int, entry: BatchMessageIn) -> Item | DomainError:
    limit = settings.EXCHANGE["max_message_bytes"]
    # base64 of `limit` bytes is 4/3 as long: refuse a longer text before decoding it.
    if len(entry.edxml) > (limit + 2) // 3 * 4 + 4:
        return DomainError("too_large", f"message {index} is over the limit of {limit} bytes", field=f"messages[{index}].edxml", status=413)
    try:
        raw = edxml.b64decode_strict(entry.edxml)
    except (ValueError, binascii.Error):
        return DomainError("invalid_base64", f"message {index} is not base64", field=f"messages[{index}].edxml", status=400)
    key = (entry.idempotency_key or "").strip()
    if key and (len(key) > 200 or not key.isascii() or not key.isprintable()):
        return DomainError("invalid_idempotency_key", "Idempotency-Key is at most 200 printable ASCII characters",
                           field=f"messages[{index}].idempotency_key", status=422)
    return Item(raw, key or None)


def _error_body(exc: DomainError) -> dict[str, Any]:
    return {"code": exc.code, "message": exc.message, "field": exc.field}


@router.post(
    "/messages/batch",
    response={200: BatchOut, **errors(400, 401, 403, 413, 422)},
    summary="Send many signed edXML documents in one request, each checked and answered on its own",
)
def send_batch(request: HttpRequest, body: BatchIn) -> dict[str, Any]:
    user, agency, member = _member(request)
    prepared = [_batch_item(i, m) for i, m in enumerate(body.messages)]
    good = [(i, p) for i, p in enumerate(prepared) if isinstance(p, Item)]
    outcomes = accept_documents(agency=agency, actor=user, items=[p for _, p in good], member=member)
    results: list[dict[str, Any]] = []
    for index, p in enumerate(prepared):
        if isinstance(p, DomainError):
            results.append({"index": index, "status": p.status, "error": _error_body(p)})
    for (index, _), outcome in zip(good, outcomes, strict=True):
        if outcome.error is not None:
            results.append({"index": index, "status": outcome.error.status, "error": _error_body(outcome.error)})
        else:
            assert outcome.accepted is not None
            m = outcome.accepted.message
            created = outcome.accepted.created
            results.append({"index": index, "status": 201 if created else 200, "message_id": str(m.id),
                            "created": created, "receipt": m.receipt, "signature": m.receipt_signature})
    results.sort(key=lambda r: r["index"])
    return {"accepted": sum(1 for r in results if r["status"] == 201), "results": results}


@router.post(
    "/statuses",
    response={201: ReceiptOut, 200: ReceiptOut, **errors(400, 401, 403, 404, 409, 413, 422)},
    summary="Send a signed edXML status message about a document (codes 01–06, 13, 15, 16)",
    openapi_extra=XML_BODY,
)
def send_status(request: HttpRequest) -> Status:
    user, agency, member = _member(request)
    raw = _body(request)
    return _receipt_response(
        accept_status(agency=agency, actor=user, raw=raw, idempotency_key=_idempotency_key(request), member=member)
    )


class InboxQuery(Schema):
    limit: int = Field(100, ge=1, le=1000)
    lease_seconds: int | None = Field(None, ge=1, le=86400)
    include_edxml: bool = Field(
        False,
        description="also carry each message's original signed edXML (base64) and the receipt its sender was given, "
        "so that no GET of each one is needed; such a page holds at most 16 MiB of documents (but always one)",
    )


@router.get(
    "/inbox", response={200: InboxOut, **errors(401, 403, 422)}, summary="Lease the pending documents and statuses for this agency",
    exclude_unset=True,  # the documents' keys only when asked for
)
def inbox(request: HttpRequest, query: Query[InboxQuery]) -> dict[str, Any]:
    _, agency = _agency(request)
    items = lease_inbox(agency, limit=query.limit, lease_seconds=query.lease_seconds, with_raw=query.include_edxml)
    return {"items": [selectors.inbox_item(d, with_raw=query.include_edxml) for d in items]}


@router.get("/messages/{message_id}", response={200: MessageOut, **errors(401, 403, 404, 422)}, summary="A message's details, for its sender or a recipient")
def message_detail(request: HttpRequest, message_id: uuid.UUID) -> dict[str, Any]:
    _, agency = _agency(request)
    return selectors.message_out(selectors.message_for(agency, message_id))


@router.get(
    "/messages/{message_id}/edxml",
    response={200: None, **errors(401, 403, 404, 422)},
    summary="The original signed edXML, byte for byte",
    openapi_extra={"responses": {"200": {"description": "the signed edXML", "content": {"application/xml": {"schema": {"type": "string"}}}}}},
)
def message_edxml(request: HttpRequest, message_id: uuid.UUID) -> HttpResponse:
    _, agency = _agency(request)
    message = selectors.message_for(agency, message_id, with_raw=True)
    response = HttpResponse(bytes(message.raw), content_type="application/xml")
    response["X-Govoffice-Receipt"] = message.receipt
    response["X-Govoffice-Receipt-Signature"] = message.receipt_signature
    return response


@router.post("/messages/{message_id}/ack", response={200: AckOut, **errors(401, 403, 404, 422)}, summary="Acknowledge a delivered message (idempotent)")
def ack(request: HttpRequest, message_id: uuid.UUID) -> dict[str, Any]:
    user, agency = _agency(request)
    delivery = acknowledge(agency=agency, actor=user, message_id=message_id)
    return {"message_id": str(message_id), "state": delivery.state, "acked_at": delivery.acked_at.isoformat() if delivery.acked_at else None}


@router.post("/acks", response={200: AcksOut, **errors(401, 403, 422)}, summary="Acknowledge many delivered messages at once (idempotent), each answered on its own")
def ack_many(request: HttpRequest, body: AcksIn) -> dict[str, Any]:
    user, agency = _agency(request)
    ids: list[uuid.UUID] = []
    results: list[dict[str, Any] | None] = []
    for raw_id in body.message_ids:
        try:
            ids.append(uuid.UUID(raw_id))
            results.append(None)
        except ValueError:
            results.append({"message_id": raw_id, "status": 422,
                            "error": {"code": "invalid_message_id", "message": "not a message ID", "field": "message_ids"}})
    outcomes = iter(acknowledge_many(agency=agency, actor=user, message_ids=ids))
    out: list[dict[str, Any]] = []
    for raw_id, result in zip(body.message_ids, results, strict=True):
        if result is not None:
            out.append(result)
            continue
        o = next(outcomes)
        if o.error is not None or o.delivery is None:
            err = o.error or NotFound("unknown_message", "No such message for this agency")
            out.append({"message_id": raw_id, "status": err.status, "error": _error_body(err)})
        else:
            d = o.delivery
            out.append({"message_id": str(o.message_id), "status": 200, "state": d.state,
                        "acked_at": d.acked_at.isoformat() if d.acked_at else None})
    return {"acknowledged": sum(1 for r in out if r["status"] == 200), "results": out}


@router.get("/messages/{message_id}/trace", response={200: TraceOut, **errors(401, 403, 404, 422)}, summary="A document's history per recipient")
def message_trace(request: HttpRequest, message_id: uuid.UUID) -> dict[str, Any]:
    _, agency = _agency(request)
    return selectors.trace(agency, selectors.message_for(agency, message_id))


class TraceQuery(Schema):
    document_id: str = Field(..., min_length=1, max_length=255, pattern=r"^[^\x00]+$",
                             description="the edXML DocumentId, e.g. 000.00.00.G12,2019/09/20,123/BTC-VP")


@router.get("/trace", response={200: TraceOut, **errors(401, 403, 404, 422)}, summary="A document's history, by its DocumentId")
def trace_by_document_id(request: HttpRequest, query: Query[TraceQuery]) -> dict[str, Any]:
    _, agency = _agency(request)
    return selectors.trace(agency, selectors.document_by_id(agency, query.document_id))


class SentQuery(Schema):
    since: dt.datetime | None = Field(None, description="only messages received after this time (ISO 8601)")
    limit: int = Field(100, ge=1, le=1000)

    @field_validator("since")
    @classmethod
    def _in_utc(cls, value: dt.datetime | None) -> dt.datetime | None:
        # PostgreSQL takes offsets up to ±15:59 only; pydantic accepts ±24h. Store-side UTC.
        if value is None:
            return None
        try:
            return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
        except OverflowError as exc:
            raise ValueError("since is out of range") from exc


@router.get("/sent", response={200: list[MessageOut], **errors(401, 403, 422)}, summary="Messages this agency sent (oldest first)")
def sent(request: HttpRequest, query: Query[SentQuery]) -> list[dict[str, Any]]:
    _, agency = _agency(request)
    return [selectors.message_out(m) for m in selectors.sent(agency, query.since, query.limit)]


@router.get("/members", response={200: list[MemberOut], **errors(401, 403)}, summary="The hub's members (GetAgencyList)")
def members(request: HttpRequest) -> list[dict[str, Any]]:
    if not may(current_user(request), "hub.operate"):
        _member(request)  # an active member's system or clerks; 403 not_a_member for anyone else
    contacts = last_contacts()
    return [
        {
            "code": m.agency.code,
            "name_vi": m.agency.name_vi,
            "name_en": m.agency.name_en,
            "active": m.active,
            "delivery": "push" if m.push_url else "pull",
            "enrolled_at": m.enrolled_at.isoformat(),
            "last_contact_at": contacts[m.agency_id].isoformat() if contacts.get(m.agency_id) else None,
        }
        for m in selectors.members()
    ]


@router.get("/certificates/{fingerprint}", response={200: CertificateStatus, **errors(401, 403, 404, 422)}, summary="Whether a member's certificate is current (for agents verifying signatures)")
def certificate_status(request: HttpRequest, fingerprint: str) -> dict[str, Any]:
    _agency(request)
    row = Certificate.objects.select_related("agency").filter(fingerprint=fingerprint.lower()).first()
    if row is None:
        raise NotFound("unknown_certificate", "No certificate has this fingerprint")
    return {
        "fingerprint": row.fingerprint,
        "agency": row.agency.code,
        "current": row.is_current(),
        "not_after": row.not_after.isoformat(),
        "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
    }


@router.get("/certificate", response={200: HubCertificates}, auth=None, summary="The hub's receipt certificate and the platform CA (public)")
def hub_certificates(request: HttpRequest) -> dict[str, str]:
    return {
        "hub_certificate": pki.cert_pem(hub_identity().cert).decode("ascii"),
        "ca_certificate": pki.cert_pem(platform_ca().cert).decode("ascii"),
    }


class StatsQuery(Schema):
    days: int = Field(30, ge=1, le=3660)


@router.get("/stats", response={200: dict, **errors(401, 403, 422)}, summary="The operators' figures: members connected, traffic, stuck deliveries, failed pushes, certificates, paper saved")
def stats(request: HttpRequest, query: Query[StatsQuery]) -> dict[str, Any]:
    if not may(current_user(request), "hub.operate"):
        raise Forbidden("forbidden", "Only the hub's operators see its figures")
    return hub_stats(query.days)
