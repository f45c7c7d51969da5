"""The search API: GET /api/v1/records/search, the same search as the page (/records/search/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from govoffice.apiauth import current_user
from govoffice.apischema import errors
from govoffice.directory.permissions import may
from govoffice.lib.errors import DomainError, Forbidden
from govoffice.records import search as engine
from govoffice.records.models import DocType, IncomingState, OutgoingState
from govoffice.records.search_text import highlight

router = Router(tags=["records"])
STATES = sorted({*IncomingState.values, *OutgoingState.values})

DESCRIPTION = f"""
Full-text search over the incoming and outgoing documents of the caller's agency that the
caller may see (documents above the caller's clearance never appear, nor do they count).

**Words** (`q`) are folded like the stored text (case, diacritics, đ → d), so `quyet dinh`
finds "Quyết định" and `dong da` finds "Đống Đa". Every word must match a whole word of the
number and notation, the summary, the author agency or the documents' text (notes, PDF
text, OCR of scans, the body of outgoing documents). The last word also matches as a prefix
while it is being typed (three letters or more, no space after it): `quyet dinh phe d` is
not a prefix, `quyet dinh phe duy` is.

**Filters**: `kind` (incoming, outgoing), `doc_type` (Decree 30 abbreviation: QĐ, CV,
TTr, …), `sender` (the author agency's organisation code), `date_from` and `date_to` (arrival
date for incoming, issue date for outgoing, office time, both ends included), `urgency`
(0 normal, 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc), `state` ({", ".join(STATES)}), `handler`
(the lead handler's user id; for outgoing documents, the drafter).

**Order** (`sort`): `relevance` (the default with words: documents whose number, summary
or author hold every word first, then the rest, newest first in each), `-date` (the
default without words), `date`, `number` (highest first).

**Counts** stop at {engine.COUNT_LIMIT}: `count_exact` is false when more documents match,
and `count` is then {engine.COUNT_LIMIT}. Relevance ranks the newest {engine.COUNT_LIMIT}
matches; date order pages through up to {engine.MAX_RESULTS:,}. `facets` (counts per kind, type,
urgency and state) come only with an exact count.
"""


class SearchQuery(Schema):
    q: str = Field("", max_length=200, description="words, with or without diacritics")
    kind: str = Field("", description="incoming or outgoing")
    doc_type: str = Field("", description="Decree 30 abbreviation: QĐ, CV, TTr, …")
    sender: str = Field("", max_length=13, description="the author agency's organisation code")
    date_from: dt.date | None = Field(None, description="on or after this day (office time)")
    date_to: dt.date | None = Field(None, description="on or before this day (office time)")
    urgency: int | None = Field(None, ge=0, le=3, description="0 normal, 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc")
    state: str = Field("", description="arrived, registered, returned, assigned, processing, done, draft, review, approved, issued")
    handler: int | None = Field(None, ge=1, description="the lead handler's user id")
    sort: str = Field("", description="relevance, -date, date or number; empty: relevance with words, else -date")
    limit: int = Field(20, ge=1, le=engine.MAX_PAGE)
    offset: int = Field(0, ge=0, le=engine.MAX_RESULTS - 1)


class SearchHit(Schema):
    kind: str = Field(description="incoming or outgoing")
    id: int = Field(description="the document's id in its register (/records/incoming/{id} or /records/outgoing/{id})")
    number_notation: str
    subject: str
    subject_marked: str = Field(description="the subject as HTML, the matched words in <mark>, the rest escaped")
    sender_name: str
    sender: str | None = Field(description="the author agency's organisation code, if known")
    doc_type: str
    urgency: int
    confidentiality: int
    state: str
    date: dt.datetime = Field(description="arrival (incoming) or issue (outgoing) time")
    handler: str | None = Field(description="the lead handler's (or drafter's) username")


class SearchPage(Schema):
    count: int
    count_exact: bool
    sort: str
    limit: int
    offset: int
    items: list[SearchHit]
    facets: dict[str, dict[str, int]] | None


def _check(params: SearchQuery) -> engine.Filters:
    if params.kind and params.kind not in engine.KINDS:
        raise DomainError("invalid_choice", "kind is incoming or outgoing", field="kind", status=422)
    if params.doc_type and params.doc_type not in DocType.values:
        raise DomainError("invalid_choice", f"Unknown document type {params.doc_type}", field="doc_type", status=422)
    if params.state and params.state not in STATES:
        raise DomainError("invalid_choice", f"Unknown state {params.state}", field="state", status=422)
    if params.sort and params.sort not in engine.SORTS:
        raise DomainError("invalid_choice", "sort is relevance, -date, date or number", field="sort", status=422)
    if params.date_from and params.date_to and params.date_from > params.date_to:
        raise DomainError("invalid_period", "date_to is before date_from", field="date_to", status=422)
    return engine.Filters(
        kind=params.kind, doc_type=params.doc_type, sender=params.sender.strip(), date_from=params.date_from,
        date_to=params.date_to, urgency=params.urgency, state=params.state, handler_id=params.handler,
    )


@router.get(
    "/search", response={200: SearchPage, **errors(401, 403, 422)},
    summary="Search the agency's documents: words with or without diacritics, filters, order, pages",
    description=DESCRIPTION,
)
def search_documents(request: HttpRequest, params: Query[SearchQuery]) -> dict[str, Any]:
    user = current_user(request)
    if not may(user, "records.read_register", user.agency):
        raise Forbidden("forbidden", "Only the agency's staff search its documents")
    found = engine.search(user, params.q, _check(params), sort=params.sort, offset=params.offset, limit=params.limit)
    return {
        "count": found.count, "count_exact": found.count_exact, "sort": found.sort,
        "limit": found.limit, "offset": found.offset, "facets": found.facets,
        "items": [
            {
                "kind": e.kind, "id": e.object_id, "number_notation": e.number_notation, "subject": e.subject,
                "subject_marked": highlight(e.subject, found.query), "sender_name": e.sender_name,
                "sender": e.sender.code if e.sender else None, "doc_type": e.doc_type, "urgency": e.urgency,
                "confidentiality": e.confidentiality, "state": e.state, "date": e.date,
                "handler": e.handler.username if e.handler else None,
            }
            for e in found.entries
        ],
    }
