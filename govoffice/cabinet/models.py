"""Government meetings (phiên họp) and written ballots of government members (phiếu lấy ý kiến).

A meeting has attendees (members and invited guests), agenda items with their materials, the
members' positions before it, attendance, notes and a conclusion per item after it. A ballot
has questions, drafts, a deadline, its options and rules; each member's answer is a signed
revision (every change is a new row, the newest is current).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govoffice.directory.models import Agency, User


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular session")
    THEMATIC = "thematic", _("Thematic session")


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CLOSED = "closed", _("Held and closed")


class Attendance(models.TextChoices):
    UNKNOWN = "", _("Not recorded")
    PRESENT = "present", _("Present")
    REMOTE = "remote", _("Remote")
    ABSENT = "absent", _("Absent")


class Position(models.TextChoices):
    NO_OBJECTION = "no_objection", _("No objection")
    OBJECTION = "objection", _("Objection")
    WISH_TO_SPEAK = "wish_to_speak", _("Wish to speak")


class Meeting(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    title = models.CharField(_("title"), max_length=500)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=255)
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=MeetingState.choices, default=MeetingState.PLANNED)
    minutes = models.ForeignKey("records.Outgoing", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    notice = models.ForeignKey("records.Outgoing", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001  (NULL: no key, never unique-clashing)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["created_by", "idempotency_key"], name="cabinet_meeting_idempotency")]

    def __str__(self) -> str:
        return self.title


class Attendee(models.Model):
    """A member (user set) or an invited guest (name and title only)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="cabinet_attendances")
    guest_name = models.CharField(max_length=255, blank=True)
    guest_title = models.CharField(max_length=255, blank=True)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, blank=True, default=Attendance.UNKNOWN)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="cabinet_one_attendee_per_user")]

    def __str__(self) -> str:
        return self.name()

    @property
    def is_member(self) -> bool:
        return self.user_id is not None

    def name(self) -> str:
        if self.user is not None:
            return self.user.full_name or self.user.username
        return self.guest_name


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("title"), max_length=500)
    presenting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    starts = models.TimeField(_("from"), null=True, blank=True)
    ends = models.TimeField(_("to"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    # Tasks in the conclusion: [{content, lead_agency_code, coordinating_agency_codes, deadline}]
    tasks = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class CabinetFile(models.Model):
    """An uploaded material or draft, checked by content and capped in size."""

    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="uploads")
    ballot = models.ForeignKey("Ballot", null=True, blank=True, on_delete=models.CASCADE, related_name="uploads")
    file = models.FileField(upload_to="cabinet/%Y/%m/")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name



class RegistryMaterial(models.Model):
    """A document of the registry (records) attached to an agenda item or a ballot."""

    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="registry_materials")
    ballot = models.ForeignKey("Ballot", null=True, blank=True, on_delete=models.CASCADE, related_name="registry_materials")
    incoming = models.ForeignKey("records.Incoming", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outgoing = models.ForeignKey("records.Outgoing", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.incoming_id or self.outgoing_id}"

    @property
    def document(self) -> object:
        return self.incoming or self.outgoing



class ItemPosition(models.Model):
    """A member's position on an agenda item before the meeting."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="positions")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=16, choices=Position.choices)
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="cabinet_one_position_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.position}"



class BallotState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


class NonAnswer(models.TextChoices):
    """How a member who did not answer in time counts."""

    NOT_FOR = "not_for", _("Counts as not agreeing")
    CONSENT = "consent", _("Counts as agreeing")
    EXCLUDED = "excluded", _("Left out of the count")


class Ballot(models.Model):
    title = models.CharField(_("matter"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    # [{"code": "agree", "label": "Đồng ý", "counts_as": "for"|"against"|"neither"}]
    options = models.JSONField(default=list)
    allow_change = models.BooleanField(_("answers may be changed until the deadline"), default=True)
    close_when_all_answered = models.BooleanField(default=True)
    non_answer = models.CharField(max_length=10, choices=NonAnswer.choices, default=NonAnswer.NOT_FOR)
    prime_minister = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=BallotState.choices, default=BallotState.DRAFT, db_index=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    result = models.JSONField(default=dict, blank=True)
    decision = models.ForeignKey("records.Outgoing", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001  (NULL: no key, never unique-clashing)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["created_by", "idempotency_key"], name="cabinet_ballot_idempotency")]

    def __str__(self) -> str:
        return self.title

    def option_codes(self) -> list[str]:
        return [o["code"] for o in self.options]

    def option_label(self, code: str) -> str:
        return next((str(o["label"]) for o in self.options if o["code"] == code), code)


class Question(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.TextField()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:80]



class BallotMember(models.Model):
    """A member asked to answer: notified, reminded, answered or flagged late."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="cabinet_ballots")
    notified_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["ballot", "member"], name="cabinet_one_seat_per_member")]
        indexes = [models.Index(fields=["member", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.ballot_id}/{self.member_id}"



class Answer(models.Model):
    """One signed revision of a member's answer; the highest revision is the current one."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveSmallIntegerField(default=1)
    current = models.BooleanField(default=True)
    # {"<question id>": {"option": "agree", "comment": "…"}}
    choices = models.JSONField(default=dict)
    payload = models.TextField()  # the canonical JSON that was signed, byte for byte (UTF-8)
    signature = models.TextField()  # base64
    certificate = models.ForeignKey("signing.Certificate", on_delete=models.PROTECT, related_name="+")
    signed_by_server = models.BooleanField(default=True)
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["ballot", "member", "revision"]
        constraints = [models.UniqueConstraint(fields=["ballot", "member", "revision"], name="cabinet_one_answer_revision")]
        indexes = [models.Index(fields=["ballot", "current"])]

    def __str__(self) -> str:
        return f"{self.ballot_id}/{self.member_id} r{self.revision}"

