"""Agencies (with their organisation codes), people, their roles, and API keys for machines."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    MINISTERIAL_AGENCY = "ministerial_agency", _("Ministerial-level agency")
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    PROVINCE = "province", _("Province or centrally-run city")
    CENTRAL_BODY = "central_body", _("Other central body")
    UNIT = "unit", _("Unit")


class Agency(models.Model):
    """A body in the directory: a ministry, a province, or a unit inside one."""

    code = models.CharField(_("organisation code"), max_length=13, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # True when a public source gives the code; False for codes this project assigned for now.
    code_official = models.BooleanField(_("official code"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return f"{self.name_vi} ({self.code})"

    def display_name(self, language: str = "vi") -> str:
        return self.name_en if language == "en" and self.name_en else self.name_vi


class Role(models.TextChoices):
    CLERK = "clerk", _("Clerk")
    SPECIALIST = "specialist", _("Specialist")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    OFFICE_LEADER = "office_leader", _("Office leader")
    GOVERNMENT_LEADER = "government_leader", _("Government leader")
    GOVERNMENT_MEMBER = "government_member", _("Government member")
    AGENCY_SYSTEM = "agency_system", _("Agency system")
    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business")
    CABINET_STAFF = "cabinet_staff", _("Cabinet secretariat")
    PORTAL_OFFICER = "portal_officer", _("Portal officer")
    SUPERVISION_OFFICER = "supervision_officer", _("Supervision officer")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


class Clearance(models.IntegerChoices):
    """How secret a document a person may see (Decree 30: Mật, Tối mật, Tuyệt mật)."""

    NONE = 0, _("None")
    MAT = 1, "Mật"
    TOI_MAT = 2, "Tối mật"
    TUYET_MAT = 3, "Tuyệt mật"


class User(AbstractUser):
    """A person (or a machine account) who uses govoffice, belonging to one agency and unit."""

    full_name = models.CharField(_("full name"), max_length=255, blank=True)
    position = models.CharField(_("position"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    unit = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="unit_members"
    )
    clearance = models.PositiveSmallIntegerField(
        _("clearance"), choices=Clearance.choices, default=Clearance.NONE
    )
    language = models.CharField(_("language"), max_length=8, default="vi")

    objects: UserManager[User] = UserManager()  # type: ignore[assignment,misc]

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def role_set(self) -> frozenset[str]:
        """The person's roles, read once per request object."""
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True)) if self.pk else frozenset()
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))


class RoleGrant(models.Model):
    """One role held by one person; a person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.role}"


class ApiKey(models.Model):
    """A key for an agency's software. Only a SHA-256 of the secret is kept; shown once."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="api_keys")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
