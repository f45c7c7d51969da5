"""Search over the office's documents: number and notation, subject, sender and full text,
with or without Vietnamese diacritics, filtered, sorted and paged, and only ever what the
reader may see (records.permissions.visible_to is in every query's WHERE).

How it stays fast on a million entries (figures: `python -m bench search`):
- an entry's key is its date in microseconds, so the full-text index hands out matches
  newest (or oldest) first and a page of 20 needs no sort of all the matches;
- filters and the reader's visibility are words in the index too ("tags", migration 0002),
  so the index alone narrows the matches and nothing is filtered after the fact;
- counts stop at COUNT_LIMIT: "more than 200" is said as such; facets, relevance and
  number order are worked out over the newest COUNT_LIMIT + 1 matches (all of them, when
  there are no more than that). Each match counted is a row read, and PostgreSQL reads a
  match of common words at a few microseconds: 200 keeps a page under the target where
  1,000 did not (bench search);
- SQLite streams matches out of FTS5; PostgreSQL reads the newest entries first and then
  walks back in time through its GIN index (records.search_pg).
Both databases give the same results: same words, same order, same counts (tests run the
same queries on each).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone

from govoffice.directory.models import Agency, User
from govoffice.records.models import Incoming, Outgoing, SearchEntry, SearchWord
from govoffice.records.permissions import visible_to
from govoffice.records.search_text import Query, index_text, parse_query

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
COUNT_LIMIT = 200  # counts, facets, relevance and number order look this far (see bench search)
MAX_RESULTS = 10_000  # the deepest page and the longest export
MAX_PAGE = 100
KEY_SLACK = 1_000_000  # a key is its date's microseconds raised by far less than a second
MIN_KEY, MAX_KEY = -(2**63), 2**63 - 1
MAX_EXPANSION = 100  # a typed prefix standing for more words than this is asked as a prefix
# The reader's visibility as index words too. Off: in an installation where one agency holds
# most entries they narrow nothing and cost a merge with the longest list in the index (40 ms
# instead of 27 for a rare filter with common words, 1M entries); turn on where many agencies
# share one installation. The WHERE (visible_to) filters either way.
VISIBILITY_IN_INDEX = False
SORTS = ("relevance", "-date", "date", "number")
KINDS = ("incoming", "outgoing")
_NUMBER = re.compile(r"\s*(\d{1,9})")


# ---- keeping entries in step with the records --------------------------------------------


def entry_key(when: dt.datetime) -> int:
    """An entry's key before it is made unique: its date in microseconds since 1970 (UTC)."""
    delta = when - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _number_of(notation: str) -> int:
    found = _NUMBER.match(notation or "")
    return int(found.group(1)) if found else 0


def _incoming_values(row: Incoming) -> dict[str, Any]:
    lead = row.assignments.filter(active=True).values_list("lead_person_id", flat=True).first()
    head = index_text(row.number_notation, row.subject, row.sender_name)
    return {
        "agency_id": row.agency_id, "confidentiality": row.confidentiality, "doc_type": row.doc_type,
        "state": row.state, "urgency": row.urgency, "date": row.arrived_at, "sender_id": row.sender_id,
        "sender_name": row.sender_name[:255], "handler_id": lead, "number": _number_of(row.number_notation),
        "number_notation": row.number_notation, "subject": row.subject[:1000], "head": head,
        "folded": " ".join(p for p in (head, index_text(row.note, row.text)) if p),
    }


def _outgoing_values(row: Outgoing) -> dict[str, Any]:
    files = " ".join(row.files.values_list("text", flat=True))
    author = row.authority_name or row.agency.name_vi
    head = index_text(row.notation, row.subject, author)
    rest = index_text(row.recipient_places, row.body, files)
    return {
        "agency_id": row.agency_id, "confidentiality": row.confidentiality, "doc_type": row.doc_type,
        "state": row.state, "urgency": row.urgency, "date": row.issued_at or row.created_at,
        "sender_id": row.agency_id, "sender_name": author[:255], "handler_id": row.created_by_id,
        "number": row.number or _number_of(row.notation), "number_notation": row.notation,
        "subject": row.subject[:1000], "head": head, "folded": " ".join(p for p in (head, rest) if p),
    }


