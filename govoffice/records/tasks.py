"""Background work of the office (Huey): statuses to senders, text extraction, the sweep."""

from __future__ import annotations

import logging
import uuid
from typing import Any, NoReturn
from urllib.parse import quote

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from huey.exceptions import CancelExecution

from govoffice.lib.errors import DomainError

log = logging.getLogger(__name__)


# The hub cannot be reached from this deployment at all: trying again changes nothing until an
# operator configures it (and a clerk resends). Everything else 5xx (or 429) is worth a retry.
NOT_CONFIGURED = frozenset({"hub_not_configured", "hub_url_not_set"})


def worth_retrying(error: DomainError) -> bool:
    """True when the hub's failure may pass (unreachable, 5xx, too many requests)."""
    return error.code not in NOT_CONFIGURED and (error.status >= 500 or error.status == 429)


def _give_up_or_retry(error: DomainError, what: str) -> NoReturn:
    if worth_retrying(error):
        raise error  # Huey tries again after retry_delay, with the same arguments: the same key
    raise CancelExecution(f"{what}: {error.code}: {error.message}", retry=False) from error


def status_key(document_id: str, code: str) -> str:
    """A fresh idempotency key for one status, made when it is queued and kept for its retries
    (ASCII: it travels as an HTTP header to a remote hub)."""
    return f"records-status:{quote(document_id, safe=',/.-')}:{code}:{uuid.uuid4().hex}"


@db_task(retries=8, retry_delay=60, context=True)
def send_status(document_id: str, code: str, description: str, idempotency_key: str = "", task: Any = None) -> str:
    """Tell a document's sender what happened to it (01, 02, 03, 04, 05, 06) through the hub.

    Every attempt sends under the same idempotency key (given by the caller, else the task's
    own id), so a retry after a lost answer never sends the status twice. A hub that is not
    configured is not retried.
    """
    from govoffice.exchange import outbox

    key = idempotency_key or f"records-status-task:{task.id if task is not None else uuid.uuid4().hex}"
    try:
        return outbox.send_status(document_id, code, description, actor=None, idempotency_key=key).message_id
    except DomainError as exc:
        _give_up_or_retry(exc, f"status {code} about {document_id}")


@db_task(retries=8, retry_delay=60)
def send_outgoing(outgoing_id: int, actor_id: int | None = None) -> str:
    """Send an issued document through the hub (its key is stable: records-outgoing:<document id>)."""
    from govoffice.directory.models import User
    from govoffice.records.services.outgoing import deliver_outgoing

    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    row, failure = deliver_outgoing(outgoing_id=outgoing_id, actor=actor)
    if failure is not None:
        _give_up_or_retry(failure, f"outgoing document {row.document_id}")
    return row.hub_message_id


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
