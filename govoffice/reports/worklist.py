"""The home page's section with the reports a person may open (the shell lists; it imports no app)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from govoffice.directory.permissions import may
from govoffice.web.worklist import WorkItem, WorkSection, register


@register
def reports_for(user: Any) -> WorkSection | None:
    from govoffice.reports.views import DASHBOARDS

    items = [WorkItem(str(title), reverse(name)) for action, name, title in DASHBOARDS if may(user, action)]
    if not items:
        return None
    return WorkSection(gettext_lazy("Reports"), items)