def reindex(kind: str, object_id: int) -> None:
    """Bring one record's search entry up to date (or drop it if the record is gone).

    Call it inside the transaction that changed the record: the entry commits with it.
    """
    model: Any = Incoming if kind == "incoming" else Outgoing
    row = model.objects.select_related("agency").filter(pk=object_id).first()
    with transaction.atomic():
        existing = SearchEntry.objects.select_for_update().filter(kind=kind, object_id=object_id).first()
        if row is None:
            if existing is not None:
                existing.delete()
            return
        values = _incoming_values(row) if kind == "incoming" else _outgoing_values(row)
        remember_words(values["folded"])
        if existing is not None and existing.date == values["date"]:
            for name, value in values.items():
                setattr(existing, name, value)
            existing.save()
            return
        if existing is not None:
            existing.delete()  # its key follows its date: written again under a new one
        _insert(kind, object_id, values)


def remember_words(folded: str) -> None:
    """Add an entry's words to the vocabulary that typed prefixes expand to."""
    words = {w for w in folded.split() if w}
    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True)) if len(words) < 500 else set()
    SearchWord.objects.bulk_create([SearchWord(word=w) for w in words - known], ignore_conflicts=True)


def expand_prefix(prefix: str) -> list[str] | None:
    """The known words that start with `prefix` (None: too many to list, ask as a prefix)."""
    if connection.vendor == "sqlite":  # BINARY order: a range on the primary key
        qs = SearchWord.objects.filter(word__gte=prefix, word__lt=prefix + "\U0010ffff")
    else:  # LIKE 'prefix%' on the pattern-ops index Django adds to a varchar key
        qs = SearchWord.objects.filter(word__startswith=prefix)
    words = [w for w in qs.order_by("word").values_list("word", flat=True)[: MAX_EXPANSION + 1] if w.startswith(prefix)]
    return None if len(words) > MAX_EXPANSION else words


def _insert(kind: str, object_id: int, values: dict[str, Any]) -> None:
    key = entry_key(values["date"])
    for _ in range(50):
        taken = set(SearchEntry.objects.filter(pk__gte=key, pk__lt=key + 64).values_list("pk", flat=True))
        while key in taken:
            key += 1
        try:
            with transaction.atomic():
                SearchEntry.objects.create(id=key, kind=kind, object_id=object_id, **values)
            return
        except IntegrityError:
            # Another writer took this key (or indexed this record) at the same moment.
            if SearchEntry.objects.filter(kind=kind, object_id=object_id).exists():
                SearchEntry.objects.filter(kind=kind, object_id=object_id).update(**values)
                return
            key += 1
    raise RuntimeError(f"no free search key near {entry_key(values['date'])}")


# ---- asking -------------------------------------------------------------------------------


@dataclass
class Filters:
    kind: str = ""  # incoming, outgoing
    doc_type: str = ""
    sender: str = ""  # the author agency's organisation code
    date_from: dt.date | None = None  # local dates (Asia/Ho_Chi_Minh), both ends included
    date_to: dt.date | None = None
    urgency: int | None = None
    state: str = ""
    handler_id: int | None = None


@dataclass(frozen=True)
class Match:
    """What the index hands back for one matching entry: enough to count, rank and page."""

    id: int
    kind: str
    doc_type: str
    urgency: int
    state: str
    number: int
    head: str


MATCH_COLUMNS = ("id", "kind", "doc_type", "urgency", "state", "number", "head")


@dataclass
class Criteria:
    """One search as the backends see it: the ORM's WHERE (the authority) and the same
    conditions as index words (the shortcut)."""

    qs: QuerySet[SearchEntry]  # visible_to + the filters, as columns
    query: Query
    tags: list[str]  # every one must be there (the filters)
    visible: list[str] | None  # one of these must be there (the reader's visibility); None: unknown
    lo: int = MIN_KEY  # key range [lo, hi)
    hi: int = MAX_KEY
    expansion: tuple[str, ...] | None = None  # the words the typed prefix stands for

    def prefix_words(self) -> tuple[str, ...] | None:
        return self.expansion if self.query.prefix else None

    def where(self) -> tuple[str, list[Any]]:
        """The queryset's WHERE as SQL on records_searchentry (raises EmptyResultSet)."""
        query = self.qs.query
        sql, params = query.get_compiler(using=self.qs.db).compile(query.where)
        return (sql or "1 = 1"), list(params)

    def like_qs(self) -> QuerySet[SearchEntry]:
        """The same match without the index: the words as LIKE patterns on the folded text."""
        qs = self.qs
        if self.query:
            qs = qs.annotate(_padded=Concat(Value(" "), "folded", Value(" "), output_field=TextField()))
            for pattern in self.query.like_patterns():
                qs = qs.filter(_padded__contains=pattern)
        return qs


