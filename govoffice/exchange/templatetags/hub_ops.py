"""Template helpers for the hub's pages: who sees the header link, and numbers in Vietnamese style."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import get_language, ngettext

from govoffice.directory.permissions import may

register = template.Library()

NBSP = "\u00a0"


def grouped(value: Any) -> str:
    """An integer with its thousands grouped: 1.200.000 in Vietnamese, 1,200,000 in English."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    separator = "," if (get_language() or "vi").startswith("en") else "."
    return f"{number:,}".replace(",", separator)


def vnd(value: Any) -> str:
    """An amount in đồng as written in Vietnam: 1.200.000.000 ₫ (no decimals, a fixed space)."""
    return f"{grouped(value)}{NBSP}₫"


register.filter("grouped", grouped)
register.filter("vnd", vnd)


@register.filter
def may_operate_hub(user: Any) -> bool:
    """True for the people who see the hub's operations pages (the header link follows this)."""
    return may(user, "hub.operate")


@register.filter
def agency_name(agency: Any) -> str:
    """An agency's name in the page's language: the English one when there is one, else Vietnamese."""
    english = getattr(agency, "name_en", "")
    if english and (get_language() or "vi").startswith("en"):
        return str(english)
    return str(getattr(agency, "name_vi", ""))


def _span(delta: dt.timedelta) -> str:
    """A length of time in its two largest units, in words: "2 ngày 3 giờ", "45 phút"."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        ngettext("%(n)s day", "%(n)s days", days) % {"n": days} if days else "",
        ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours} if hours else "",
        ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes} if minutes and not days else "",
    ]
    words = [p for p in parts if p][:2]
    return " ".join(words) or ngettext("%(n)s minute", "%(n)s minutes", 0) % {"n": 0}


@register.filter
def waited(since: dt.datetime | None, now: dt.datetime) -> str:
    """How long from `since` until `now` ("18 giờ 20 phút"); Django's timesince lacks Vietnamese."""
    return _span(now - since) if since else ""


@register.filter
def left(until: dt.datetime | None, now: dt.datetime) -> str:
    """How long from `now` until `until`."""
    return _span(until - now) if until else ""
