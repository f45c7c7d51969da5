"""The office's document work (Decree 30/2020): the incoming register and its handling,
submissions to leaders, outgoing documents with their numbers, and their files."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govoffice.directory.models import Agency, Clearance, User


class Urgency(models.IntegerChoices):
    """Độ khẩn: urgent documents are registered and presented at once and jump the queue."""

    NORMAL = 0, _("Normal")
    KHAN = 1, "Khẩn"
    THUONG_KHAN = 2, "Thượng khẩn"
    HOA_TOC = 3, "Hỏa tốc"


class DocType(models.TextChoices):
    """The 29 administrative document types of Decree 30 (Art. 7) with their abbreviations."""

    NGHI_QUYET = "NQ", "Nghị quyết"
    QUYET_DINH = "QĐ", "Quyết định"
    CHI_THI = "CT", "Chỉ thị"
    QUY_CHE = "QC", "Quy chế"
    QUY_DINH = "QyĐ", "Quy định"
    THONG_CAO = "TC", "Thông cáo"
    THONG_BAO = "TB", "Thông báo"
    HUONG_DAN = "HD", "Hướng dẫn"
    CHUONG_TRINH = "CTr", "Chương trình"
    KE_HOACH = "KH", "Kế hoạch"
    PHUONG_AN = "PA", "Phương án"
    DE_AN = "ĐA", "Đề án"
    DU_AN = "DA", "Dự án"
    BAO_CAO = "BC", "Báo cáo"
    BIEN_BAN = "BB", "Biên bản"
    TO_TRINH = "TTr", "Tờ trình"
    HOP_DONG = "HĐ", "Hợp đồng"
    CONG_VAN = "CV", "Công văn"
    CONG_DIEN = "CĐ", "Công điện"
    BAN_GHI_NHO = "BGN", "Bản ghi nhớ"
    BAN_THOA_THUAN = "BTT", "Bản thỏa thuận"
    GIAY_UY_QUYEN = "GUQ", "Giấy ủy quyền"
    GIAY_MOI = "GM", "Giấy mời"
    GIAY_GIOI_THIEU = "GGT", "Giấy giới thiệu"
    GIAY_NGHI_PHEP = "GNP", "Giấy nghỉ phép"
    PHIEU_GUI = "PG", "Phiếu gửi"
    PHIEU_CHUYEN = "PC", "Phiếu chuyển"
    PHIEU_BAO = "PB", "Phiếu báo"
    THU_CONG = "TCg", "Thư công"


# Types whose notation carries no type abbreviation: 7816/VPCP-TTĐT.
UNABBREVIATED = {DocType.CONG_VAN, DocType.THU_CONG}


class Channel(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic (hub)")
    PAPER = "paper", _("Paper")


class IncomingState(models.TextChoices):
    ARRIVED = "arrived", _("Arrived")
    REGISTERED = "registered", _("Registered")
    RETURNED = "returned", _("Returned to the sender")
    ASSIGNED = "assigned", _("Assigned")
    PROCESSING = "processing", _("Processing")
    DONE = "done", _("Done")


class Incoming(models.Model):
    """One line of the incoming register (sổ đăng ký văn bản đến) and the document behind it."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="incoming")
    year = models.PositiveSmallIntegerField()
    arrival_number = models.PositiveIntegerField(null=True, blank=True)  # set on registration
    arrived_at = models.DateTimeField()
    registered_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    hub_message = models.ForeignKey(
        "exchange.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="incoming_records"
    )
    document_id = models.CharField(max_length=255, blank=True, db_index=True)  # edXML DocumentId
    sender = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sender_name = models.CharField(_("author agency"), max_length=255)
    number_notation = models.CharField(_("number and notation"), max_length=100, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    doc_type = models.CharField(_("type"), max_length=4, choices=DocType.choices, default=DocType.CONG_VAN)
    subject = models.CharField(_("summary"), max_length=1000)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.PositiveSmallIntegerField(
        _("confidentiality"), choices=Clearance.choices, default=Clearance.NONE
    )
    pages = models.PositiveIntegerField(default=0)
    due_date = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=12, choices=IncomingState.choices, default=IncomingState.ARRIVED)
    return_reason = models.CharField(max_length=500, blank=True)
    receiving_unit = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    receiving_person = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("notes"), max_length=500, blank=True)
    registered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Presented (trình) by the clerk to the leader who will assign it (Decree 30, Art. 21).
    presented_to = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    presented_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # A machine's retry of a paper registration (API Idempotency-Key) finds the first one.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001  (NULL = none)
    text = models.TextField(blank=True)  # the documents' text (PDF text, OCR), for search

    class Meta:
        ordering = ["-arrived_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "arrival_number"],
                condition=Q(arrival_number__isnull=False),
                name="one_arrival_number_per_agency_year",
            ),
            models.UniqueConstraint(
                fields=["agency", "hub_message"],
                condition=Q(hub_message__isnull=False),
                name="one_registration_per_hub_message",
            ),
            models.UniqueConstraint(
                fields=["agency", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="one_incoming_per_idempotency_key",
            ),
        ]
        indexes = [models.Index(fields=["agency", "state", "urgency"]), models.Index(fields=["agency", "arrived_at"])]

    def __str__(self) -> str:
        return f"{self.arrival_number or '—'}/{self.year} {self.number_notation}"


