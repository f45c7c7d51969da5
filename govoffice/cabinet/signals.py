"""What the e-cabinet tells other apps.

`conclusion_tasks_issued` is sent after the commit that closes a meeting, once per agenda item
whose conclusion names tasks, with keyword arguments:

    sender   Meeting (the class)
    meeting  the closed Meeting
    item     the AgendaItem
    tasks    list of dicts: {"content": str, "lead_agency_code": str,
             "coordinating_agency_codes": list[str], "deadline": datetime.date | None,
             "assigner": User (the meeting's chair), "ref": "cabinet-item-<id>-<n>"}

A receiver runs outside the closing transaction (the meeting is already closed); it should be
idempotent on `ref`, since a re-run of its own failed work may see the same task again.
"""

from __future__ import annotations

from django.dispatch import Signal

conclusion_tasks_issued = Signal()
