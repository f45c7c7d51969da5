"""Each app tells the home page what waits for a person; the shell only lists it.

An app registers a provider in its AppConfig.ready(): a function of the user returning a
WorkSection (or None when it has nothing for that person). The shell imports no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


@dataclass
class WorkItem:
    title: str
    url: str
    due: Any = None
    urgent: bool = False
    note: str = ""


@dataclass
class WorkSection:
    title: str | Promise
    items: list[WorkItem] = field(default_factory=list)
    more_url: str = ""


Provider = Callable[[Any], WorkSection | None]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def sections_for(user: Any) -> list[WorkSection]:
    out = []
    for provider in _PROVIDERS:
        section = provider(user)
        if section is not None:
            out.append(section)
    return out
