"""Agency names in the reader's language: `{% load web_agency %}{{ agency|agency_label }}`.

The header shows a person's agency as its short name when it has one (VPCP, BTC) and
otherwise as its name in the page's language: the English name on English pages when the
directory has one, the Vietnamese name everywhere else.
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from govoffice.directory.models import Agency

register = template.Library()


@register.filter
def agency_name(agency: Agency | None) -> str:
    """The agency's full name in the current language (Vietnamese when no English one is known)."""
    if agency is None:
        return ""
    return agency.display_name((get_language() or "vi").split("-")[0])


@register.filter
def agency_label(agency: Agency | None) -> str:
    """What the header shows: the short name if any, else the name in the current language."""
    if agency is None:
        return ""
    return agency.short_name or agency_name(agency)
