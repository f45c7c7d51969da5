"""Files kept with records: checked by their content (never their name), capped in size, stored
through Django's storage API, hashed."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from govoffice.lib.errors import DomainError
from govoffice.records.models import RecordFile

# What a scan or an attachment may be, by content. Office formats arrive as attachments too.
SCAN_TYPES = {"application/pdf", "image/jpeg", "image/png"}
ATTACHMENT_TYPES = SCAN_TYPES | {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/msword",
    "application/zip",
    "application/xml",
    "text/plain",
}


@dataclass
class Upload:
    name: str
    data: bytes


def sniff(data: bytes) -> str:
    """The MIME type the bytes really are (their signature), or "" when unknown."""
    kind = filetype.guess(data)
    if kind is not None:
        return str(kind.mime)
    if data[:5] == b"<?xml":
        return "application/xml"
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return "text/plain"


def check_upload(upload: Upload, allowed: set[str], field: str = "files") -> str:
    """The content type of an acceptable upload; DomainError for a disguised, unknown or oversized one."""
    limit = settings.RECORDS["max_upload_bytes"]
    if len(upload.data) > limit:
        raise DomainError("file_too_large", f"{upload.name} is {len(upload.data)} bytes; the limit is {limit}", field=field, status=413)
    if not upload.data:
        raise DomainError("empty_file", f"{upload.name} is empty", field=field)
    ctype = sniff(upload.data)
    if ctype not in allowed:
        what = ctype or "an unknown format"
        raise DomainError("unsupported_file_type", f"{upload.name} is {what}, which is not accepted here", field=field, status=415)
    return ctype


def store(upload: Upload, ctype: str, *, role: str, **owner: object) -> RecordFile:
    """Save the bytes and their row; call inside the owning change's transaction."""
    row = RecordFile(
        name=upload.name[:255],
        content_type=ctype,
        size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
        role=role,
        ocr_state="pending" if role in ("scan", "attachment") else "",
        **owner,
    )
    row.file.save(upload.name[-100:] or "file", ContentFile(upload.data), save=False)
    row.save()
    return row


def uploads_from_base64(files: Iterable[Any]) -> list[Upload]:
    """The API's files (each a name and content_base64) as uploads; 422 naming the first that is not base64."""
    out = []
    for f in files:
        try:
            data = base64.b64decode(f.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise DomainError("invalid_base64", _("%(name)s: content_base64 is not base64") % {"name": f.name},
                              field="files", status=422) from exc
        out.append(Upload(f.name, data))
    return out
