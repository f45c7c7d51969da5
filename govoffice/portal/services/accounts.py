"""Citizen and business accounts: sign-up with a confirmation link, then the account is active."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govoffice.audit.services import record_event
from govoffice.directory.models import Role, User
from govoffice.directory.services import create_user
from govoffice.lib.errors import Conflict, DomainError
from govoffice.notify.services import send_notice
from govoffice.portal import conf
from govoffice.portal.identity import InvalidNumber, check_identity_number, check_tax_code
from govoffice.portal.models import AccountKind, PortalAccount

SALT = "govoffice.portal.confirm"


@dataclass
class SignUp:
    kind: str
    number: str
    name: str
    email: str
    password: str
    phone: str = ""


def _number(kind: str, raw: str) -> str:
    try:
        if kind == AccountKind.CITIZEN:
            return check_identity_number(raw)
        if kind == AccountKind.BUSINESS:
            return check_tax_code(raw)
    except InvalidNumber as exc:
        raise DomainError("invalid_number", _(str(exc)), field="number", status=422) from exc
    raise DomainError("invalid_kind", _("An account is a citizen's or a business's"), field="kind", status=422)


def confirm_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=SALT, compress=True)


def confirm_url(user: User, base: str = "") -> str:
    return base + reverse("portal:confirm", args=[confirm_token(user)])


def _forget_stale(number: str, email: str) -> None:
    # An account never confirmed within the link's life cannot hold a number (or an address)
    # hostage: whoever signs up again with it replaces it.
    stale = timezone.now() - dt.timedelta(hours=conf.get("confirm_link_hours"))
    for account in PortalAccount.objects.filter(confirmed_at__isnull=True, created_at__lt=stale).filter(
            models.Q(number=number) | models.Q(user__email__iexact=email)).select_related("user"):
        record_event("portal.account_expired", obj=account, data={"kind": account.kind})
        user = account.user
        account.delete()
        user.delete()


@transaction.atomic
def sign_up(data: SignUp, *, base_url: str = "") -> User:
    """Create an inactive citizen or business account and e-mail its confirmation link."""
    number = _number(data.kind, data.number)
    name, email = data.name.strip(), data.email.strip().lower()
    if not name:
        raise DomainError("required", _("Your name is required"), field="name", status=422)
    if not email or "@" not in email:
        raise DomainError("required", _("An e-mail address is required for the confirmation link"), field="email", status=422)
    _forget_stale(number, email)
    if PortalAccount.objects.filter(number=number).exists() or User.objects.filter(username__iexact=number).exists():
        raise Conflict("already_registered", _("An account with this number already exists; sign in or reset your password"), field="number")
    if User.objects.filter(email__iexact=email, portal_account__isnull=False).exists():
        raise Conflict("email_taken", _("Another account uses this e-mail address"), field="email")
    role = Role.CITIZEN if data.kind == AccountKind.CITIZEN else Role.BUSINESS
    user = create_user(actor=None, username=number, password=data.password, agency=None, roles=[role],
                       full_name=name, email=email)
    user.is_active = False
    user.phone = data.phone.strip()[:32]
    user.save(update_fields=["is_active", "phone"])
    account = PortalAccount.objects.create(user=user, kind=data.kind, number=number, display_name=name, phone=data.phone.strip()[:20])
    record_event("portal.account_signed_up", actor=user, obj=account, data={"kind": data.kind})
    hours = conf.get("confirm_link_hours")
    send_notice(
        to=user, kind="portal.confirm", ref=number,
        subject=_("Confirm your account on the public service portal"),
        body=_("Open this link within %(hours)s hours to activate your account:\n%(url)s\n\n"
               "If you did not sign up, ignore this message.") % {"hours": hours, "url": confirm_url(user, base_url)},
    )
    return user


@transaction.atomic
def confirm_account(token: str) -> User:
    """Activate the account a confirmation link names; DomainError if it is forged, stale or replaced."""
    try:
        data = signing.loads(token, salt=SALT, max_age=conf.get("confirm_link_hours") * 3600)
    except signing.SignatureExpired as exc:
        raise DomainError("link_expired", _("This confirmation link has expired: sign up again")) from exc
    except signing.BadSignature as exc:
        raise DomainError("bad_link", _("This confirmation link is not valid")) from exc
    user = User.objects.select_for_update().filter(pk=data.get("u")).first()
    account = PortalAccount.objects.filter(user=user).first() if user else None
    if user is None or account is None or user.email != data.get("e"):
        raise DomainError("bad_link", _("This confirmation link is not valid"))
    if account.confirmed_at is None:
        account.confirmed_at = timezone.now()
        account.save(update_fields=["confirmed_at"])
        user.is_active = True
        user.save(update_fields=["is_active"])
        record_event("portal.account_confirmed", actor=user, obj=account, data={"kind": account.kind})
    return user
