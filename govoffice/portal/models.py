"""Cổng dịch vụ công models: the procedure catalogue, accounts, dossiers, fees, page-view counters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govoffice.directory.models import Agency


class OnlineLevel(models.IntegerChoices):
    # Decree 43/2011/NĐ-CP levels of online public services.
    INFO = 1, _("Level 1: information only")
    FORMS = 2, _("Level 2: forms to download")
    ONLINE = 3, _("Level 3: submitted online")
    FULL = 4, _("Level 4: fully online, fees and result included")


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính) of the national catalogue."""

    code = models.CharField(_("code"), max_length=32, unique=True)  # e.g. 1.001612
    name = models.CharField(_("name"), max_length=500)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="procedures")
    field = models.CharField(_("field"), max_length=200)
    field_slug = models.SlugField(max_length=200, db_index=True)
    level = models.PositiveSmallIntegerField(_("online level"), choices=OnlineLevel.choices)
    papers = models.JSONField(_("required papers"), default=list)  # [str]
    fee_text = models.CharField(_("fees"), max_length=500, blank=True)
    fee_amount = models.PositiveIntegerField(default=0)  # VND charged through the portal, 0 = none
    processing_days = models.PositiveSmallIntegerField(_("processing time (working days)"))
    result = models.CharField(_("result"), max_length=500)
    applicants = models.JSONField(default=list)  # ["citizen", "business"]
    form = models.JSONField(default=list)  # the procedure's own form fields (portal/forms_dynamic.py)
    min_attachments = models.PositiveSmallIntegerField(default=0)
    legal_basis = models.CharField(max_length=500, blank=True)
    search_text = models.TextField(blank=True)  # vntext.fold of code, name, field, agency
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def online(self) -> bool:
        return self.level >= OnlineLevel.ONLINE


class AccountKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business")


class PortalAccount(models.Model):
    """The portal profile of a citizen or a business; the User's username is the number itself."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_account")
    kind = models.CharField(max_length=10, choices=AccountKind.choices)
    number = models.CharField(max_length=14, unique=True)  # identity number or tax code
    display_name = models.CharField(max_length=255)
    phone = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"


class Status(models.IntegerChoices):
    # The National Public Service Portal's dossier status codes (DOMAIN.md §3).
    REGISTERED = 1, _("Newly registered")
    ACCEPTED = 2, pgettext_lazy("dossier status", "Accepted")
    NOT_ACCEPTED = 3, _("Not accepted")
    PROCESSING = 4, _("Processing")
    PAPERS_REQUESTED = 5, _("Additional papers requested")
    FEES_REQUESTED = 6, _("Financial obligation requested")
    WITHDRAWAL_REQUESTED = 7, _("Withdrawal requested by the applicant")
    STOPPED = 8, _("Processing stopped")
    PROCESSED = 9, _("Processed")
    RETURNED = 10, _("Result returned")


class Channel(models.IntegerChoices):
    IN_PERSON = 1, _("In person")
    ONLINE = 2, _("Online")
    POST = 3, _("Public postal service")


class Dossier(models.Model):
    """A dossier (hồ sơ) an applicant filed for a procedure."""

    receipt_code = models.CharField(max_length=24, unique=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="dossiers")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers")
    applicant_kind = models.CharField(max_length=10, choices=AccountKind.choices)
    applicant_name = models.CharField(max_length=255)
    channel = models.PositiveSmallIntegerField(choices=Channel.choices, default=Channel.ONLINE)
    data = models.JSONField(default=dict)  # the values of the procedure's form
    status = models.PositiveSmallIntegerField(choices=Status.choices, default=Status.REGISTERED, db_index=True)
    status_note = models.CharField(max_length=1000, blank=True)  # the reason the applicant is told
    submitted_at = models.DateTimeField()
    status_changed_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)  # set on acceptance, moved on by paused days
    paused_on = models.DateField(null=True, blank=True)  # the clock stops while papers or fees are awaited
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_late = models.BooleanField(default=False)
    fee_amount = models.PositiveIntegerField(default=0)
    result_outgoing = models.ForeignKey("records.Outgoing", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001  (NULL = none)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["agency", "status"], name="portal_dossier_agency_status"),
            models.Index(fields=["applicant", "-submitted_at"], name="portal_dossier_applicant"),
            models.Index(fields=["submitted_at"], name="portal_dossier_submitted"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "idempotency_key"], condition=Q(idempotency_key__isnull=False),
                                    name="portal_dossier_one_per_key"),
        ]

    def __str__(self) -> str:
        return self.receipt_code


class DossierFile(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=12, default="attachment")  # attachment, supplement, result
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)  # sniffed from the content
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="portal/%Y/%m/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class DossierStep(models.Model):
    """One change of a dossier's status, as the applicant's timeline shows it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField()
    status = models.PositiveSmallIntegerField(choices=Status.choices)
    note = models.CharField(max_length=1000, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.status}"


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    CONFIRMED = "confirmed", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class Payment(models.Model):
    """A fee the agency asked for, paid through a provider (portal/payments.py)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="payments")
    provider = models.CharField(max_length=32)
    amount = models.PositiveIntegerField()
    reference = models.CharField(max_length=40, unique=True)
    instructions = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=PaymentState.choices, default=PaymentState.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference


class DailyVisits(models.Model):
    """Public page views of one day and page kind; counted in batches (portal/visits.py)."""

    day = models.DateField()
    page = models.CharField(max_length=16)  # home, catalogue, procedure, lookup
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "page"], name="portal_visits_one_row")]

    def __str__(self) -> str:
        return f"{self.day} {self.page} {self.count}"