@dataclass
class Results:
    query: Query
    sort: str
    offset: int
    limit: int
    count: int  # every match when count_exact, else COUNT_LIMIT (there are more)
    count_exact: bool
    entries: list[SearchEntry] = field(default_factory=list)
    facets: dict[str, dict[str, int]] | None = None  # only when the count is exact

    @property
    def reach(self) -> int:
        return reach_of(self.query, self.sort, self.count, self.count_exact)

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.reach


def local_day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def tag_values(vendor: str, filters: Filters, sender_id: int | None) -> list[str]:
    """The index words for the filters (migration 0002 writes the same ones)."""
    tags: list[str] = []
    if filters.kind:
        tags.append(f"_k_{filters.kind}")
    if filters.doc_type:
        code = filters.doc_type.encode().hex() if vendor == "sqlite" else filters.doc_type
        tags.append(f"_t_{code}")
    if filters.state:
        tags.append(f"_s_{filters.state}")
    if filters.urgency is not None:
        tags.append(f"_u_{int(filters.urgency)}")
    if sender_id is not None:
        tags.append(f"_f_{sender_id}")
    if filters.handler_id is not None:
        tags.append(f"_h_{int(filters.handler_id)}")
    return tags


def visibility_tags(rule: Q) -> list[str] | None:
    """visible_to's rule as index words, when it is the plain "this agency, up to this level"."""
    if rule.negated or rule.connector != Q.AND or not all(isinstance(c, tuple) for c in rule.children):
        return None
    kids: dict[str, Any] = dict(rule.children)  # type: ignore[arg-type]
    if set(kids) != {"agency_id", "confidentiality__lte"}:
        return None
    agency, level = int(kids["agency_id"]), int(kids["confidentiality__lte"])
    return [f"_v_{agency}_{n}" for n in range(0, level + 1)]


def criteria_for(user: User, query: Query, filters: Filters) -> Criteria | None:
    """The search's conditions, or None when nothing can match (an unknown sender, no access)."""
    rule = visible_to(user)
    qs = SearchEntry.objects.filter(rule)
    sender_id: int | None = None
    if filters.sender:
        sender_id = Agency.objects.filter(code=filters.sender).values_list("pk", flat=True).first()
        if sender_id is None:
            return None
        qs = qs.filter(sender_id=sender_id)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.doc_type:
        qs = qs.filter(doc_type=filters.doc_type)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.urgency is not None:
        qs = qs.filter(urgency=filters.urgency)
    if filters.handler_id is not None:
        qs = qs.filter(handler_id=filters.handler_id)
    lo, hi = MIN_KEY, MAX_KEY
    if filters.date_from:
        start = local_day_start(filters.date_from)
        qs = qs.filter(date__gte=start)
        lo = entry_key(start)
    if filters.date_to:
        end = local_day_start(filters.date_to + dt.timedelta(days=1))
        qs = qs.filter(date__lt=end)
        hi = entry_key(end) + KEY_SLACK
    if lo >= hi:
        return None
    expansion: tuple[str, ...] | None = None
    if query.prefix:
        words = expand_prefix(query.words[-1])
        if words == []:
            return None  # no indexed word starts so: nothing can match
        expansion = tuple(words) if words is not None else None
    visible = visibility_tags(rule) if VISIBILITY_IN_INDEX else None
    c = Criteria(qs, query, tag_values(connection.vendor, filters, sender_id), visible, lo, hi, expansion)
    try:
        c.where()
    except EmptyResultSet:
        return None  # visible_to gave "nothing" (no role, no agency)
    return c


def _backend() -> Any:
    if connection.vendor == "postgresql":
        from govoffice.records import search_pg

        return search_pg
    from govoffice.records import search_sqlite

    return search_sqlite


def fetch(c: Criteria, n: int, *, newest: bool = True) -> list[Match]:
    """The first n matches in key order (newest first, or oldest first)."""
    if n <= 0:
        return []
    if not c.query and not c.tags and not c.visible:  # the key index, in order: no words needed
        rows = c.qs.filter(id__gte=c.lo, id__lt=c.hi).order_by("-id" if newest else "id")
        return [Match(*r) for r in rows.values_list(*MATCH_COLUMNS)[:n]]
    return list(_backend().fetch(c, n, newest=newest))


def _by_number(c: Criteria, exact: bool, matches: list[Match], offset: int, limit: int) -> list[int]:
    if exact:
        ranked = sorted(matches, key=lambda m: (m.number, m.id), reverse=True)
        return [m.id for m in ranked[offset : offset + limit]]
    # More than COUNT_LIMIT matches: walk the number index, checking the words as LIKE.
    # No key range here (the dates are in the queryset): it would steer the planner off that index.
    rows = c.like_qs().order_by("-number", "-id")
    if connection.vendor != "postgresql":
        return list(rows.values_list("id", flat=True)[offset : offset + limit])
    from govoffice.records.search_pg import planner

    # PostgreSQL guesses LIKE '% word %' rare and would sort every match: walk the index instead.
    with planner(enable_sort="off", enable_seqscan="off", enable_bitmapscan="off", jit="off"):
        return list(rows.values_list("id", flat=True)[offset : offset + limit])


