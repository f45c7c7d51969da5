"""The office's document work (Decree 30/2020): the incoming register and its handling,
submissions to leaders, outgoing documents with their numbers, and their files."""

from __future__ import annotations

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
    direction = models.TextField(_("direction"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()
    active = models.BooleanField(default=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at"]

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
    key = models.CharField(max_length=16)  # a DocType, "all", or "secret"
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year", "key"], name="one_series_per_agency_year_key")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}/{self.key}: {self.last_number}"


class OutgoingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")
    RETURNED = "returned", _("Returned for changes")


class Outgoing(models.Model):
    """A document the office issues: drafted, reviewed, approved, signed, numbered, sent."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="outgoing")
    drafting_unit = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(_("type"), max_length=4, choices=DocType.choices)
    subject = models.CharField(_("subject"), max_length=1000)
    body = models.TextField(_("body"))
    place = models.CharField(max_length=100, default="Hà Nội")
    urgency = models.PositiveSmallIntegerField(choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.PositiveSmallIntegerField(choices=Clearance.choices, default=Clearance.NONE)
    recipients = models.ManyToManyField(Agency, blank=True, related_name="+")
    recipient_places = models.TextField(_("recipients (Nơi nhận)"), blank=True)
    signer = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signer_competence = models.CharField(max_length=50, blank=True)  # TM., KT., TL., TUQ.
    state = models.CharField(max_length=10, choices=OutgoingState.choices, default=OutgoingState.DRAFT)
    series = models.ForeignKey(NumberSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True)
    notation = models.CharField(max_length=100, blank=True)  # 123/QĐ-TTg
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    document_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submission = models.ForeignKey("Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="outgoing")
    reply_to = models.ForeignKey(Incoming, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "number"], condition=Q(number__isnull=False), name="one_number_per_series"
            )
        ]

    def __str__(self) -> str:
        return self.notation or f"draft {self.pk}"


class ApprovalChain(models.Model):
    """Who approves a submission, step by step, for an agency and a matter."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="approval_chains")
    matter = models.CharField(max_length=64)  # e.g. "default", "economy", "law"
    name = models.CharField(max_length=200)
    # [{"label": "Vụ trưởng", "role": "department_head", "same_unit": true}, ...]
    steps = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "matter"], name="one_chain_per_agency_matter")]

    def __str__(self) -> str:
        return self.name


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
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class SubmissionVersion(models.Model):
    """Each version of a submission's draft is kept."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    body = models.TextField()
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
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16)  # submit, approve, return, forward, withdraw, resubmit
    comment = models.TextField(blank=True)
    forwarded_to = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id}"


class SearchEntry(models.Model):
    """One searchable record (incoming or outgoing): the folded text and the filter columns.

    Text is folded with lib.vntext.fold before it is stored and before a query is run, so
    "quyet dinh" finds "Quyết định" (and đ → d) on SQLite and PostgreSQL alike.
    """

    kind = models.CharField(max_length=10)  # incoming, outgoing
    object_id = models.BigIntegerField()
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    confidentiality = models.PositiveSmallIntegerField(default=0)
    doc_type = models.CharField(max_length=4)
    state = models.CharField(max_length=12)
    urgency = models.PositiveSmallIntegerField(default=0)
    date = models.DateTimeField()  # arrival or issue time, for sorting and date filters
    sender = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    handler = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    number_notation = models.CharField(max_length=100, blank=True)
    subject = models.CharField(max_length=1000)
    folded = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_entry_per_record")]
        indexes = [
            models.Index(fields=["agency", "kind", "date"]),
            models.Index(fields=["agency", "doc_type"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
