"""Background work of the hub (Huey): pushes now, and retries of pushes that are due."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from govoffice.exchange.services.push import push_once, retry_pushes


@db_task()
def push_delivery(delivery_id: int) -> bool:
    return push_once(delivery_id)


@db_periodic_task(crontab(minute="*"))
def retry_due_pushes() -> int:
    """Every minute: try again the pushes whose back-off has run out (survives restarts)."""
    return retry_pushes()
