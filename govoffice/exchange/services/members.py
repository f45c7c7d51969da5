"""Enrolling agencies on the hub and revoking them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from govoffice_agent import edxml

from govoffice.audit.services import record_event
from govoffice.directory.models import Agency, ApiKey, User
from govoffice.directory.services import issue_api_key, revoke_api_key
from govoffice.exchange.models import Delivery, DeliveryState, Member
from govoffice.lib import pki
from govoffice.lib.errors import Conflict, DomainError
from govoffice.signing.models import Certificate
from govoffice.signing.services import issue_certificate, register_certificate, revoke_certificate

# The name of the API key an enrolment issues; enrolling the member again revokes the former ones.
HUB_KEY_NAME = "hub agent"


@dataclass
class Enrolment:
    member: Member
    certificate: Certificate
    private_key_pem: bytes | None  # None when the agency brought its own certificate
    api_key: str


def _check_push_url(push_url: str) -> None:
    """An address the hub can POST to (http or https), as long as the column holds; empty is pull."""
    if not push_url:
        return
    try:
        URLValidator(schemes=["http", "https"])(push_url)
    except ValidationError:
        raise DomainError("invalid_push_url", f"{push_url[:200]!r} is not an http(s) address", field="push_url") from None
    limit = Member._meta.get_field("push_url").max_length or 200
    if len(push_url) > limit:
        raise DomainError("invalid_push_url", f"A push address is at most {limit} characters", field="push_url")


@transaction.atomic
def enroll_member(
    *, actor: User | None, agency: Agency, push_url: str = "", certificate_pem: bytes | None = None, days: int = 730
) -> Enrolment:
    """Make an agency a hub member: a certificate (issued, or its own if it chains to a trusted CA) and an API key."""
    if not agency.active:
        raise DomainError("inactive_agency", f"{agency.code} is not active in the directory")
    _check_push_url(push_url)
    member, created = Member.objects.get_or_create(agency=agency, defaults={"push_url": push_url})
    if not created:
        if member.active:
            raise Conflict("already_member", f"{agency.code} is already a member; revoke it first to enrol again")
        member.active = True
        member.revoked_at = None
        member.push_url = push_url
        member.save(update_fields=["active", "revoked_at", "push_url"])
        _revoke_former_credentials(actor, agency)
    if certificate_pem is not None:
        _check_named_agency(agency, certificate_pem)
        cert = register_certificate(actor=actor, agency=agency, pem=certificate_pem)
        key_pem = None
    else:
        cert, key_pem = issue_certificate(actor=actor, agency=agency, days=days)
    _, raw_key = issue_api_key(actor=actor, agency=agency, name=HUB_KEY_NAME)
    if push_url and not created:
        _requeue_pushes(member)
    record_event("hub.member_enrolled", actor=actor, obj=member, agency=agency.code, data={"push_url": push_url, "certificate": cert.fingerprint})
    return Enrolment(member, cert, key_pem, raw_key)


@dataclass
class Renewal:
    certificate: Certificate
    private_key_pem: bytes
    superseded: list[Certificate]


@transaction.atomic
def renew_certificate(*, actor: User | None, agency: Agency, days: int = 730, revoke_old: bool = False) -> Renewal:
    """A new key pair and certificate for an active member; its current ones become superseded.

    A superseded certificate still verifies until it expires, so messages signed just before
    the renewal (in an agent's queue) are not refused; `revoke_old` revokes it at once instead
    (a key that may have leaked).
    """
    member = Member.objects.select_for_update().filter(agency=agency).first()
    if member is None or not member.active:
        raise Conflict("not_a_member", f"{agency.code} is not an active member")
    now = timezone.now()
    # The agency's own hub certificates only: its people's signing certificates are not renewed here.
    old = list(
        Certificate.objects.filter(agency=agency, revoked_at__isnull=True, not_after__gte=now, signer_key__isnull=True)
        .order_by("not_after")
    )
    cert, key_pem = issue_certificate(actor=actor, agency=agency, days=days)
    if revoke_old:
        for row in old:
            revoke_certificate(actor=actor, certificate=row, reason=f"superseded by {cert.fingerprint[:16]}")
    record_event(
        "hub.certificate_renewed", actor=actor, obj=member, agency=agency.code,
        data={"certificate": cert.fingerprint, "superseded": [c.fingerprint for c in old], "revoked_old": revoke_old},
    )
    return Renewal(cert, key_pem, old)


def _check_named_agency(agency: Agency, pem: bytes) -> None:
    """A certificate that names an organisation code (as the platform's do, in OU) must name this agency."""
    try:
        cert = pki.load_cert(pem)
    except ValueError:
        return  # register_certificate says what is wrong with it
    named = [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)]
    codes = [value for value in named if edxml.ORG_ID.match(value)]
    if codes and agency.code not in codes:
        raise DomainError(
            "certificate_agency_mismatch",
            f"The certificate is made out to {', '.join(codes)}, not to {agency.code}",
            field="certificate",
        )


# How stale Member.last_contact_at may get: a busy agent writes it once a minute, not per call.
CONTACT_EVERY = dt.timedelta(seconds=60)


def note_contact(member: Member) -> None:
    """Note that the member's software (or a clerk) just called the hub, at most once a minute.

    Not an audited state change: a heartbeat, like an API key's last use.
    """
    now = timezone.now()
    if member.last_contact_at is None or now - member.last_contact_at > CONTACT_EVERY:
        Member.objects.filter(pk=member.pk).update(last_contact_at=now)
        member.last_contact_at = now


@transaction.atomic
def revoke_member(*, actor: User | None, agency: Agency, reason: str = "") -> Member:
    """Take an agency off the hub at once: it can no longer send, receive or pull."""
    member = Member.objects.select_for_update().filter(agency=agency).first()
    if member is None or not member.active:
        raise Conflict("not_a_member", f"{agency.code} is not an active member")
    member.active = False
    member.revoked_at = timezone.now()
    member.save(update_fields=["active", "revoked_at"])
    record_event("hub.member_revoked", actor=actor, obj=member, agency=agency.code, data={"reason": reason[:200]})
    return member


def _revoke_former_credentials(actor: User | None, agency: Agency) -> None:
    """Enrolled again, a member gets new credentials, and those of its former enrolments end.

    While it was revoked they were refused as not a member's (403, which says why); a key or a
    certificate that leaked, the usual reason to revoke a member, must not come back to life.
    """
    for key in ApiKey.objects.filter(agency=agency, name=HUB_KEY_NAME, revoked_at__isnull=True):
        revoke_api_key(actor=actor, key=key)
    for cert in Certificate.objects.filter(agency=agency, signer_key__isnull=True, revoked_at__isnull=True):
        revoke_certificate(actor=actor, certificate=cert, reason="member enrolled again")


def _requeue_pushes(member: Member) -> None:
    """Pushing again (a URL set, or enrolled again with one): what waits for the member is pushed
    from the start. A revoked or pulling member's deliveries were set aside (next_push_at NULL)."""
    Delivery.objects.filter(recipient=member.agency, state=DeliveryState.PENDING, next_push_at__isnull=True).update(
        next_push_at=timezone.now(), push_attempts=0
    )


@transaction.atomic
def set_push_url(*, actor: User | None, agency: Agency, push_url: str) -> Member:
    """Choose push delivery (a URL) or pull (empty) for a member."""
    _check_push_url(push_url)
    member = Member.objects.select_for_update().get(agency=agency)
    member.push_url = push_url
    member.save(update_fields=["push_url"])
    if push_url and member.active:
        _requeue_pushes(member)
    record_event("hub.member_push_url", actor=actor, obj=member, agency=agency.code, data={"push_url": push_url})
    return member
