"""Each database searches through its full-text index, and indexes the words as given."""

from __future__ import annotations

import pytest
from django.db import connection

from govoffice.records.models import Incoming
from govoffice.records.search import Filters, criteria_for
from govoffice.records.search_pg import VECTOR, tsquery
from govoffice.records.search_text import parse_query
from govoffice.records.tests.searchkit import desk, subjects  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_answers_a_word_query_from_the_gin_index(desk, make_user) -> None:  # noqa: F811
    desk.incoming("Quyết định phê duyệt quy hoạch")
    c = criteria_for(make_user("specialist"), parse_query("quy hoach"), Filters())
    assert c is not None
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # The query's expression must be the index's, to the letter: then the GIN index serves it.
        cursor.execute(f"EXPLAIN SELECT id FROM records_searchentry WHERE {VECTOR} @@ %s::tsquery", [tsquery(c)])
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert "records_searchentry_fts" in plan


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_own_parser_would_keep_a_notation_whole_which_is_why_it_is_not_used() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('simple', '123/qd-ttg vpcp.gov.vn')::text")
        assert "'123/qd-ttg'" in cursor.fetchone()[0]


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_keeps_the_fts5_table_in_step_by_triggers(desk) -> None:  # noqa: F811
    row = desk.incoming("Chỉ thị về phòng cháy")
    with connection.cursor() as cursor:
        count = "SELECT count(*) FROM records_searchentry_fts WHERE records_searchentry_fts MATCH %s"
        cursor.execute(count, ['"phong" AND "chay"'])
        assert cursor.fetchone()[0] == 1
        Incoming.objects.filter(pk=row.pk).update(subject="Chỉ thị về chữa cháy")
        from govoffice.records.search import reindex

        reindex("incoming", row.pk)
        cursor.execute(count, ['"phong" AND "chay"'])
        assert cursor.fetchone()[0] == 0
        cursor.execute(count, ['"chua" AND "_k_incoming"'])
        assert cursor.fetchone()[0] == 1


def test_a_reader_without_access_searches_nothing(desk, make_user) -> None:  # noqa: F811
    desk.incoming("Công văn thường")
    assert subjects(make_user("citizen"), "cong van") == []
