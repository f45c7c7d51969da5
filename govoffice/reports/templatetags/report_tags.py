"""Template helpers of the report pages: the dashboards a person may open."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from govoffice.directory.permissions import may

register = template.Library()


@register.simple_tag(takes_context=True)
def report_links(context: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(url, title, is this page) for each dashboard the signed-in person may open."""
    from govoffice.reports.views import DASHBOARDS

    request = context.get("request")
    user = getattr(request, "user", None)
    here = request.path if request is not None else ""
    out = []
    for action, name, title in DASHBOARDS:
        if may(user, action):
            url = reverse(name)
            out.append((url, str(title), here == url))
    return out
