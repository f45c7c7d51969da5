"""Search on SQLite: FTS5 streams the matches in key (date) order, the words and tags of the
query narrowing them inside the index, joined to the entries under the queryset's WHERE."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection

if TYPE_CHECKING:
    from govoffice.records.search import Criteria, Match


def match_expression(c: Criteria) -> str:
    """The MATCH text: every word, the prefix, every filter tag, one of the visibility tags."""
    parts = [f'"{w}"' for w in c.query.whole]
    if c.query.prefix:
        words = c.prefix_words()
        if words is None:
            parts.append(f'"{c.query.words[-1]}" *')
        else:  # the words it stands for: FTS5 streams an OR, a prefix it would gather in full
            parts.append("(" + " OR ".join(f'"{w}"' for w in words) + ")")
    parts += [f'"{t}"' for t in c.tags]
    if c.visible:
        parts.append("(" + " OR ".join(f'"{t}"' for t in c.visible) + ")")
    return " AND ".join(parts)


def fetch(c: Criteria, n: int, *, newest: bool = True) -> list[Match]:
    from govoffice.records.search import MATCH_COLUMNS, Match

    where, params = c.where()
    columns = ", ".join(f"records_searchentry.{name}" for name in MATCH_COLUMNS)
    # CROSS JOIN keeps FTS5 outermost: it hands out rowids in order and the join stops at n.
    sql = (
        f"SELECT {columns} FROM records_searchentry_fts "  # noqa: S608  (Django's compiled WHERE, parameters apart)
        "CROSS JOIN records_searchentry ON records_searchentry.id = records_searchentry_fts.rowid "
        "WHERE records_searchentry_fts MATCH %s "
        "AND records_searchentry_fts.rowid >= %s AND records_searchentry_fts.rowid < %s "
        f"AND ({where}) "
        f"ORDER BY records_searchentry_fts.rowid {'DESC' if newest else 'ASC'} LIMIT %s"
    )
    args: list[Any] = [match_expression(c), c.lo, c.hi, *params, n]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [Match(*row) for row in cursor.fetchall()]
