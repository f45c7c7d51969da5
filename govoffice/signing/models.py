"""Certificates the platform knows (those it issued from its own CA and those agencies brought)
and the signing keys it keeps for the office's own signers."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from govoffice.directory.models import Agency, User


class Certificate(models.Model):
    """An X.509 certificate bound to one agency. A hub member's key is never kept; see SignerKey."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="certificates")
    serial = models.CharField(max_length=64)
    subject = models.CharField(max_length=500)
    issuer = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64, unique=True)  # SHA-256 of the DER, hex
    pem = models.TextField()
    not_before = models.DateTimeField()
    not_after = models.DateTimeField(db_index=True)
    issued_by_platform = models.BooleanField(default=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-not_before"]
        indexes = [models.Index(fields=["agency", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.subject} ({self.fingerprint[:12]}…)"

    def is_current(self, at: object = None) -> bool:
        now = at or timezone.now()
        return self.revoked_at is None and self.not_before <= now <= self.not_after  # type: ignore[operator]


class SignerKey(models.Model):
    """A person's signing key and certificate (issued by the platform CA) for issued PDFs.

    The platform keeps the key for its leaders (they sign by approving in govoffice, no USB
    token): the PKCS#8 key is encrypted at rest with Fernet under a key derived from
    SECRET_KEY by HKDF (signing.people), so a database dump alone does not reveal it.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="signer_keys")
    certificate = models.OneToOneField(Certificate, on_delete=models.PROTECT, related_name="signer_key")
    encrypted_key = models.TextField()  # a Fernet token of the PEM private key
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"signing key of {self.user_id} ({self.certificate.fingerprint[:12]}…)"
