"""Phản ánh, kiến nghị: feedback on administrative regulations, its files, and Open311 clients.

One row follows the matter end to end: the receipt code the submitter keeps, the hub
DocumentId of the message that forwarded it, the agency's statuses, its answer, the
moderated text that was published, and the submitter's rating.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govoffice.directory.models import Agency, ApiKey, User


class Source(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business")


class Topic(models.TextChoices):
    """What the feedback is about (Decree 20/2008 Art. 3); also the Open311 service codes."""

    REGULATION = "regulation", _("An administrative regulation")
    PROCEDURE = "procedure", _("An administrative procedure")
    CONDUCT = "conduct", _("How officials apply a regulation")
    PROPOSAL = "proposal", _("A proposal for a new regulation")


class Scope(models.TextChoices):
    UNDECIDED = "", _("Not triaged yet")
    IN_SCOPE = "in_scope", _("Within scope")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")


class OutOfScope(models.TextChoices):
    """Why a piece is out of scope: each kind gets its own guidance text."""

    COMPLAINT = "complaint", _("A complaint (Law on Complaints)")
    DENUNCIATION = "denunciation", _("A denunciation (Law on Denunciations)")
    OTHER = "other", _("Not about an administrative regulation")


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope: guidance sent")
    DUPLICATE = "duplicate", _("Duplicate of an earlier piece")
    FORWARDED = "forwarded", _("Sent to the responsible agency")
    RETURNED = "returned", _("Returned by the agency")
    PROCESSING = "processing", _("Being handled by the agency")
    ANSWERED = "answered", _("Answer received, being reviewed")
    PUBLISHED = "published", _("Answered and published")


CLOSED_STATES = (State.OUT_OF_SCOPE, State.DUPLICATE, State.PUBLISHED)


class Via(models.TextChoices):
    WEB = "web", _("Portal form")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311 client")
    DEMO = "demo", _("Demo data")


class AnswerVia(models.TextChoices):
    HUB = "hub", _("Through the hub")
    LOGIN = "login", _("On the agency's page")


class Feedback(models.Model):
    code = models.CharField(max_length=32, unique=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    topic = models.CharField(max_length=16, choices=Topic.choices, default=Topic.REGULATION)
    via = models.CharField(max_length=8, choices=Via.choices, default=Via.WEB)
    # The submitter: kept for the office only, never published.
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=300, blank=True)
    organisation = models.CharField(max_length=300, blank=True)
    tax_code = models.CharField(max_length=14, blank=True)
    account = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback_filed")
    subject = models.CharField(max_length=300)
    content = models.TextField()
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback_about")
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    search_text = models.TextField(blank=True)  # folded subject + content, for the office's search
    received_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    # Triage by the office.
    scope = models.CharField(max_length=16, choices=Scope.choices, blank=True, default=Scope.UNDECIDED)
    out_of_scope_kind = models.CharField(max_length=16, choices=OutOfScope.choices, blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates")
    triaged_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    triaged_at = models.DateTimeField(null=True, blank=True)
    office_note = models.TextField(blank=True)
    # Forwarding through the hub: one DocumentId follows the matter.
    forwarded_to = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback_forwarded")
    document_id = models.CharField(max_length=255, blank=True, db_index=True)
    hub_message_id = models.CharField(max_length=64, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    forward_error = models.CharField(max_length=500, blank=True)
    hub_status = models.CharField(max_length=2, blank=True)
    hub_status_at = models.DateTimeField(null=True, blank=True)
    # The agency's answer and its moderation.
    answer_text = models.TextField(blank=True)
    answer_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answer_via = models.CharField(max_length=8, choices=AnswerVia.choices, blank=True)
    answer_document_id = models.CharField(max_length=255, blank=True)
    answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.TextField(blank=True)
    published_subject = models.CharField(max_length=300, blank=True)
    published_question = models.TextField(blank=True)
    published_answer = models.TextField(blank=True)
    published_search = models.TextField(blank=True)  # folded published text
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The submitter's rating, through the link with a token in the e-mail (its SHA-256 kept).
    rating_token_hash = models.CharField(max_length=64, blank=True)
    satisfied = models.BooleanField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    # Open311: the token a client can follow before it knows the id, and its Idempotency-Key.
    open311_token = models.CharField(max_length=40, blank=True, db_index=True)
    client = models.ForeignKey("Open311Client", null=True, blank=True, on_delete=models.PROTECT, related_name="requests")
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001  (NULL = none)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["client", "idempotency_key"], condition=Q(idempotency_key__isnull=False),
                                    name="feedback_one_per_idempotency_key"),
        ]
        indexes = [
            models.Index(fields=["state", "received_at"]),
            models.Index(fields=["source", "received_at"]),
            models.Index(fields=["forwarded_to", "state"]),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def closed(self) -> bool:
        return self.state in CLOSED_STATES


class FeedbackFile(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="feedback/%Y/%m/")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class StatusEntry(models.Model):
    """What happened to a piece, as the submitter sees it (the audit log keeps who did it)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=State.choices)
    hub_status = models.CharField(max_length=2, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.state}"


class Open311Client(models.Model):
    """An Open311 application allowed to file feedback; its key is a directory API key."""

    name = models.CharField(max_length=100, unique=True)
    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="open311_client")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def active_keys(self) -> models.QuerySet[ApiKey]:
        return self.user.api_keys.filter(revoked_at__isnull=True)
