"""The text of kept files, for search: a PDF's text layer (poppler's pdftotext), and OCR with
Tesseract's Vietnamese model for scans and for PDFs without text (Debian packages)."""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.db import transaction

from govoffice.records.models import Incoming, RecordFile

log = logging.getLogger(__name__)
MIN_TEXT = 20  # fewer characters than this in a PDF's text layer: treat it as a scan


def _run(args: list[str], timeout: int = 300) -> str:
    result = subprocess.run(args, capture_output=True, timeout=timeout, check=True)  # noqa: S603
    return result.stdout.decode("utf-8", errors="replace")


def pdf_text(path: Path) -> str:
    return _run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"])


def ocr_image(path: Path) -> str:
    # Vietnamese first; English catches the Latin abbreviations in notations (QĐ-TTg, BTC-VP).
    return _run(["tesseract", str(path), "-", "-l", "vie+eng"])


def ocr_pdf(path: Path) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        _run(["pdftoppm", "-r", "300", "-png", str(path), f"{tmp}/page"])
        return "\n".join(ocr_image(page) for page in sorted(Path(tmp).glob("page*.png")))


def text_of(path: Path, content_type: str) -> str:
    if content_type == "application/pdf":
        text = pdf_text(path)
        if len(text.strip()) >= MIN_TEXT:
            return text
        return ocr_pdf(path)
    if content_type in ("image/jpeg", "image/png"):
        return ocr_image(path)
    if content_type in ("text/plain", "application/xml"):
        return path.read_text(encoding="utf-8", errors="replace")
    return ""


def tools_missing() -> list[str]:
    return [tool for tool in ("pdftotext", "pdftoppm", "tesseract") if shutil.which(tool) is None]


def extract_into(file_id: int) -> str:
    """Extract one file's text and add it to its record's searchable text."""
    row = RecordFile.objects.select_related("incoming", "outgoing").filter(pk=file_id).first()
    if row is None:
        return "gone"
    with tempfile.NamedTemporaryFile(suffix=Path(row.name).suffix) as tmp:
        with row.file.open("rb") as fh:
            shutil.copyfileobj(fh, tmp)
        tmp.flush()
        try:
            text = text_of(Path(tmp.name), row.content_type)
            state = "done"
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("text extraction of file %s failed: %s", file_id, exc)
            text, state = "", "failed"
    with transaction.atomic():
        RecordFile.objects.filter(pk=file_id).update(text=text, ocr_state=state)
        # An incoming record keeps its files' text (an outgoing one is indexed from its files).
        # It is rebuilt from every file under the record's lock, so two extractions that finish
        # together both count and a retry never adds the same text twice.
        if row.incoming_id is not None:
            list(Incoming.objects.select_for_update().filter(pk=row.incoming_id).values_list("pk", flat=True))
            texts = RecordFile.objects.filter(incoming_id=row.incoming_id).exclude(text="").order_by("pk")
            joined = "\n".join(t.strip() for t in texts.values_list("text", flat=True))
            Incoming.objects.filter(pk=row.incoming_id).update(text=joined.strip())
    from govoffice.records.search import reindex

    if row.incoming_id:
        reindex("incoming", row.incoming_id)
    elif row.outgoing_id:
        reindex("outgoing", row.outgoing_id)
    return state
