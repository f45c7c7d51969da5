"""Open311 clients and their API keys.

A key is a directory API key (gok_<prefix>_<secret>, only its SHA-256 kept, ADR 0003), but it
does not act as an agency's system: it belongs to the client's own user, open311+<name>, of
the Government Office, with no role at all. So the key files and follows feedback on
/open311/v2/ and nothing else: every other API operation asks `may`, which refuses a person
without roles. Revoking it is `govoffice apikey revoke PREFIX`.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils.text import slugify

from govoffice.audit.services import record_event
from govoffice.directory.models import ApiKey, User
from govoffice.directory.services import KEY_PREFIX, authenticate_api_key, create_user, get_agency
from govoffice.lib.errors import DomainError
from govoffice.portal.feedback.conf import conf
from govoffice.portal.feedback.models import Open311Client


def issue_open311_key(*, actor: User | None, name: str) -> tuple[Open311Client, str]:
    """A key for the Open311 client `name` (created on first use); the full key is returned once."""
    name = (name or "").strip()
    slug = slugify(name)[:60]
    if not slug:
        raise DomainError("required", "A name for the client (letters or digits) is required", field="name")
    office = get_agency(conf("office_code"))
    with transaction.atomic():
        client = Open311Client.objects.select_related("user").filter(name=name).first()
        if client is None:
            user = create_user(actor=actor, username=f"open311+{slug}", password=None, agency=office, roles=(),
                               full_name=f"Open311: {name}"[:255])
            client = Open311Client.objects.create(name=name, user=user)
        prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        key = ApiKey.objects.create(agency=office, user=client.user, name=f"open311:{name}"[:100], prefix=prefix,
                                    secret_hash=hashlib.sha256(secret.encode("ascii")).hexdigest())
        record_event("feedback.open311_key_issued", actor=actor, obj=key, agency=office.code,
                     data={"client": name, "prefix": prefix})
    return client, f"{KEY_PREFIX}_{prefix}_{secret}"


def client_for_key(raw: str) -> Open311Client | None:
    """The Open311 client a presented key belongs to; None for no key, a wrong or revoked one, or an agency's key."""
    if not raw:
        return None
    key = authenticate_api_key(raw)
    if key is None:
        return None
    return Open311Client.objects.filter(user_id=key.user_id).first()
