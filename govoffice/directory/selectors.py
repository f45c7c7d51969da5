"""Reads of the directory worth naming."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from govoffice.directory.models import Agency
from govoffice.lib.vntext import fold


def agencies(query: str = "", kind: str = "", parent: str = "") -> QuerySet[Agency]:
    qs = Agency.objects.select_related("parent").filter(active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if parent:
        qs = qs.filter(parent__code=parent)
    if query:
        # A few hundred rows: fold in Python so that "Nghe An" finds "Nghệ An" on both databases.
        needle = fold(query)
        codes = [a.code for a in qs if needle in fold(f"{a.name_vi} {a.name_en} {a.short_name} {a.code}")]
        qs = qs.filter(Q(code__in=codes))
    return qs


def agency_out(agency: Agency) -> dict[str, object]:
    return {
        "code": agency.code,
        "name_vi": agency.name_vi,
        "name_en": agency.name_en,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "parent_code": agency.parent.code if agency.parent_id and agency.parent else None,
        "code_official": agency.code_official,
        "active": agency.active,
    }
