"""The hub's records: members, the messages they send (kept byte for byte), deliveries."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from govoffice.directory.models import Agency
from govoffice.lib.ids import uuid7


class Member(models.Model):
    """An agency enrolled on the hub: it may send and receive."""

    agency = models.OneToOneField(Agency, on_delete=models.PROTECT, primary_key=True, related_name="hub_member")
    active = models.BooleanField(default=True)
    push_url = models.URLField(blank=True, help_text="where the hub POSTs deliveries; empty = the member pulls")
    enrolled_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_contact_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agency__code"]

    def __str__(self) -> str:
        return f"member {self.agency_id}"


class Kind(models.TextChoices):
    DOCUMENT = "document"
    STATUS = "status"


class Message(models.Model):
    """One accepted edXML message, document or status, with its original signed bytes."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)  # time-ordered: new rows go at the end of the indexes
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.DOCUMENT)
    sender = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="sent_messages")
    document_id = models.CharField(max_length=255, db_index=True)
    business_doc_type = models.PositiveSmallIntegerField(default=0)
    status_code = models.CharField(max_length=2, blank=True)
    # For a status, the document it is about; for a revoke/update/replace, the original.
    about = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="followups")
    subject = models.CharField(max_length=500, blank=True)
    notation = models.CharField(max_length=100, blank=True)
    doc_type = models.IntegerField(default=0)
    description = models.CharField(max_length=500, blank=True)
    raw = models.BinaryField()
    digest = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001  (NULL = none, so the unique constraint ignores it)
    received_at = models.DateTimeField(db_index=True)
    receipt = models.TextField(blank=True)  # the canonical JSON the hub signed
    receipt_signature = models.TextField(blank=True)  # base64

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "document_id", "business_doc_type"],
                condition=Q(kind="document"),
                name="one_document_per_sender_id_and_business_type",
            ),
            models.UniqueConstraint(
                fields=["sender", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="one_message_per_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["sender", "digest"], condition=Q(kind="status"), name="one_status_per_digest"
            ),
            # A recipient agrees (15) or refuses (16) a revoke/update/replace once: two answers
            # sent at the same moment cannot both pass the check in _open_request.
            models.UniqueConstraint(
                fields=["sender", "about"],
                condition=Q(kind="status", status_code__in=["15", "16"]),
                name="one_answer_per_request",
            ),
        ]
        indexes = [
            models.Index(fields=["sender", "received_at"]),
            # The year's documents exchanged (annual report, national dashboard) without reading every row.
            models.Index(fields=["kind", "business_doc_type", "received_at"], name="message_kind_type_received"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.document_id}"


class DeliveryState(models.TextChoices):
    PENDING = "pending"
    ACKED = "acked"


class Delivery(models.Model):
    """One message for one recipient; acknowledged once, leased while a recipient works on it."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="deliveries")
    recipient = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="deliveries")
    state = models.CharField(max_length=8, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    created_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    fetch_count = models.PositiveIntegerField(default=0)
    first_fetched_at = models.DateTimeField(null=True, blank=True)
    acked_at = models.DateTimeField(null=True, blank=True)
    push_attempts = models.PositiveIntegerField(default=0)
    next_push_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["message", "recipient"], name="one_delivery_per_recipient")]
        indexes = [
            models.Index(fields=["recipient", "state", "lease_until"]),
            # The inbox: one agency's pending deliveries in order, without scanning the others'.
            models.Index(fields=["recipient", "state", "created_at", "id"], name="exchange_inbox_order"),
            models.Index(fields=["state", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} -> {self.recipient_id} ({self.state})"
