"""Citizen and business accounts: sign-up with a confirmation link, then the account is active."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govoffice.audit.services import record_event
from govoffice.directory.models import Role, User
from govoffice.directory.services import create_user
from govoffice.lib.errors import DomainError
from govoffice.notify.models import Notice
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


# A second warning to the same account within this time is not sent (someone repeating sign-ups).
AGAIN_NOTICE_GAP = dt.timedelta(hours=1)


def _warn_owner(owner: User, matched: str, base_url: str) -> None:
    """Tell an account's owner, at the account's own address, that someone signed up with its details.

    An account not yet confirmed gets its confirmation link again instead (its owner may simply
    have lost the first one). Once an hour at most, so that repeated tries do not flood anyone.
    """
    unconfirmed = not owner.is_active and PortalAccount.objects.filter(user=owner, confirmed_at__isnull=True).exists()
    kind = "portal.confirm" if unconfirmed else "portal.signup_again"
    if Notice.objects.filter(user=owner, kind=kind, created_at__gte=timezone.now() - AGAIN_NOTICE_GAP).exists():
        return
    record_event("portal.account_sign_up_again", obj=owner, data={"matched": matched})
    if unconfirmed:
        _send_confirmation(owner, base_url)
        return
    send_notice(
        to=owner, kind="portal.signup_again", ref=owner.username,
        subject=_("Someone tried to sign up with your details on the public service portal"),
        body=_("Someone tried to create an account on the public service portal with your identity number, tax code "
               "or e-mail address. No account was created and yours is unchanged.\n\nIf it was you, sign in, or set a "
               "new password here:\n%(url)s\n\nIf it was not you, you need do nothing.")
             % {"url": base_url + reverse("portal:password_reset")},
    )


def _send_confirmation(user: User, base_url: str) -> None:
    hours = conf.get("confirm_link_hours")
    send_notice(
        to=user, kind="portal.confirm", ref=user.username,
        subject=_("Confirm your account on the public service portal"),
        body=_("Open this link within %(hours)s hours to activate your account:\n%(url)s\n\n"
               "If you did not sign up, ignore this message.") % {"hours": hours, "url": confirm_url(user, base_url)},
    )


@transaction.atomic
def sign_up(data: SignUp, *, base_url: str = "") -> str:
    """Create an inactive citizen or business account and e-mail its confirmation link; the account's username.

    A number or an e-mail address that already has an account gets the same answer as a new
    one, so that nobody can learn from it whose numbers are registered: no account is created,
    and the existing account's owner is told by e-mail instead.
    """
    number = _number(data.kind, data.number)
    name, email = data.name.strip(), data.email.strip().lower()
    if not name:
        raise DomainError("required", _("Your name is required"), field="name", status=422)
    if not email or "@" not in email:
        raise DomainError("required", _("An e-mail address is required for the confirmation link"), field="email", status=422)
    try:  # before the look for an existing account: a weak password must be refused either way
        validate_password(data.password, User(username=number, full_name=name, email=email))
    except ValidationError as exc:
        raise DomainError("weak_password", " ".join(exc.messages), field="password") from exc
    _forget_stale(number, email)
    owner = User.objects.filter(models.Q(portal_account__number=number) | models.Q(username__iexact=number)).first()
    matched = "number"
    if owner is None:
        owner = User.objects.filter(email__iexact=email, portal_account__isnull=False).first()
        matched = "email"
    if owner is not None:
        # The new account's password would be hashed (Argon2, ~0.1 s): hash this one too and drop
        # it, so that the answer's time does not tell a registered number from a free one.
        make_password(data.password)
        _warn_owner(owner, matched, base_url)
        return number
    role = Role.CITIZEN if data.kind == AccountKind.CITIZEN else Role.BUSINESS
    user = create_user(actor=None, username=number, password=data.password, agency=None, roles=[role],
                       full_name=name, email=email)
    user.is_active = False
    user.phone = data.phone.strip()[:32]
    user.save(update_fields=["is_active", "phone"])
    account = PortalAccount.objects.create(user=user, kind=data.kind, number=number, display_name=name, phone=data.phone.strip()[:20])
    record_event("portal.account_signed_up", actor=user, obj=account, data={"kind": data.kind})
    _send_confirmation(user, base_url)
    return user.username


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
