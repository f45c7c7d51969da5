"""Background delivery of notices (Huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=3, retry_delay=60)
def deliver(notice_id: int) -> str:
    from govoffice.notify.services import deliver_notice

    return deliver_notice(notice_id)


@db_periodic_task(crontab(minute="*/5"))
def sweep_pending() -> int:
    """Notices left pending by a crash between commit and delivery, or by a failed attempt."""
    from govoffice.notify.services import retry_pending

    return retry_pending()
