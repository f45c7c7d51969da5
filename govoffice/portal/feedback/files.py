"""Attachments to feedback: typed by their content with `filetype` (never the name), capped
in number, each and in total, stored through Django's storage API."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import filetype
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from govoffice.lib.errors import DomainError
from govoffice.portal.feedback.conf import conf
from govoffice.portal.feedback.models import Feedback, FeedbackFile


@dataclass
class Upload:
    name: str
    data: bytes


def read_upload(file: UploadedFile, field: str = "attachments") -> Upload:
    """Read an uploaded file, refusing an oversized one before reading it."""
    limit = int(conf("max_file_bytes"))
    name = (file.name or "file")[:255]
    if file.size is not None and file.size > limit:
        raise DomainError("file_too_large", _("%(name)s is larger than %(limit)s bytes") % {"name": name, "limit": limit},
                          field=field, status=413)
    data = file.read(limit + 1)
    return Upload(name, data)


def check_uploads(uploads: list[Upload], field: str = "attachments") -> list[str]:
    """The content type of each upload; DomainError for too many, too large, empty or disguised files."""
    if len(uploads) > int(conf("max_files")):
        raise DomainError("too_many_files", _("At most %(n)s files may be attached") % {"n": conf("max_files")}, field=field)
    limit, total_limit = int(conf("max_file_bytes")), int(conf("max_total_bytes"))
    allowed = set(conf("file_types"))
    types: list[str] = []
    for upload in uploads:
        if len(upload.data) > limit:
            raise DomainError("file_too_large", _("%(name)s is larger than %(limit)s bytes") % {"name": upload.name, "limit": limit},
                              field=field, status=413)
        if not upload.data:
            raise DomainError("empty_file", _("%(name)s is empty") % {"name": upload.name}, field=field)
        kind = filetype.guess(upload.data)
        mime = str(kind.mime) if kind is not None else ""
        if mime not in allowed:
            raise DomainError(
                "unsupported_file_type",
                _("%(name)s is not a PDF, JPEG or PNG file by its content") % {"name": upload.name},
                field=field, status=415,
            )
        types.append(mime)
    if sum(len(u.data) for u in uploads) > total_limit:
        raise DomainError("files_too_large", _("The attachments together are larger than %(limit)s bytes") % {"limit": total_limit},
                          field=field, status=413)
    return types


def store(feedback: Feedback, upload: Upload, content_type: str) -> FeedbackFile:
    """Save one checked upload; call inside the owning change's transaction."""
    row = FeedbackFile(
        feedback=feedback, name=upload.name[:255], content_type=content_type, size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
    )
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(content_type, "bin")
    row.file.save(f"{feedback.code}-{row.sha256[:12]}.{ext}", ContentFile(upload.data), save=False)
    row.save()
    return row
