"""The SQLite backend's queue for writers: a file lock taken at BEGIN and let go at commit or rollback."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

import pytest
from django.db import OperationalError

from govoffice.db.sqlite.base import DatabaseWrapper
from govoffice.db.tests.conftest import sqlite_wrapper


def _wrapper(name: str, timeout: float = 30) -> DatabaseWrapper:
    return sqlite_wrapper(name, {"transaction_mode": "IMMEDIATE", "timeout": timeout})


def _begin(w: DatabaseWrapper) -> None:
    w.ensure_connection()
    w.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(w: DatabaseWrapper, commit: bool = True) -> None:
    w.commit() if commit else w.rollback()
    w.set_autocommit(True)


def _free(path: Path) -> bool:
    """Whether another open file could take the lock now (without waiting)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


@pytest.fixture(autouse=True)
def _own_databases(own_databases: None) -> None:
    """These tests open their own files, not the test database."""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.sqlite3"
    w = _wrapper(str(path))
    w.ensure_connection()
    with w.cursor() as c:
        c.execute("CREATE TABLE t (n INTEGER)")
    w.close()
    return path


@pytest.mark.parametrize("commit", [True, False])
def test_the_lock_is_held_from_begin_to_commit_or_rollback(db: Path, commit: bool) -> None:
    lock = Path(f"{db}.writelock")
    w = _wrapper(str(db))
    _begin(w)
    assert lock.exists() and not _free(lock)
    with w.cursor() as c:
        c.execute("INSERT INTO t VALUES (1)")
    _end(w, commit)
    assert _free(lock)
    with w.cursor() as c:
        c.execute("SELECT count(*) FROM t")
        assert c.fetchone()[0] == (1 if commit else 0)
    w.close()


def test_a_second_writer_waits_for_the_first_to_commit(db: Path) -> None:
    first, order = _wrapper(str(db)), []
    _begin(first)
    with first.cursor() as c:
        c.execute("INSERT INTO t VALUES (1)")

    def second_writer() -> None:
        w = _wrapper(str(db))
        _begin(w)  # queues on the file lock
        with w.cursor() as c:
            c.execute("SELECT count(*) FROM t")
            order.append(("second sees", c.fetchone()[0]))
            c.execute("INSERT INTO t VALUES (2)")
        _end(w)
        w.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    thread.join(0.3)
    assert thread.is_alive() and order == []  # still waiting: the first has not committed
    order.append(("first commits", 1))
    _end(first)
    thread.join(10)
    assert not thread.is_alive()
    assert order == [("first commits", 1), ("second sees", 1)]
    first.close()


def test_a_writer_waits_no_longer_than_the_database_timeout(db: Path) -> None:
    """A transaction that hangs holding the lock: the next writer gets SQLite's "database is locked", not a hang."""
    first = _wrapper(str(db))
    _begin(first)
    outcome: list[str] = []

    def second_writer() -> None:
        w = _wrapper(str(db), timeout=0.3)
        try:
            _begin(w)
            outcome.append("began")
        except OperationalError as exc:
            outcome.append(str(exc))
        finally:
            w.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    thread.join(20)
    alive = thread.is_alive()
    _end(first, commit=False)
    thread.join(10)
    first.close()
    assert not alive and outcome == ["database is locked"]


def test_closing_a_connection_lets_the_lock_go(db: Path) -> None:
    lock = Path(f"{db}.writelock")
    w = _wrapper(str(db))
    _begin(w)
    assert not _free(lock)
    w.close()  # e.g. a request that ends with its transaction broken
    assert _free(lock)


def test_an_in_memory_database_has_no_lock_file(tmp_path: Path) -> None:
    w = _wrapper(":memory:")
    _begin(w)
    with w.cursor() as c:
        c.execute("CREATE TABLE t (n INTEGER)")
    _end(w)
    assert w._lock_fd is None
    w.close()