class Assignment(models.Model):
    """A leader's direction on an incoming document: lead and co-ordinating handlers, deadline."""

    incoming = models.ForeignKey(Incoming, on_delete=models.CASCADE, related_name="assignments")
    lead_unit = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lead_person = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="lead_assignments")
    coordinators = models.ManyToManyField(User, blank=True, related_name="coordinated_assignments")
    coordinating_units = models.ManyToManyField(Agency, blank=True, related_name="coordinated_assignments")
    direction = models.TextField(_("direction"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()
    active = models.BooleanField(default=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # when a reassignment replaced it
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at"]
        indexes = [models.Index(fields=["active", "deadline"])]

    def __str__(self) -> str:
        return f"assignment of {self.incoming_id}"


class RecordFile(models.Model):
    """A file kept with a record: a scan, an attachment received, a draft, an issued PDF."""

    incoming = models.ForeignKey(Incoming, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    outgoing = models.ForeignKey("Outgoing", null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    version = models.ForeignKey("SubmissionVersion", null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="records/%Y/%m/")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)  # from the content, not the name
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    role = models.CharField(max_length=16, default="attachment")  # scan, attachment, draft, issued
    text = models.TextField(blank=True)
    ocr_state = models.CharField(max_length=10, blank=True)  # "", pending, done, failed
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class NumberSeries(models.Model):
    """One numbering series: numbers run from 1 each year, in issue order, with no gap."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="number_series")
    year = models.PositiveSmallIntegerField()
    # "arrival"; or, for issued documents, "[AUTHORITY/]KEY" where KEY is a DocType, "all" or
    # "secret" (numbering.series_key), e.g. "QĐ", "TTg/QĐ", "TTg/secret".
    key = models.CharField(max_length=32)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year", "key"], name="one_series_per_agency_year_key")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}/{self.key}: {self.last_number}"


class OutgoingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    SIGNED = "signed", _("Signed")
    ISSUED = "issued", _("Issued")


class Outgoing(models.Model):
    """A document the office issues: drafted, reviewed, approved, signed, numbered, sent."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="outgoing")
    drafting_unit = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Who issues it: the agency itself, or an authority whose documents its clerks issue
    # (the Government Office issues for the Prime Minister, "TTg", and the Government, "CP").
    authority_short = models.CharField(_("issuing authority (short)"), max_length=20)
    authority_name = models.CharField(_("issuing authority"), max_length=255)
    doc_type = models.CharField(_("type"), max_length=4, choices=DocType.choices)
    subject = models.CharField(_("subject"), max_length=1000)
    body = models.TextField(_("body"))
    place = models.CharField(max_length=100, default="Hà Nội")
    urgency = models.PositiveSmallIntegerField(choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.PositiveSmallIntegerField(choices=Clearance.choices, default=Clearance.NONE)
    recipients = models.ManyToManyField(Agency, blank=True, related_name="+")
    recipient_places = models.TextField(_("recipients (Nơi nhận)"), blank=True)
    signer = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signer_competence = models.CharField(max_length=50, blank=True)  # TM., KT., TL., TUQ., Q.
    signer_on_behalf = models.CharField(max_length=255, blank=True)  # CHÍNH PHỦ, BỘ TRƯỞNG, CHỦ NHIỆM
    signer_title = models.CharField(max_length=255, blank=True)  # THỦ TƯỚNG, PHÓ CHỦ NHIỆM
    state = models.CharField(max_length=10, choices=OutgoingState.choices, default=OutgoingState.DRAFT)
    reviewer = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review_comment = models.TextField(blank=True)
    approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signer_certificate = models.ForeignKey(
        "signing.Certificate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_sha256 = models.CharField(max_length=64, blank=True)  # of the content the signer approved
    series = models.ForeignKey(NumberSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True)
    notation = models.CharField(max_length=100, blank=True)  # 123/QĐ-TTg
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    document_id = models.CharField(max_length=255, blank=True, db_index=True)
    hub_message_id = models.CharField(max_length=64, blank=True)  # the hub's id of the sent document
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatch_error = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # A machine's retry of a draft's creation (API Idempotency-Key) finds the first one; per caller.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001  (NULL = none)
    submission = models.ForeignKey("Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="outgoing")
    reply_to = models.ForeignKey(Incoming, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "number"], condition=Q(number__isnull=False), name="one_number_per_series"
            ),
            models.UniqueConstraint(
                fields=["agency", "year", "notation"], condition=~Q(notation=""), name="one_notation_per_agency_year"
            ),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], condition=Q(idempotency_key__isnull=False),
                name="one_outgoing_per_idempotency_key",
            ),
        ]
        indexes = [models.Index(fields=["agency", "state"]), models.Index(fields=["reviewer", "state"])]

    def __str__(self) -> str:
        return self.notation or f"draft {self.pk}"


CHAIN_ROLES = ("department_head", "office_leader", "government_leader")


def chain_step_errors(steps: object) -> list[str]:
    """What is wrong with an approval chain's steps (empty when they are usable)."""
    if not isinstance(steps, list) or not steps:
        return ["steps must be a non-empty list"]
    problems = []
    for i, step in enumerate(steps, 1):
        if not isinstance(step, dict):
            problems.append(f"step {i} must be an object")
            continue
        if not str(step.get("label", "")).strip():
            problems.append(f"step {i} needs a label")
        if step.get("role") not in CHAIN_ROLES:
            problems.append(f"step {i}: role must be one of {', '.join(CHAIN_ROLES)}")
        if "position" in step and not isinstance(step["position"], str):
            problems.append(f"step {i}: position must be text")
        if "same_unit" in step and not isinstance(step["same_unit"], bool):
            problems.append(f"step {i}: same_unit must be true or false")
        unknown = set(step) - {"label", "role", "position", "same_unit"}
        if unknown:
            problems.append(f"step {i}: unknown keys {', '.join(sorted(unknown))}")
    return problems


class ApprovalChain(models.Model):
    """Who approves a submission, step by step, for an agency and a matter."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="approval_chains")
    matter = models.CharField(max_length=64)  # e.g. "default", "economy", "law"
    name = models.CharField(max_length=200)
    # [{"label": "Vụ trưởng", "role": "department_head", "same_unit": true},
    #  {"label": "Phó Chủ nhiệm", "role": "office_leader", "position": "Phó Chủ nhiệm"}, ...]
    # A step's people: the agency's active staff with the role, whose position contains
    # `position` (folded; "Chủ nhiệm" does not match "Phó Chủ nhiệm"), from the drafter's
    # unit when same_unit.
    steps = models.JSONField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency", "matter"]
        constraints = [models.UniqueConstraint(fields=["agency", "matter"], name="one_chain_per_agency_matter")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problems = chain_step_errors(self.steps)
        if problems:
            raise ValidationError({"steps": problems})


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Waiting for a decision")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Submission(models.Model):
    """A submission to leaders (phiếu trình / tờ trình) moving up an approval chain."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    chain = models.ForeignKey(ApprovalChain, on_delete=models.PROTECT, related_name="submissions")
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    confidentiality = models.PositiveSmallIntegerField(choices=Clearance.choices, default=Clearance.NONE)
    urgency = models.PositiveSmallIntegerField(choices=Urgency.choices, default=Urgency.NORMAL)
    state = models.CharField(max_length=10, choices=SubmissionState.choices, default=SubmissionState.DRAFT)
    step = models.PositiveSmallIntegerField(default=0)  # index into chain.steps while in review
    current_reviewer = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    related = models.ManyToManyField(Incoming, blank=True, related_name="submissions")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="submissions")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)  # last time it went up (for the queue)
    decided_at = models.DateTimeField(null=True, blank=True)
    # A machine's retry of a submission's creation (API Idempotency-Key) finds the first one; per caller.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001  (NULL = none)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["current_reviewer", "state"]), models.Index(fields=["agency", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], condition=Q(idempotency_key__isnull=False),
                name="one_submission_per_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SubmissionVersion(models.Model):
    """Each version of a submission's draft is kept."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    body = models.TextField()
    note = models.CharField(max_length=500, blank=True)  # what changed, in the drafter's words
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="one_version_number")]

    def __str__(self) -> str:
        return f"v{self.number}"


class SubmissionAction(models.Model):
    """One step of a submission's history: who did what, when, with what comment."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="actions")
    step = models.PositiveSmallIntegerField()
    version = models.ForeignKey(SubmissionVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # create, revise, submit, resubmit, approve, return, forward, withdraw
    action = models.CharField(max_length=16)
    comment = models.TextField(blank=True)
    forwarded_to = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id}"


class SearchEntry(models.Model):
    """One searchable record (incoming or outgoing): its folded words and its filter columns.

    `head` holds the folded words of the number and notation, the subject and the sender;
    `folded` those and the rest (notes, body, the files' text): lib.vntext.fold, cut into
    words and joined by single spaces (records.search_text.index_text), on SQLite and
    PostgreSQL alike, so "quyet dinh" finds "Quyết định" and "dong da" finds "Đống Đa".

    The key is the entry's date in microseconds since 1970 (raised by one until free), so
    key order is date order: the full-text indexes (migration 0002) return matches newest
    first without sorting them. An entry whose date changes is written again under a new key.
    """

    # Always given (records.search.reindex); an auto field so that SQLite keeps it as the rowid.
    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=10)  # incoming, outgoing
    object_id = models.BigIntegerField()
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    confidentiality = models.PositiveSmallIntegerField(default=0)
    doc_type = models.CharField(max_length=4)
    state = models.CharField(max_length=12)
    urgency = models.PositiveSmallIntegerField(default=0)
    date = models.DateTimeField()  # arrival or issue time, for sorting and date filters
    sender = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sender_name = models.CharField(max_length=255, blank=True)
    handler = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    number = models.PositiveIntegerField(default=0)  # the number (of the notation); 0 when none
    number_notation = models.CharField(max_length=100, blank=True)
    subject = models.CharField(max_length=1000)
    head = models.TextField(blank=True)
    folded = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_entry_per_record")]
        indexes = [
            models.Index(fields=["agency", "id"], name="search_agency_key"),
            models.Index(fields=["agency", "number", "id"], name="search_agency_number"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class SearchWord(models.Model):
    """Every word the search index has held (never removed): a prefix being typed is matched
    as these words, which both full-text indexes answer far faster than a prefix scan."""

    word = models.CharField(max_length=64, primary_key=True)

    def __str__(self) -> str:
        return self.word
