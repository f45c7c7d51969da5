from __future__ import annotations

from ninja import Field, Schema


class ReceiptOut(Schema):
    message_id: str
    created: bool = Field(description="false when this answers a resend: nothing new was stored or delivered")
    receipt: str = Field(description="the canonical JSON the hub signed")
    signature: str = Field(description="base64 signature of the receipt's UTF-8 bytes by the hub's key")


class MessageOut(Schema):
    id: str
    kind: str
    document_id: str
    sender: str
    business_doc_type: int
    status_code: str | None
    about: str | None
    subject: str
    notation: str
    description: str
    sha256: str
    size: int
    received_at: str


class InboxItem(Schema):
    message: MessageOut
    lease_until: str | None
    fetch_count: int
    edxml: str | None = Field(None, description="with include_edxml: the original signed edXML, base64 (else absent)")
    receipt: str | None = Field(None, description="with include_edxml: the receipt the hub signed for the sender (JSON)")
    receipt_signature: str | None = Field(None, description="with include_edxml: the receipt's signature (base64)")


class InboxOut(Schema):
    items: list[InboxItem]


class AckOut(Schema):
    message_id: str
    state: str
    acked_at: str | None


class DeliveryOut(Schema):
    state: str
    queued_at: str
    first_fetched_at: str | None
    acked_at: str | None
    fetch_count: int
    push_attempts: int


class StatusOut(Schema):
    code: str
    meaning: str
    description: str
    sender: str
    received_at: str
    message_id: str


class RecipientTrace(Schema):
    organ_id: str
    delivery: DeliveryOut
    statuses: list[StatusOut]
    last_status: str | None


class Answer(Schema):
    organ_id: str
    outcome: str
    description: str


class RequestTrace(Schema):
    message_id: str
    request: str
    document_id: str
    reason: str
    received_at: str
    answers: list[Answer]


class TraceOut(Schema):
    message: MessageOut
    you_are: str
    recipients: list[RecipientTrace]
    requests: list[RequestTrace]


class MemberOut(Schema):
    code: str
    name_vi: str
    name_en: str
    active: bool
    delivery: str
    enrolled_at: str
    last_contact_at: str | None


class CertificateStatus(Schema):
    fingerprint: str
    agency: str
    current: bool
    not_after: str
    revoked_at: str | None


class HubCertificates(Schema):
    hub_certificate: str
    ca_certificate: str


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None


class BatchMessageIn(Schema):
    edxml: str = Field(description="the signed edXML message, base64 of its exact bytes")
    idempotency_key: str | None = Field(
        None, description="at most 200 printable ASCII characters; a retry with the same key returns the first result"
    )


class BatchIn(Schema):
    messages: list[BatchMessageIn] = Field(..., min_length=1, max_length=100)


class BatchResult(Schema):
    index: int = Field(description="the position of the message in the request, from 0")
    status: int = Field(description="what a single send would have answered: 201 new, 200 resend, or a 4xx")
    message_id: str | None = None
    created: bool | None = None
    receipt: str | None = None
    signature: str | None = None
    error: ErrorBody | None = None


class BatchOut(Schema):
    accepted: int = Field(description="messages newly stored by this request")
    results: list[BatchResult]


class AcksIn(Schema):
    message_ids: list[str] = Field(..., min_length=1, max_length=1000)


class AckResult(Schema):
    message_id: str
    status: int
    state: str | None = None
    acked_at: str | None = None
    error: ErrorBody | None = None


class AcksOut(Schema):
    acknowledged: int = Field(description="messages in the request that are now acknowledged (before or by it)")
    results: list[AckResult]
