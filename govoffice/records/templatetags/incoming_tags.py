"""Template helpers of the incoming pages: what the signed-in person may do there."""

from __future__ import annotations

from typing import Any

from django import template

from govoffice.directory.permissions import may

register = template.Library()


@register.filter
def may_register_incoming(user: Any) -> bool:
    return may(user, "records.register", getattr(user, "agency", None))


@register.filter
def may_oversee_incoming(user: Any) -> bool:
    return may(user, "records.oversee", getattr(user, "agency", None))
