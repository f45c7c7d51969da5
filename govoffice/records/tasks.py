"""Background work of the office (Huey): statuses to senders, text extraction, the sweep."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

log = logging.getLogger(__name__)


@db_task(retries=8, retry_delay=60)
def send_status(document_id: str, code: str, description: str) -> str:
    """Tell a document's sender what happened to it (01, 02, 03, 04, 05, 06) through the hub."""
    from govoffice.exchange import outbox

    return outbox.send_status(document_id, code, description, actor=None).message_id


@db_task(retries=2, retry_delay=120)
def extract_file_text(file_id: int) -> str:
    """Read a file's text (PDF text layer, or OCR for scans) for search."""
    from govoffice.records.extract import extract_into

    return extract_into(file_id)


@db_periodic_task(crontab(minute="*/5"))
def register_pending() -> int:
    from govoffice.records.services.incoming import register_pending_hub_documents

    return register_pending_hub_documents()


@db_periodic_task(crontab(minute="15"))  # hourly: a fresh assignment due soon is reminded within the hour
def remind_deadlines() -> int:
    """E-mail handlers whose documents are due within settings.RECORDS["reminder_days"] working days."""
    from govoffice.records.services.handling import send_due_reminders

    return send_due_reminders()
