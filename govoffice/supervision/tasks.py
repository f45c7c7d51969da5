"""Background work of supervision (Huey): reminders before deadlines."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="7", minute="30"))  # each morning, Hanoi office hours
def remind_task_deadlines() -> int:
    """Notify the lead agencies' people of tasks due within SUPERVISION["reminder_days"] working days."""
    from govoffice.supervision.services.tasks import send_task_reminders

    return send_task_reminders()
