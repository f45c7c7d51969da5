"""The platform's CA and the hub's own identity; issuing, registering and revoking certificates."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from govoffice.audit.services import record_event
from govoffice.directory.models import Agency, User
from govoffice.lib import pki
from govoffice.lib.errors import Conflict, DomainError
from govoffice.signing.models import Certificate

PLATFORM_CA_NAME = "govoffice platform CA"
HUB_CODE = "000.00.00.G22"  # the hub is run by the Government Office


@dataclass(frozen=True)
class Identity:
    key: pki.SigningKey
    cert: x509.Certificate

    @property
    def key_pem(self) -> bytes:
        return pki.key_pem(self.key)

    @property
    def cert_pem(self) -> bytes:
        return pki.cert_pem(self.cert)


def _keys_dir() -> Path:
    path = Path(settings.DATA_DIR) / "keys"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _load_or_create(name: str, create: object) -> Identity:
    """Read key and certificate files; create them once, under a lock shared by all processes."""
    folder = _keys_dir()
    key_path, cert_path = folder / f"{name}.key", folder / f"{name}.pem"
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not key_path.exists():
            key, cert = create()  # type: ignore[operator]
            _write_private(key_path, pki.key_pem(key))
            cert_path.write_bytes(pki.cert_pem(cert))
    return Identity(pki.load_key(key_path.read_bytes()), pki.load_cert(cert_path.read_bytes()))


def _ca_key() -> rsa.RSAPrivateKey:
    key = platform_ca().key
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("the platform CA key must be RSA")
    return key


@cache
def platform_ca() -> Identity:
    """The platform's own certificate authority (kept in the data folder's keys/)."""
    return _load_or_create("ca", lambda: pki.make_ca(PLATFORM_CA_NAME))


@cache
def hub_identity() -> Identity:
    """The key and certificate the hub signs its receipts with, issued by the platform CA."""

    def create() -> tuple[pki.SigningKey, x509.Certificate]:
        ca = platform_ca()
        key = pki.new_receipt_key()
        return key, pki.issue(_ca_key(), ca.cert, key.public_key(), "govoffice hub", HUB_CODE, days=3650)

    return _load_or_create("hub", create)


@cache
def trusted_cas() -> tuple[x509.Certificate, ...]:
    """The platform CA plus any CA certificates the operator configured."""
    extra = []
    for path in settings.TRUSTED_CA_FILES:
        extra.extend(x509.load_pem_x509_certificates(Path(path).read_bytes()))
    return (platform_ca().cert, *extra)


def _store(agency: Agency, cert: x509.Certificate, *, by_platform: bool) -> Certificate:
    return Certificate.objects.create(
        agency=agency,
        serial=format(cert.serial_number, "x"),
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        fingerprint=pki.fingerprint(cert),
        pem=pki.cert_pem(cert).decode("ascii"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        issued_by_platform=by_platform,
    )


@transaction.atomic
def issue_certificate(*, actor: User | None, agency: Agency, days: int = 730) -> tuple[Certificate, bytes]:
    """A new key pair and certificate for an agency; returns the row and the private key (PEM), never stored."""
    if not 1 <= days <= 3650:
        raise DomainError("invalid_validity", "A certificate is valid for 1 to 3650 days", field="days")
    ca = platform_ca()
    key = pki.new_key()
    cert = pki.issue(_ca_key(), ca.cert, key.public_key(), agency.name_vi, agency.code, days=days)
    row = _store(agency, cert, by_platform=True)
    record_event("certificate.issued", actor=actor, obj=row, agency=agency.code, data={"fingerprint": row.fingerprint, "not_after": row.not_after.isoformat()})
    return row, pki.key_pem(key)


@transaction.atomic
def register_certificate(*, actor: User | None, agency: Agency, pem: bytes) -> Certificate:
    """Register a certificate an agency brings; it must chain to a trusted CA and be valid now."""
    try:
        cert = pki.load_cert(pem)
    except ValueError as exc:
        raise DomainError("invalid_certificate", "This is not a PEM X.509 certificate", field="certificate") from exc
    if not any(pki.issued_by(cert, ca) for ca in trusted_cas()):
        raise DomainError("untrusted_certificate", "The certificate is not issued by a trusted CA", field="certificate")
    now = timezone.now()
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise DomainError("certificate_expired", "The certificate is not valid now", field="certificate")
    if Certificate.objects.filter(fingerprint=pki.fingerprint(cert)).exists():
        raise Conflict("duplicate_certificate", "This certificate is already registered", field="certificate")
    row = _store(agency, cert, by_platform=False)
    record_event("certificate.registered", actor=actor, obj=row, agency=agency.code, data={"fingerprint": row.fingerprint})
    return row


@transaction.atomic
def revoke_certificate(*, actor: User | None, certificate: Certificate, reason: str = "") -> Certificate:
    """Revoke a certificate at once: signatures made with it are refused from now on."""
    row = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if row.revoked_at is not None:
        raise Conflict("already_revoked", "This certificate is already revoked")
    row.revoked_at = timezone.now()
    row.revocation_reason = reason[:200]
    row.save(update_fields=["revoked_at", "revocation_reason"])
    record_event("certificate.revoked", actor=actor, obj=row, agency=row.agency.code, data={"reason": reason[:200]})
    return row


def certificate_for(agency: Agency, cert: x509.Certificate) -> Certificate:
    """The registered, current certificate of `agency` matching `cert`; DomainError says why not."""
    row = Certificate.objects.filter(fingerprint=pki.fingerprint(cert)).first()
    if row is None or row.agency_id != agency.pk:
        raise DomainError("unknown_certificate", "The signature was not made with a certificate registered to the sender", status=422)
    if row.revoked_at is not None:
        raise DomainError("certificate_revoked", "The sender's certificate has been revoked", status=422)
    now = timezone.now()
    if now > row.not_after:
        raise DomainError("certificate_expired", "The sender's certificate has expired", status=422)
    if now < row.not_before:
        raise DomainError("certificate_not_yet_valid", "The sender's certificate is not valid yet", status=422)
    return row


def expiring(within_days: int = 30, *, now: dt.datetime | None = None, agencies_only: bool = False) -> list[Certificate]:
    """Current certificates that expire within `within_days`, less those already superseded.

    The rule of the hub's `exchange.selectors.expiring_certificates`: a certificate is superseded
    when a newer one (registered after it, unrevoked, valid now) takes its place, so there is
    nothing left to renew although the old one still verifies until it expires or is revoked.
    Only a certificate of the same kind takes the place: an agency's certificate by a newer
    certificate of that agency (not a person's signing certificate, which shares the agency), a
    person's signing certificate by a newer one of the same person. `agencies_only` leaves
    people's signing certificates out (the hub's members' certificates only).
    """
    now = now or timezone.now()
    current = Q(revoked_at__isnull=True, not_before__lte=now, not_after__gte=now)
    newer_agency_cert = Certificate.objects.filter(
        current, agency=OuterRef("agency"), pk__gt=OuterRef("pk"), signer_key__isnull=True
    )
    newer_signer_cert = Certificate.objects.filter(
        current, signer_key__user=OuterRef("signer_key__user"), pk__gt=OuterRef("pk")
    )
    rows = (
        Certificate.objects.select_related("agency")
        .filter(revoked_at__isnull=True, not_after__gte=now, not_after__lte=now + dt.timedelta(days=within_days))
        .exclude(Exists(newer_agency_cert), signer_key__isnull=True)
        .exclude(Exists(newer_signer_cert), signer_key__isnull=False)
    )
    if agencies_only:
        rows = rows.filter(signer_key__isnull=True)
    return list(rows.order_by("not_after"))
