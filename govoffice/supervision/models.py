"""Theo dõi nhiệm vụ (Decision 42/2014/QĐ-TTg, amended by 23/2018): the tasks the Government,
the Prime Minister and the deputies assign, the agencies' progress reports, extension
requests with the history of deadlines, the working group's inspections, and saved reports
of the overdue rate (each naming the definition it used)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govoffice.directory.models import Agency, User


class Assigner(models.TextChoices):
    GOVERNMENT = "government", _("The Government")
    PRIME_MINISTER = "prime_minister", _("The Prime Minister")
    DEPUTY_PRIME_MINISTER = "deputy_prime_minister", _("A Deputy Prime Minister")


class Importance(models.IntegerChoices):
    NORMAL = 0, _("Normal")
    IMPORTANT = 1, _("Important")
    KEY = 2, _("Key task")


class Source(models.TextChoices):
    DOCUMENT = "document", _("Issued document")
    MEETING = "meeting", _("Meeting conclusion")
    INSPECTION = "inspection", _("Inspection finding")


class Status(models.TextChoices):
    """Derived for a given date (selectors.status_on); never stored."""

    COMPLETED_ON_TIME = "completed_on_time", _("Completed on time")
    COMPLETED_LATE = "completed_late", _("Completed late")
    UNFINISHED_IN_TERM = "unfinished_in_term", _("Unfinished, within term")
    UNFINISHED_OVERDUE = "unfinished_overdue", _("Unfinished, overdue")
    NO_DEADLINE = "no_deadline", _("Unfinished, no deadline")


class CodeCounter(models.Model):
    """The last number given in a series ("NV-2019", "DKT-2019"): codes in order, never reused."""

    key = models.CharField(max_length=16, primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.last_number}"


class Task(models.Model):
    """One assigned task: who assigned it, to which lead agency, by when, from what source."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    content = models.TextField(_("content"))
    assigner = models.CharField(_("assigned by"), max_length=24, choices=Assigner.choices)
    assigner_name = models.CharField(_("name of the assigner"), max_length=255, blank=True)  # which deputy
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="lead_tasks")
    coordinating_agencies = models.ManyToManyField(Agency, blank=True, related_name="coordinated_tasks")
    assigned_on = models.DateField(_("assigned on"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)  # the one in force now
    importance = models.PositiveSmallIntegerField(_("importance"), choices=Importance.choices, default=Importance.NORMAL)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    source_document = models.ForeignKey(
        "records.Outgoing", null=True, blank=True, on_delete=models.PROTECT, related_name="supervised_tasks"
    )
    source_ref = models.CharField(_("source reference"), max_length=255, blank=True)  # notation, meeting item
    finding = models.ForeignKey("Finding", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_progress_at = models.DateTimeField(null=True, blank=True)
    reminded_for = models.DateField(null=True, blank=True)  # the deadline a reminder was sent for
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # A machine's retry (API Idempotency-Key) or a signal sent twice finds the first task.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001  (NULL = none)

    class Meta:
        ordering = ["-assigned_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], condition=Q(idempotency_key__isnull=False),
                                    name="one_task_per_idempotency_key"),
        ]
        indexes = [
            models.Index(fields=["assigned_on", "lead_agency"], name="task_assigned_agency"),
            models.Index(fields=["lead_agency", "completed_on"], name="task_agency_completed"),
            models.Index(fields=["completed_on", "deadline"], name="task_completed_deadline"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def closed(self) -> bool:
        return self.completed_on is not None


class Channel(models.TextChoices):
    PAGE = "page", _("Page")
    API = "api", _("API")
    HUB = "hub", _("Hub status")


class ProgressReport(models.Model):
    """What the lead agency reported, how, when; the one that completes the task says so."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=4, choices=Channel.choices)
    note = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    completes = models.BooleanField(default=False)
    at = models.DateTimeField()
    hub_message_id = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "idempotency_key"], condition=Q(idempotency_key__isnull=False),
                                    name="one_report_per_idempotency_key"),
        ]

    def __str__(self) -> str:
        return f"report on {self.task_id}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Extension(models.Model):
    """A lead agency's request for a later deadline, and the office's decision on it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    current_deadline = models.DateField()
    requested_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    state = models.CharField(max_length=8, choices=ExtensionState.choices, default=ExtensionState.PENDING)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task"], condition=Q(state="pending"), name="one_pending_extension_per_task"),
        ]

    def __str__(self) -> str:
        return f"extension of {self.task_id} to {self.requested_deadline}"


class DeadlineChange(models.Model):
    """Every change of a task's deadline: the deadline in force on any day is derived from these."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="deadline_changes")
    old_deadline = models.DateField()
    new_deadline = models.DateField()
    effective_on = models.DateField()
    extension = models.ForeignKey(Extension, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    changed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["task", "effective_on"], name="deadline_change_task_day")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.old_deadline} → {self.new_deadline}"


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    COMPLETED = "completed", _("Carried out")
    CANCELLED = "cancelled", _("Cancelled")


class Inspection(models.Model):
    """A visit of the Prime Minister's working group to ministries and provinces."""

    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=500)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    state = models.CharField(max_length=10, choices=InspectionState.choices, default=InspectionState.PLANNED)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["state", "starts_on"], name="inspection_state_start")]

    def __str__(self) -> str:
        return self.title


class InspectionMember(models.Model):
    """A member of the working group (a person of the directory or named by hand)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(max_length=255)
    position = models.CharField(max_length=255, blank=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.full_name


class InspectionTarget(models.Model):
    """An agency the group inspects, on which day(s)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="targets")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="inspections")
    visit_on = models.DateField()

    class Meta:
        ordering = ["visit_on", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "agency"], name="one_target_per_inspection_agency")]

    def __str__(self) -> str:
        return f"{self.inspection_id} → {self.agency_id}"


class Finding(models.Model):
    """What the group found at an agency; its recommendations are tasks (Task.finding)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("finding"))
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.summary[:80]


class RateReport(models.Model):
    """A saved overdue-rate report: its scope, counts, result and the definition it used."""

    definition = models.CharField(max_length=64)  # name@version
    date_from = models.DateField()
    date_to = models.DateField()
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assigner = models.CharField(max_length=24, blank=True)
    counts = models.JSONField()
    rate = models.FloatField(null=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.definition} {self.date_from}–{self.date_to}: {self.rate}"
