"""Search over the office's documents: number and notation, subject, sender and full text,
with or without Vietnamese diacritics, filtered by what the reader may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from govoffice.directory.models import User
from govoffice.lib.vntext import fold, words
from govoffice.records.models import Incoming, Outgoing, SearchEntry
from govoffice.records.permissions import visible_to


def _incoming_entry(row: Incoming) -> dict[str, Any]:
    lead = row.assignments.filter(active=True).values_list("lead_person_id", flat=True).first()
    parts = [row.number_notation, row.subject, row.sender_name, row.note, row.text]
    return {
        "agency_id": row.agency_id, "confidentiality": row.confidentiality, "doc_type": row.doc_type,
        "state": row.state, "urgency": row.urgency, "date": row.arrived_at, "sender_id": row.sender_id,
        "handler_id": lead, "number_notation": row.number_notation, "subject": row.subject[:1000],
        "folded": fold(" ".join(p for p in parts if p)),
    }


def _outgoing_entry(row: Outgoing) -> dict[str, Any]:
    files = " ".join(row.files.values_list("text", flat=True))
    parts = [row.notation, row.subject, row.body, row.agency.name_vi, files]
    return {
        "agency_id": row.agency_id, "confidentiality": row.confidentiality, "doc_type": row.doc_type,
        "state": row.state, "urgency": row.urgency, "date": row.issued_at or row.created_at,
        "sender_id": row.agency_id, "handler_id": row.created_by_id, "number_notation": row.notation,
        "subject": row.subject[:1000], "folded": fold(" ".join(p for p in parts if p)),
    }


def reindex(kind: str, object_id: int) -> None:
    """Bring one record's search entry up to date (or drop it if the record is gone)."""
    model: Any = Incoming if kind == "incoming" else Outgoing
    row = model.objects.select_related("agency").filter(pk=object_id).first()
    with transaction.atomic():
        if row is None:
            SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()
            return
        values = _incoming_entry(row) if kind == "incoming" else _outgoing_entry(row)
        SearchEntry.objects.update_or_create(kind=kind, object_id=object_id, defaults=values)


@dataclass
class Filters:
    kind: str = ""
    doc_type: str = ""
    sender: str = ""  # organisation code
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    urgency: int | None = None
    state: str = ""
    handler_id: int | None = None
    sort: str = "-date"  # -date, date, number


SORTS = {"-date": ("-date", "-id"), "date": ("date", "id"), "number": ("number_notation", "id")}


def search(user: User, query: str = "", filters: Filters | None = None) -> QuerySet[SearchEntry]:
    """The entries matching every folded query word, that `user` may see, filtered and sorted."""
    f = filters or Filters()
    qs = SearchEntry.objects.filter(visible_to(user))
    for term in words(query):
        qs = qs.filter(folded__contains=term)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.doc_type:
        qs = qs.filter(doc_type=f.doc_type)
    if f.sender:
        qs = qs.filter(sender__code=f.sender)
    if f.date_from:
        qs = qs.filter(date__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(date__date__lte=f.date_to)
    if f.urgency is not None:
        qs = qs.filter(urgency=f.urgency)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.handler_id:
        qs = qs.filter(Q(handler_id=f.handler_id))
    return qs.order_by(*SORTS.get(f.sort, SORTS["-date"]))
