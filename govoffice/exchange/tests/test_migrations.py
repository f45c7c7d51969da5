"""The hub's migrations that only change Python-side state do no work in the database."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def test_time_ordered_ids_change_no_table(transactional_db) -> None:
    out = StringIO()
    call_command("sqlmigrate", "exchange", "0006", stdout=out)
    sql = out.getvalue().upper()
    # A plain AlterField would make SQLite copy the whole message table, documents included.
    assert "CREATE TABLE" not in sql and "INSERT INTO" not in sql and "ALTER TABLE" not in sql
