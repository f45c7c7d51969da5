"""Signing keys of the office's own people: issued by the platform CA, kept encrypted at rest.

A leader signs an issued document by approving it in govoffice; the platform holds the key
for them. The PKCS#8 key is encrypted with Fernet under a key derived from SECRET_KEY by
HKDF-SHA256; SECRET_KEY_FALLBACKS still decrypt keys made before a rotation (MultiFernet), so
rotating SECRET_KEY means: put the old one in the fallbacks, re-encrypt (`reencrypt_all`).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govoffice.audit.services import record_event
from govoffice.directory.models import User
from govoffice.lib import pki
from govoffice.lib.errors import Conflict, DomainError
from govoffice.signing.models import Certificate, SignerKey
from govoffice.signing.services import _ca_key, _store, platform_ca

HKDF_SALT = b"govoffice signer keys"
HKDF_INFO = b"signer-key-encryption:v1"


def _fernet(secret: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=HKDF_SALT, info=HKDF_INFO).derive(secret.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def _box() -> MultiFernet:
    """Encrypt with SECRET_KEY; decrypt with it or any of SECRET_KEY_FALLBACKS."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(s) for s in secrets])


def encrypt_key(pem: bytes) -> str:
    return _box().encrypt(pem).decode("ascii")


def decrypt_key(token: str) -> bytes:
    try:
        return _box().decrypt(token.encode("ascii"))
    except InvalidToken as exc:
        raise DomainError(
            "signing_key_unreadable", _("The signing key cannot be decrypted with this SECRET_KEY"), status=500
        ) from exc


@dataclass(frozen=True)
class SignerIdentity:
    row: SignerKey
    key: pki.SigningKey
    cert: x509.Certificate
    ca_cert: x509.Certificate


def current_key(user: User) -> SignerKey | None:
    """The person's newest signing key whose certificate is valid now and not revoked."""
    now = timezone.now()
    return (
        SignerKey.objects.select_related("certificate")
        .filter(user=user, certificate__revoked_at__isnull=True, certificate__not_before__lte=now, certificate__not_after__gte=now)
        .first()
    )


def signer_identity(user: User) -> SignerIdentity:
    """The key and certificate `user` signs with now; Conflict when they have none."""
    row = current_key(user)
    if row is None:
        raise Conflict(
            "no_signing_key",
            _("%(name)s has no current signing certificate (an operator issues one with `govoffice signer issue %(username)s`)")
            % {"name": user.full_name or user.username, "username": user.username},
        )
    key = pki.load_key(decrypt_key(row.encrypted_key))
    return SignerIdentity(row, key, pki.load_cert(row.certificate.pem.encode("ascii")), platform_ca().cert)


@transaction.atomic
def issue_signer_key(*, actor: User | None, user: User, days: int = 730) -> SignerKey:
    """A new key and certificate for a person of an agency; their earlier keys are revoked (superseded)."""
    if user.agency_id is None:
        raise DomainError("no_agency", _("Only a person of an agency gets a signing certificate"), field="username")
    if not user.is_active:
        raise DomainError("inactive_user", _("This person's account is not active"), field="username")
    if not 1 <= days <= 3650:
        raise DomainError("invalid_validity", _("A certificate is valid for 1 to 3650 days"), field="days")
    agency = user.agency
    assert agency is not None
    for old in SignerKey.objects.select_related("certificate").filter(user=user, certificate__revoked_at__isnull=True):
        Certificate.objects.filter(pk=old.certificate_id).update(revoked_at=timezone.now(), revocation_reason="superseded")
        record_event("signing.signer_key_revoked", actor=actor, obj=old.certificate, agency=agency.code,
                     data={"user": user.username, "reason": "superseded"})
    key = pki.new_key()
    name = user.full_name or user.username
    cert = pki.issue(_ca_key(), platform_ca().cert, key.public_key(), name, agency.code, days=days)
    certificate = _store(agency, cert, by_platform=True)
    row = SignerKey.objects.create(user=user, certificate=certificate, encrypted_key=encrypt_key(pki.key_pem(key)))
    record_event(
        "signing.signer_key_issued", actor=actor, obj=row, agency=agency.code,
        data={"user": user.username, "fingerprint": certificate.fingerprint, "not_after": certificate.not_after.isoformat()},
    )
    return row


@transaction.atomic
def revoke_signer_keys(*, actor: User | None, user: User, reason: str = "") -> int:
    """Revoke every current signing certificate of a person; returns how many."""
    rows = list(SignerKey.objects.select_related("certificate").filter(user=user, certificate__revoked_at__isnull=True))
    for row in rows:
        Certificate.objects.filter(pk=row.certificate_id).update(revoked_at=timezone.now(), revocation_reason=reason[:200] or "revoked")
        record_event("signing.signer_key_revoked", actor=actor, obj=row.certificate, agency=row.certificate.agency.code,
                     data={"user": user.username, "reason": reason[:200]})
    return len(rows)


@transaction.atomic
def reencrypt_all(*, actor: User | None = None) -> int:
    """Re-encrypt every kept key under the current SECRET_KEY (after a rotation); returns the count."""
    box = _box()
    count = 0
    for row in SignerKey.objects.select_for_update().order_by("pk"):
        SignerKey.objects.filter(pk=row.pk).update(encrypted_key=box.rotate(row.encrypted_key.encode("ascii")).decode("ascii"))
        count += 1
    record_event("signing.signer_keys_reencrypted", actor=actor, object_type="signing.signerkey", data={"count": count})
    return count
