"""Supervision listens: the hub's statuses 05/06 from a lead agency about a task's source
document are progress reports, and a closed cabinet meeting's conclusions become tasks.

Both run after the sender's commit; a failure is logged and never breaks the sender.
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from govoffice.exchange.signals import status_accepted

log = logging.getLogger(__name__)
STATUS_NOTES = {"05": "Đang xử lý (trạng thái 05 qua Trục liên thông)", "06": "Đã xử lý xong (trạng thái 06 qua Trục liên thông)"}


@receiver(status_accepted)
def progress_from_hub_status(sender: Any, status: Any, document: Any, **kwargs: Any) -> None:
    """05 = a progress report, 06 = completion, from the lead agency about the task's source document."""
    from govoffice.supervision.models import Channel, Task
    from govoffice.supervision.services.tasks import report_progress

    code = getattr(status, "status_code", "")
    if code not in STATUS_NOTES or document is None:
        return
    tasks = Task.objects.filter(
        source_document__document_id=document.document_id, lead_agency_id=status.sender_id, completed_on__isnull=True,
    ).select_related("lead_agency").order_by("pk")
    for task in tasks:
        try:
            report_progress(
                actor=None, task=task, note=status.description or STATUS_NOTES[code], complete=code == "06",
                channel=Channel.HUB, agency=task.lead_agency, hub_message_id=str(status.pk), idempotency_key=f"hub:{status.pk}",
            )
        except Exception:  # the hub's acceptance must not fail for it; the status stays on the hub
            log.exception("recording hub status %s on task %s failed", status.pk, task.code)


def tasks_from_conclusion(sender: Any, meeting: Any = None, item: Any = None, tasks: list[dict[str, Any]] | None = None,
                          **kwargs: Any) -> list[str]:
    """Each task of a closed meeting's conclusion becomes a task assigned by the Government (idempotent on `ref`)."""
    from govoffice.lib.errors import DomainError
    from govoffice.supervision.models import Assigner, Source
    from govoffice.supervision.services.tasks import TaskDraft, create_task

    made: list[str] = []
    closed = getattr(meeting, "closed_at", None)
    assigned_on = timezone.localdate(closed) if closed else timezone.localdate()
    ref_text = " – ".join(str(x) for x in (getattr(meeting, "title", ""), getattr(item, "title", "")) if x)
    notice = getattr(meeting, "notice", None)
    for entry in tasks or []:
        chair = entry.get("assigner")
        draft = TaskDraft(
            content=str(entry.get("content", "")), assigner=Assigner.GOVERNMENT,
            assigner_name=str(getattr(chair, "full_name", "") or chair or "")[:255],
            lead_agency=str(entry.get("lead_agency_code", "")),
            coordinating_agencies=list(entry.get("coordinating_agency_codes") or []),
            assigned_on=assigned_on, deadline=entry.get("deadline"), source=Source.MEETING,
            source_ref=(ref_text or str(entry.get("ref", "")))[:255],
            source_document_id=notice.pk if notice is not None and getattr(notice, "state", "") == "issued" else None,
        )
        key = str(entry.get("ref") or "") or None
        try:
            task = create_task(actor=None, draft=draft, idempotency_key=f"cabinet:{key}" if key else None, system=True)
        except DomainError as exc:
            log.error("task %s of a meeting's conclusion was not created: %s", key, exc.message)
            continue
        made.append(task.code)
    return made


def connect_cabinet() -> bool:
    """Listen to the e-cabinet if it is installed (supervision works without it)."""
    try:
        from govoffice.cabinet.signals import conclusion_tasks_issued
    except ImportError:
        return False
    conclusion_tasks_issued.connect(tasks_from_conclusion, dispatch_uid="supervision.tasks_from_conclusion")
    return True
