"""Search on PostgreSQL: the newest entries first, then back in time through the GIN index.

A GIN index cannot hand out matches in date order: it builds the whole set of matches
before the first row is read, which is cheap for a rare word and slow for a common one
(hundreds of thousands of rows to fetch and sort for a page of 20). So the matches are
gathered in three ways, in key order:
1. the window: the newest WINDOW entries of the key range, read through the primary key
   and checked with LIKE on the folded words (a common word fills a page here);
2. if the window was dense (one in DENSE or more matched), the next windows the same way:
   checking a row with LIKE costs about half what the GIN index spends on it when every
   word of the query is common;
3. otherwise the GIN index, one time bucket at a time (tag _b_<key >> 37>, about 1.6
   days each), then 4 and 16 buckets at once, then 16 at a time while the rate of matches
   seen says the page fills within a few more reads, so a word that matches a few percent
   of the entries costs a few small index reads; otherwise the rest of the range at once
   (what is left there is sparse). Each span starts at the next bucket that holds entries
   (a primary-key lookup), so a stretch of time without documents costs nothing.
Each query keeps the queryset's WHERE (records.permissions.visible_to), which decides.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import connection

if TYPE_CHECKING:
    from govoffice.records.search import Criteria, Match

BUCKET_SHIFT = 37  # as in migration 0002's records_search_vector
WINDOW = 1000
DENSE = 50  # a window where one entry in DENSE or more matched is dense: walk on
SPANS = (1, 4, 16)  # buckets read at once, in turn; then STEP at a time while that pays
STEP = 16  # more buckets in one tsquery OR cost more than reading them in turns (GIN skips less)
MAX_READS = 12  # bucket reads before the rest of the range is read at once
VECTOR = (
    "records_search_vector(folded, kind, doc_type, state, urgency, agency_id, "
    "confidentiality, sender_id, handler_id, id)"
)


def tsquery(c: Criteria) -> str:
    """The tsquery text (cast with ::tsquery: lexemes verbatim, no parser)."""
    parts = [f"'{w}'" for w in c.query.whole]
    if c.query.prefix:
        words = c.prefix_words()
        if words is None:
            parts.append(f"'{c.query.words[-1]}':*")
        else:  # exact lexemes: GIN skips through them; a partial match would collect every row first
            parts.append("(" + " | ".join(f"'{w}'" for w in words) + ")")
    parts += [f"'{t}'" for t in c.tags]
    if c.visible:
        parts.append("(" + " | ".join(f"'{t}'" for t in c.visible) + ")")
    return " & ".join(parts)


@contextmanager
def planner(**settings: str) -> Iterator[Any]:
    """Planner settings for the next queries of the caller's transaction, put back after."""
    names = list(settings)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
        before = cursor.fetchone()
        pairs = [x for name in names for x in (name, settings[name])]
        cursor.execute("SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)), pairs)
        try:
            yield cursor
        finally:
            undo = [x for name, old in zip(names, before, strict=True) for x in (name, old)]
            cursor.execute("SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)), undo)


def _planner() -> Any:
    # No JIT (compiling costs more than these queries take); bitmaps large enough to stay
    # exact, so no recheck runs the vector function row by row; no parallel workers (starting
    # them costs more than a page's few thousand rows, and the cores serve other requests).
    return planner(jit="off", work_mem="32MB", max_parallel_workers_per_gather="0")


class _Gatherer:
    def __init__(self, c: Criteria, n: int, newest: bool, cursor: Any) -> None:
        from govoffice.records.search import MATCH_COLUMNS

        self.c, self.n, self.newest, self.cursor = c, n, newest, cursor
        self.where, self.params = c.where()
        self.columns = ", ".join(MATCH_COLUMNS)
        self.order = "DESC" if newest else "ASC"
        self.like = " AND ".join(["(' ' || folded || ' ') LIKE %s"] * len(c.query.like_patterns())) or "TRUE"
        self.like_params = [f"%{p}%" for p in c.query.like_patterns()]
        self.out: list[Match] = []

    @property
    def missing(self) -> int:
        return self.n - len(self.out)

    def _rows(self, sql: str, args: list[Any]) -> int:
        from govoffice.records.search import Match

        self.cursor.execute(sql, args)
        rows = [Match(*r) for r in self.cursor.fetchall()]
        self.out += rows
        return len(rows)

    def window(self, lo: int, hi: int) -> tuple[int, int, bool]:
        """Check the next WINDOW entries of [lo, hi) in order; the range left and whether dense."""
        self.cursor.execute(
            f"SELECT id FROM records_searchentry WHERE id >= %s AND id < %s "  # noqa: S608  (constants)
            f"ORDER BY id {self.order} OFFSET %s LIMIT 1",
            [lo, hi, WINDOW - 1],
        )
        edge_row = self.cursor.fetchone()
        if edge_row is None:
            win_lo, win_hi, rest = lo, hi, (lo, lo)
        elif self.newest:
            win_lo, win_hi, rest = edge_row[0], hi, (lo, edge_row[0])
        else:
            win_lo, win_hi, rest = lo, edge_row[0] + 1, (edge_row[0] + 1, hi)
        found = self._rows(

            f"SELECT {self.columns} FROM records_searchentry WHERE ({self.where}) "  # noqa: S608
            f"AND id >= %s AND id < %s AND {self.like} ORDER BY id {self.order} LIMIT %s",
            [*self.params, win_lo, win_hi, *self.like_params, self.missing],
        )
        return rest[0], rest[1], found * DENSE >= WINDOW

    def index(self, lo: int, hi: int, buckets: range | None) -> None:
        """The GIN index over [lo, hi), within these time buckets (or all of the range)."""
        query = tsquery(self.c)
        if buckets is not None:
            query = f"({query}) & (" + " | ".join(f"'_b_{b}'" for b in buckets) + ")"
        # Only the GIN index finds the rows: behind the fence (OFFSET 0) and with "id + 0", the
        # planner cannot AND its bitmap with the agency's or the key range's, a million rows
        # each, which it would (the vector's high COST makes it want fewer rows to recheck).
        self._rows(
            f"SELECT {self.columns} FROM (SELECT * FROM records_searchentry WHERE {VECTOR} @@ %s::tsquery "  # noqa: S608
            f"AND id + 0 >= %s AND id + 0 < %s OFFSET 0) AS records_searchentry "
            f"WHERE ({self.where}) ORDER BY id {self.order} LIMIT %s",
            [query, lo, hi, *self.params, self.missing],
        )

    def next_bucket(self, lo: int, hi: int, done: range) -> int | None:
        """The next bucket past `done` (in the search's direction) that holds any entry of [lo, hi):
        stretches of time without entries are skipped, not read bucket by bucket."""
        if self.newest:
            sql, args = "SELECT max(id) FROM records_searchentry WHERE id >= %s AND id < %s", [lo, min(hi, done.start << BUCKET_SHIFT)]
        else:
            sql, args = "SELECT min(id) FROM records_searchentry WHERE id >= %s AND id < %s", [max(lo, done.stop << BUCKET_SHIFT), hi]
        self.cursor.execute(sql, args)
        (key,) = self.cursor.fetchone()
        return None if key is None else key >> BUCKET_SHIFT

    def bounds(self, lo: int, hi: int) -> tuple[int, int] | None:
        """The keys actually present in [lo, hi): the first and last bucket to read."""
        self.cursor.execute(
            "SELECT min(id), max(id) FROM records_searchentry WHERE id >= %s AND id < %s", [lo, hi]
        )
        first, last = self.cursor.fetchone()
        if first is None:
            return None
        return first >> BUCKET_SHIFT, last >> BUCKET_SHIFT


def _worth_another_step(missing: int, found: int, read: int, steps_left: int) -> bool:
    """Whether the matches still missing are likely within the steps left, at the rate seen so
    far; if not, the rest of the range at once costs less (its matches are sparse)."""
    if found == 0 or read == 0:
        return False
    return missing * read <= found * STEP * steps_left


def fetch(c: Criteria, n: int, *, newest: bool = True) -> list[Match]:
    with _planner() as cursor:
        g = _Gatherer(c, n, newest, cursor)
        lo, hi = c.lo, c.hi
        dense = True
        while dense and g.missing > 0 and lo < hi:
            lo, hi, dense = g.window(lo, hi)
        if g.missing <= 0 or lo >= hi:
            return g.out[:n]
        present = g.bounds(lo, hi)
        if present is None:
            return g.out[:n]
        first, last = present
        at = last if newest else first
        read = found = 0  # buckets read through the index, matches found there
        for i in range(MAX_READS):
            if g.missing <= 0 or (i >= len(SPANS) and not _worth_another_step(g.missing, found, read, MAX_READS - i)):
                break
            span = SPANS[i] if i < len(SPANS) else STEP
            if newest:
                buckets = range(max(first, at - span + 1), at + 1)
            else:
                buckets = range(at, min(last, at + span - 1) + 1)
            before = len(g.out)
            g.index(lo, hi, buckets)
            read, found = read + len(buckets), found + len(g.out) - before
            following = g.next_bucket(lo, hi, buckets)
            if following is None:
                return g.out[:n]
            at = following
        if g.missing > 0:
            # What is left of the range, at once: the matches there are few.
            rest_lo, rest_hi = (lo, (at + 1) << BUCKET_SHIFT) if newest else (at << BUCKET_SHIFT, hi)
            g.index(max(lo, rest_lo), min(hi, rest_hi), None)
        return g.out[:n]
