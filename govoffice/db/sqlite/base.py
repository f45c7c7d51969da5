"""SQLite, with writers that wait their turn on a file lock instead of SQLite's sleeps.

Every transaction here starts with BEGIN IMMEDIATE (settings: one writer at a time, the others
queue at BEGIN). SQLite makes a writer that finds the lock taken sleep and try again, in steps
that grow to 100 ms: with several processes writing (two gunicorn workers, the queue worker),
the lock is often free while every waiter sleeps, and the cores idle. Here a writer first takes
an exclusive flock on a file beside the database (`<db>.writelock`), held until its commit or
rollback; a writer that finds it taken looks again after naps that grow to 2 ms at most (not
100), threads and processes alike (each connection has its own open file, and flock locks
belong to the open file). SQLite's own locking is untouched and stays the guarantee; the file lock only orders
the queue. A process that dies holding it releases it with its files. The wait is bounded by the
database's `timeout` (naps of at most 2 ms; flock itself has no timeout).

In-memory databases (the tests) have no file and keep SQLite's own waiting.
"""

from __future__ import annotations

import fcntl
import os
import time
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _lock_fd: int | None = None
    _lock_held = False

    def _lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}.writelock"

    def _take_write_lock(self) -> None:
        if self._lock_held:
            return
        if self._lock_fd is None:
            path = self._lock_path()
            if path is None:
                return
            self._lock_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o660)  # the queue worker may run as another user of the group
        # Waited for in short naps, never longer than the database's own timeout: a transaction
        # that hangs (a stalled mail server, say) must not stop every other writer for good.
        # After the timeout, BEGIN goes ahead without the queue and SQLite's own busy timeout
        # answers "database is locked" as it did before.
        deadline = time.monotonic() + float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        nap = 0.0002
        while True:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return
                time.sleep(nap)
                nap = min(nap * 2, 0.002)
                continue
            self._lock_held = True
            return

    def _release_write_lock(self) -> None:
        if self._lock_held and self._lock_fd is not None:
            self._lock_held = False
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self) -> None:
        if getattr(self, "transaction_mode", None) in ("IMMEDIATE", "EXCLUSIVE"):
            self._take_write_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private in Django's backends, absent from the stubs
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]  # private in Django's backends, absent from the stubs
        finally:
            self._release_write_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]  # private in Django's backends, absent from the stubs
        finally:
            self._release_write_lock()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]  # private in Django's backends, absent from the stubs
        finally:
            self._release_write_lock()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
