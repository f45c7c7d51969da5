"""The SQLite settings: a new database file gets 16 KB pages and WAL; an older file keeps its pages."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.conf import settings

from govoffice.db.sqlite.base import DatabaseWrapper
from govoffice.db.tests.conftest import sqlite_wrapper


@pytest.fixture(autouse=True)
def _own_databases(own_databases: None) -> None:
    """These tests open their own files, not the test database."""


def _open(path: Path) -> DatabaseWrapper:
    wrapper = sqlite_wrapper(str(path), dict(settings.SQLITE_OPTIONS))  # the embedded default's own pragmas
    wrapper.ensure_connection()
    return wrapper


def _pragma(wrapper: DatabaseWrapper, name: str) -> object:
    with wrapper.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def test_a_new_database_file_has_16_kb_pages_and_wal(tmp_path) -> None:
    wrapper = _open(tmp_path / "new.sqlite3")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x BLOB)")
            cursor.execute("INSERT INTO t VALUES (zeroblob(50000))")
        assert _pragma(wrapper, "page_size") == 16384
        assert _pragma(wrapper, "journal_mode") == "wal"
    finally:
        wrapper.close()
    assert sqlite3.connect(tmp_path / "new.sqlite3").execute("PRAGMA page_size").fetchone()[0] == 16384


def test_an_existing_file_keeps_its_page_size_and_its_rows(tmp_path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.execute("PRAGMA page_size=4096")
    old.execute("CREATE TABLE t (x TEXT)")
    old.execute("INSERT INTO t VALUES ('Hà Nội')")
    old.commit()
    old.close()
    wrapper = _open(path)
    try:
        assert _pragma(wrapper, "page_size") == 4096
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT x FROM t")
            assert cursor.fetchall() == [("Hà Nội",)]
    finally:
        wrapper.close()
