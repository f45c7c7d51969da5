"""The header's links to each area: `{% load govoffice_nav %}{% nav_links user as links %}`.

The shell does not import the feature apps: an entry names a URL and the roles that work in
that area, and a URL that does not resolve is left out. Showing a link is a convenience, not
a permission: every page asks `may(...)` itself.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

from govoffice.directory.models import Role

register = template.Library()

OFFICE = (Role.CLERK, Role.SPECIALIST, Role.DEPARTMENT_HEAD, Role.OFFICE_LEADER, Role.GOVERNMENT_LEADER)
LEADERS = (Role.DEPARTMENT_HEAD, Role.OFFICE_LEADER, Role.GOVERNMENT_LEADER)

# (label, URL name, roles that see it; empty = everyone, signed in or not)
NAV: list[tuple[Any, str, tuple[str, ...]]] = [
    (pgettext_lazy("nav", "Documents"), "records:incoming_list", OFFICE),
    (pgettext_lazy("nav", "Search"), "records:search", OFFICE),
    (pgettext_lazy("nav", "Cabinet"), "cabinet:mine", (Role.GOVERNMENT_MEMBER, Role.GOVERNMENT_LEADER, Role.CABINET_STAFF)),
    (pgettext_lazy("nav", "Tasks"), "supervision:task_list", (*OFFICE, Role.SUPERVISION_OFFICER)),
    (pgettext_lazy("nav", "Dossier desk"), "portal:desk", (Role.PORTAL_OFFICER,)),
    (pgettext_lazy("nav", "Feedback"), "feedback:office_list", (Role.PORTAL_OFFICER,)),
    (pgettext_lazy("nav", "Reports"), "reports:index", (*OFFICE, Role.SUPERVISION_OFFICER, Role.CABINET_STAFF, Role.PORTAL_OFFICER)),
    (pgettext_lazy("nav", "Public services"), "portal:home", ()),
]


@register.simple_tag
def nav_links(user: Any) -> list[tuple[str, str]]:
    """(label, address) of the areas this person works in, in the header's order."""
    signed_in = bool(getattr(user, "is_authenticated", False))
    links: list[tuple[str, str]] = []
    for label, name, roles in NAV:
        if roles and not (signed_in and user.has_role(*roles)):
            continue
        try:
            links.append((str(label), reverse(name)))
        except NoReverseMatch:
            continue
    return links
