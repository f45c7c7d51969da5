"""Template helpers of the supervision pages."""

from __future__ import annotations

from typing import Any

from django import template

from govoffice.supervision.permissions import is_officer

register = template.Library()


@register.filter
def supervision_officer(user: Any) -> bool:
    """True for the office's supervision officers (they see the officer's links)."""
    return bool(getattr(user, "is_authenticated", False)) and is_officer(user)
