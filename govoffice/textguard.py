"""No NUL character reaches the database: PostgreSQL cannot store one in text (a 500 there, and
on SQLite a string that other tools cut short). An app that calls `guard(label)` from its
ready() has every save of its models checked; a NUL is bad input: DomainError 422 naming the
field, raised before anything is written, so the service's transaction rolls back and the page
or API shows the message. The API refuses NUL in paths, queries and JSON bodies before any view
(web/middleware.py); this catches what comes through forms and background work.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _

from govoffice.lib.errors import DomainError


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


def check_text(value: Any, field: str) -> None:
    """The same rule for what is written without save() (bulk_create) or compared in a query."""
    if _has_nul(value):
        raise DomainError("invalid_characters", _("The text contains a NUL character; remove it and send again"),
                          field=field, status=422)


def refuse_nul(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField, models.JSONField)) and _has_nul(getattr(instance, field.attname, None)):
            raise DomainError("invalid_characters", _("The text contains a NUL character; remove it and send again"),
                              field=field.name, status=422)


def guard(app_label: str) -> None:
    """Check every model of `app_label` on save (called from the app's ready())."""
    from django.apps import apps

    for model in apps.get_app_config(app_label).get_models():
        pre_save.connect(refuse_nul, sender=model, dispatch_uid=f"nul:{model._meta.label}")
