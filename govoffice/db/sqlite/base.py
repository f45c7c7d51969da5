"""SQLite, with writers that wait their turn on a file lock instead of SQLite's sleeps.

Every transaction here starts with BEGIN IMMEDIATE (settings: one writer at a time, the others
queue at BEGIN). SQLite makes a writer that finds the lock taken sleep and try again, in steps
that grow to 100 ms: with several processes writing (two gunicorn workers, the queue worker),
the lock is often free while every waiter sleeps, and the cores idle. Here a writer first takes
an exclusive flock on a file beside the database (`<db>.writelock`), held until its commit or
rollback: the kernel wakes the next writer the moment the lock is released, threads and
processes alike (each connection has its own open file, and flock locks belong to the open
file). SQLite's own locking is untouched and stays the guarantee; the file lock only orders
the queue. A process that dies holding it releases it with its files.

In-memory databases (the tests) have no file and keep SQLite's own waiting.
"""

from __future__ import annotations

import fcntl
import os
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
            self._lock_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)  # blocks with the GIL released
        self._lock_held = True

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