def _page_ids(c: Criteria, sort: str, matches: list[Match], offset: int, limit: int) -> list[int]:
    exact = len(matches) <= COUNT_LIMIT
    window = matches[:COUNT_LIMIT]
    if sort == "relevance" and c.query:
        # Every word in the number, subject or sender first; then the rest; newest first in each.
        ranked = sorted(window, key=lambda m: (not c.query.matched_by(m.head), -m.id))
        return [m.id for m in ranked[offset : offset + limit]]
    if sort == "number":
        return _by_number(c, exact, window, offset, limit)
    if sort == "date":
        if exact:
            return [m.id for m in reversed(window)][offset : offset + limit]
        return [m.id for m in fetch(c, offset + limit, newest=False)[offset:]]
    if offset + limit <= len(window) or exact:
        return [m.id for m in window[offset : offset + limit]]
    return [m.id for m in fetch(c, offset + limit)[offset:]]


def _facets(matches: list[Match]) -> dict[str, dict[str, int]]:
    return {
        "kind": dict(Counter(m.kind for m in matches)),
        "doc_type": dict(Counter(m.doc_type for m in matches)),
        "urgency": dict(Counter(str(m.urgency) for m in matches)),
        "state": dict(Counter(m.state for m in matches)),
    }


def _normalise(query: Query, sort: str) -> str:
    return sort if sort in SORTS else ("relevance" if query else "-date")


def reach_of(query: Query, sort: str, count: int, exact: bool) -> int:
    """How many results can be paged through: relevance ranks the newest COUNT_LIMIT only."""
    if exact:
        return count
    return COUNT_LIMIT if sort == "relevance" and query else MAX_RESULTS


def _load(user: User, ids: list[int]) -> list[SearchEntry]:
    by_id: dict[int, SearchEntry] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found = SearchEntry.objects.filter(visible_to(user), pk__in=chunk).select_related("sender", "handler")
        by_id.update((e.pk, e) for e in found)
    return [by_id[i] for i in ids if i in by_id]


def search(
    user: User, q: str = "", filters: Filters | None = None, *, sort: str = "", offset: int = 0, limit: int = 20
) -> Results:
    """What `user` may see that matches every folded query word, filtered, sorted, one page.

    Sorts: relevance (the default with words: every word in the number, subject or sender
    first), -date (the default without), date, number (highest first).
    """
    query = parse_query(q)
    sort = _normalise(query, sort)
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, min(offset, MAX_RESULTS - limit))
    c = criteria_for(user, query, filters or Filters())
    if c is None:
        return Results(query, sort, offset, limit, 0, True, [], _facets([]))
    with transaction.atomic():  # PostgreSQL: one snapshot, and its SET LOCALs end with it
        matches = fetch(c, COUNT_LIMIT + 1)
        exact = len(matches) <= COUNT_LIMIT
        ids = _page_ids(c, sort, matches, offset, limit)
        entries = _load(user, ids)
    return Results(
        query=query, sort=sort, offset=offset, limit=limit,
        count=len(matches) if exact else COUNT_LIMIT, count_exact=exact,
        entries=entries, facets=_facets(matches) if exact else None,
    )


def export_entries(user: User, q: str = "", filters: Filters | None = None, *, sort: str = "") -> list[SearchEntry]:
    """Every match `user` may see, up to MAX_RESULTS, in the search's order (for CSV)."""
    query = parse_query(q)
    sort = _normalise(query, sort)
    c = criteria_for(user, query, filters or Filters())
    if c is None:
        return []
    with transaction.atomic():
        matches = fetch(c, COUNT_LIMIT + 1)
        ids = _page_ids(c, sort, matches, 0, MAX_RESULTS)
        return _load(user, ids)


def count(user: User, q: str = "", filters: Filters | None = None) -> tuple[int, bool]:
    """How many entries match (up to COUNT_LIMIT) and whether that is all of them."""
    c = criteria_for(user, parse_query(q), filters or Filters())
    if c is None:
        return 0, True
    with transaction.atomic():
        n = len(fetch(c, COUNT_LIMIT + 1))
    return min(n, COUNT_LIMIT), n <= COUNT_LIMIT
