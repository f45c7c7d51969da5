"""Uploads of the e-cabinet (meeting materials, ballot drafts): checked by their content, never
their name, capped in size (settings.CABINET["max_upload_bytes"], default 20 MB)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from govoffice.cabinet.models import CabinetFile
from govoffice.directory.models import Clearance, User
from govoffice.lib.errors import DomainError
from govoffice.records.files import ATTACHMENT_TYPES, Upload, sniff
from govoffice.records.models import Incoming, Outgoing
from govoffice.records.permissions import visible_to

DEFAULTS: dict[str, Any] = {"max_upload_bytes": 20 * 1024 * 1024, "reminder_hours": 24}


def conf(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "CABINET", {})}[name]


def check(upload: Upload, field: str = "files") -> str:
    """The content type of an acceptable upload; DomainError for an oversized, empty or disguised one."""
    limit = int(conf("max_upload_bytes"))
    if len(upload.data) > limit:
        raise DomainError("file_too_large", _("%(name)s is larger than the limit of %(limit)s bytes") % {"name": upload.name, "limit": limit},
                          field=field, status=413)
    if not upload.data:
        raise DomainError("empty_file", _("%(name)s is empty") % {"name": upload.name}, field=field)
    ctype = sniff(upload.data)
    if ctype not in ATTACHMENT_TYPES:
        raise DomainError("unsupported_file_type", _("%(name)s is not a PDF, office document, image or text file") % {"name": upload.name},
                          field=field, status=415)
    return ctype


def store(upload: Upload, ctype: str, *, actor: User, **owner: Any) -> CabinetFile:
    row = CabinetFile(name=upload.name[:255], content_type=ctype, size=len(upload.data),
                      sha256=hashlib.sha256(upload.data).hexdigest(), uploaded_by=actor, **owner)
    row.file.save(upload.name[-100:] or "file", ContentFile(upload.data), save=False)
    row.save()
    return row


def registry_document(actor: User, ref: str, field: str = "registry") -> Incoming | Outgoing:
    """A registry document named "incoming:12" or "outgoing:5" that the actor may see and that is not secret.

    Meeting materials reach every member's phone, so secret documents (Mật and above) are not
    shared this way: they go by the confidential channel.
    """
    kind, _sep, pk = ref.partition(":")
    models: dict[str, type[Incoming] | type[Outgoing]] = {"incoming": Incoming, "outgoing": Outgoing}
    model = models.get(kind.strip())
    if model is None or not pk.strip().isdigit():
        raise DomainError("invalid_reference", _("A registry document is named incoming:ID or outgoing:ID, not “%(ref)s”") % {"ref": ref}, field=field)
    doc = model.objects.filter(visible_to(actor), pk=int(pk)).first()
    if doc is None:
        raise DomainError("unknown_document", _("No registry document %(ref)s that you may see") % {"ref": ref}, field=field)
    if doc.confidentiality != Clearance.NONE:
        raise DomainError("secret_document", _("A secret document is not shared as a material; send it by the confidential channel"), field=field)
    return doc
