"""The home page's section of supervision: overdue tasks, requests to decide, tasks due soon."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govoffice.directory.models import User
from govoffice.directory.permissions import may
from govoffice.supervision import selectors
from govoffice.supervision.permissions import AGENCY_PEOPLE, is_officer
from govoffice.web.worklist import WorkItem, WorkSection, register

LIMIT = 8


@register
def supervision_section(user: Any) -> WorkSection | None:
    if not isinstance(user, User) or user.agency_id is None or not user.has_role(*AGENCY_PEOPLE):
        return None
    items: list[WorkItem] = []
    if may(user, "supervision.manage"):
        for ext in selectors.pending_extensions(user)[:LIMIT]:
            items.append(WorkItem(_("Extension requested: %(code)s") % {"code": ext.task.code},
                                  reverse("supervision:task_detail", args=[ext.task.code]), due=ext.requested_deadline,
                                  note=ext.task.lead_agency.short_name or ext.task.lead_agency.name_vi))
    today = timezone.localdate()
    for task in selectors.overdue_tasks(user, today).order_by("deadline", "pk")[:LIMIT]:
        items.append(WorkItem(f"{task.code}: {task.content[:120]}", reverse("supervision:task_detail", args=[task.code]),
                              due=task.deadline, urgent=True, note=str(gettext_lazy("Overdue"))))
    if not is_officer(user):
        from govoffice.supervision.services.tasks import reminder_horizon

        for task in selectors.due_soon(user, reminder_horizon(today), today)[:LIMIT]:
            items.append(WorkItem(f"{task.code}: {task.content[:120]}", reverse("supervision:task_detail", args=[task.code]), due=task.deadline))
    if not items:
        return None
    return WorkSection(gettext_lazy("Assigned tasks"), items, more_url=reverse("supervision:task_list"))
