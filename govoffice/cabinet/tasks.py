"""Background work of the e-cabinet (Huey): reminders before the deadline, closing at it."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/10"))
def remind_ballot_members() -> int:
    """E-mail and SMS each member who has not answered a ballot due within settings.CABINET["reminder_hours"]."""
    from govoffice.cabinet.services.ballots import send_reminders

    return send_reminders()


@db_periodic_task(crontab(minute="*/5"))
def close_due_ballots() -> int:
    """Close and count the ballots whose deadline has passed; members who did not answer are flagged late."""
    from govoffice.cabinet.services.ballots import close_due_ballots as close

    return close()
