"""Receiving feedback: from the portal's form, the API or an Open311 client."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govoffice.audit.services import record_event
from govoffice.directory.models import Agency, User
from govoffice.lib.errors import DomainError
from govoffice.lib.vntext import fold
from govoffice.portal.feedback import codes
from govoffice.portal.feedback.conf import conf
from govoffice.portal.feedback.files import Upload, check_uploads, store
from govoffice.portal.feedback.models import Feedback, Open311Client, Source, State, Topic, Via
from govoffice.portal.feedback.notices import notify_submitter
from govoffice.portal.feedback.services.common import move

PHONE = re.compile(r"^\+?[0-9][0-9 .\-]{7,18}[0-9]$")
TAX_CODE = re.compile(r"^[0-9]{10}(-[0-9]{3})?$")


@dataclass
class NewFeedback:
    source: str
    name: str
    subject: str
    content: str
    email: str = ""
    phone: str = ""
    agency_code: str = ""
    topic: str = Topic.REGULATION
    address: str = ""
    organisation: str = ""
    tax_code: str = ""
    lat: float | None = None
    long: float | None = None
    files: list[Upload] = field(default_factory=list)


def _required(value: str, name: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("required", _("%(label)s is required") % {"label": label}, field=name)
    if len(value) > limit:
        raise DomainError("too_long", _("%(label)s is at most %(n)s characters") % {"label": label, "n": limit}, field=name)
    return value


def check(new: NewFeedback) -> tuple[Agency | None, list[str]]:
    """Every rule on the input, before anything is written; DomainError names the field."""
    if new.source not in Source.values:
        raise DomainError("invalid_choice", _("Say whether you write as a citizen or a business"), field="source")
    if new.topic not in Topic.values:
        raise DomainError("invalid_choice", _("Unknown topic %(topic)s") % {"topic": new.topic}, field="topic")
    new.name = _required(new.name, "name", _("Your name"), 200)
    new.email, new.phone = (new.email or "").strip(), (new.phone or "").strip()
    if not new.email and not new.phone:
        raise DomainError("required", _("Give an e-mail address or a phone number so that we can answer you"), field="email")
    if new.email:
        try:
            validate_email(new.email)
        except ValidationError as exc:
            raise DomainError("invalid_email", _("%(value)s is not an e-mail address") % {"value": new.email}, field="email") from exc
    if new.phone and not PHONE.match(new.phone):
        raise DomainError("invalid_phone", _("%(value)s is not a phone number") % {"value": new.phone}, field="phone")
    new.subject = _required(new.subject, "subject", _("The subject"), 300)
    new.content = _required(new.content, "content", _("The content"), int(conf("max_content_chars")))
    new.tax_code = (new.tax_code or "").strip()
    if new.tax_code and not TAX_CODE.match(new.tax_code):
        raise DomainError("invalid_tax_code", _("A tax code has 10 digits, or 10 digits, a dash and 3 more"), field="tax_code")
    if new.lat is not None and not -90 <= new.lat <= 90:
        raise DomainError("invalid_location", _("The latitude is between -90 and 90"), field="lat")
    if new.long is not None and not -180 <= new.long <= 180:
        raise DomainError("invalid_location", _("The longitude is between -180 and 180"), field="long")
    agency = None
    if (new.agency_code or "").strip():
        agency = Agency.objects.filter(code=new.agency_code.strip(), active=True).first()
        if agency is None:
            raise DomainError("unknown_agency", _("No agency in the directory has the code %(code)s") % {"code": new.agency_code.strip()},
                              field="agency")
    types = check_uploads(new.files)
    return agency, types


def submit_feedback(
    *,
    new: NewFeedback,
    account: User | None = None,
    via: str = Via.WEB,
    client: Open311Client | None = None,
    idempotency_key: str | None = None,
) -> tuple[Feedback, bool]:
    """File a piece of feedback: checked, stored with its files, a receipt code, the submitter told.

    Returns (row, created); a retry with the same client and Idempotency-Key returns the first row.
    """
    if idempotency_key:
        earlier = Feedback.objects.filter(client=client, idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier, False
    agency, types = check(new)
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                row = Feedback(
                    code=codes.new_code(timezone.localdate(now).year), source=new.source, topic=new.topic, via=via,
                    name=new.name, email=new.email, phone=new.phone, address=new.address.strip()[:300],
                    organisation=new.organisation.strip()[:300], tax_code=new.tax_code,
                    account=account if account is not None and account.is_authenticated else None,
                    subject=new.subject, content=new.content, agency=agency, lat=new.lat, long=new.long,
                    search_text=fold(f"{new.subject} {new.content}"), received_at=now, updated_at=now,
                    state=State.RECEIVED, client=client, idempotency_key=idempotency_key or None,
                )
                if via == Via.OPEN311:
                    row.open311_token = codes.new_token()
                row.save()
                move(row, State.RECEIVED, at=now)
                for upload, ctype in zip(new.files, types, strict=True):
                    store(row, upload, ctype)
                record_event(
                    "feedback.received", actor=account if account is not None and account.is_authenticated else None,
                    obj=row, data={"code": row.code, "source": row.source, "via": via, "files": len(types),
                                   "agency": agency.code if agency else None, "client": client.name if client else None},
                )
                notify_submitter(row, step=State.RECEIVED)
            return row, True
        except IntegrityError:
            if idempotency_key:
                earlier = Feedback.objects.filter(client=client, idempotency_key=idempotency_key).first()
                if earlier is not None:
                    return earlier, False
            if Feedback.objects.filter(code=row.code).exists():
                continue  # a receipt code drawn twice: draw again
            raise
    raise DomainError("receipt_code_exhausted", "No free receipt code could be drawn", status=503)
