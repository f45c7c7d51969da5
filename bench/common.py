"""Helpers for benchmarks: a throw-away site, a real server, a load driver, percentiles, RSS.

Site: a temporary GOVOFFICE_DATA_DIR (SQLite file, secret key, static files), migrated.
  With DATABASE_URL set the site uses that PostgreSQL server: by default a fresh database
  `<name>_bench_<pid>_<hex>` created beside the given one and dropped at the end (the role needs
  CREATEDB); with --reuse-database the given database itself, as it is (setup is idempotent).
  GOVOFFICE_MODE is forced to development: production wants HTTPS and secure cookies.
Server (bench/_server.py, re-exported here): `govoffice serve --no-worker` on 127.0.0.1 and a
  free port, its output in DATA_DIR/server.log; memory (RSS, USS, sampled peak) and CPU time
  of its process tree via psutil.
Load (bench/_load.py, re-exported here): N threads, each with its own keep-alive httpx.Client,
  for a duration (and at most a request count); only loopback addresses are accepted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench._load import (  # re-exported: benchmarks import every helper from bench.common
    LOOPBACK,
    PASSWORD,
    Phase,
    csrf_token,
    drive,
    http_client,
    http_load,
    percentile,
    sign_in,
)
from bench._server import ROOT, Server, free_port, log

__all__ = [
    "LOOPBACK",
    "PASSWORD",
    "ROOT",
    "Phase",
    "Server",
    "Site",
    "add_server_arguments",
    "csrf_token",
    "drive",
    "free_port",
    "http_client",
    "http_load",
    "log",
    "machine_info",
    "percentile",
    "sign_in",
]

# ---- machine and database -------------------------------------------------------------


def database_vendor(url: str | None = None) -> str:
    url = os.environ.get("DATABASE_URL", "") if url is None else url
    if not url:
        return "sqlite"
    scheme = url.split(":", 1)[0]
    return "postgresql" if scheme in {"postgres", "postgresql", "pgsql", "postgis"} else scheme


def database_version(url: str | None = None) -> str | None:
    url = os.environ.get("DATABASE_URL", "") if url is None else url
    if database_vendor(url) == "sqlite":
        return sqlite3.sqlite_version
    try:
        import psycopg

        with psycopg.connect(_libpq(url), connect_timeout=5) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else None
    except Exception:  # the version is a nicety; a bench that needs the server will say why
        return None


def machine_info() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "database": database_vendor(),
        "database_version": database_version(),
        # Other work on the machine skews every figure: a high load average marks a noisy run.
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _libpq(url: str) -> str:
    return url.replace("postgis://", "postgresql://", 1).replace("pgsql://", "postgresql://", 1)


def _with_dbname(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


# ---- site and server --------------------------------------------------------------------


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """Options every server-backed benchmark shares."""
    parser.add_argument(
        "--workers", type=int, default=max(2, os.cpu_count() or 1), help="gunicorn processes"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="with DATABASE_URL: use that database as it is, not a fresh one beside it",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary data dir (path on stderr)"
    )


class Site:
    """A throw-away govoffice installation: data dir, environment, migrated database."""

    def __init__(self, *, reuse_database: bool = False, keep: bool = False) -> None:
        self.keep = keep
        self.data_dir = Path(tempfile.mkdtemp(prefix="govoffice-bench-"))
        self.given_url = os.environ.get("DATABASE_URL", "")
        self.fresh_db: str | None = None
        # Set by close() when the fresh database could not be dropped: put it in the results.
        self.cleanup_warning: str | None = None
        self.env = dict(os.environ)
        self.env.update(
            GOVOFFICE_DATA_DIR=str(self.data_dir),
            GOVOFFICE_MODE="development",
            GOVOFFICE_LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        if (
            self.env.get("GOVOFFICE_QUEUE") == "immediate"
        ):  # a test setting: not what runs in production
            self.env["GOVOFFICE_QUEUE"] = "sqlite"
        if self.given_url and not reuse_database:
            base = urlsplit(self.given_url).path.lstrip("/") or "govoffice"
            name = f"{base[:40]}_bench_{os.getpid()}_{secrets.token_hex(3)}"
            try:
                self._admin_sql(f'CREATE DATABASE "{name}"')
            except Exception as exc:
                shutil.rmtree(self.data_dir, ignore_errors=True)
                raise RuntimeError(
                    f"cannot create a fresh database ({exc}); "
                    "grant CREATEDB or pass --reuse-database"
                ) from exc
            self.fresh_db = name
            self.env["DATABASE_URL"] = _with_dbname(self.given_url, name)
        self.url = self.env.get("DATABASE_URL", "")

    def __enter__(self) -> Site:
        try:
            log(
                f"data dir {self.data_dir}; database {database_vendor(self.url)}"
                + (f" (fresh: {self.fresh_db})" if self.fresh_db else "")
            )
            self.manage("migrate", "--no-input", "-v", "0")
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Drop the fresh database and remove the data dir. Never raises for the drop: a run's
        figures are worth more than its clean-up, so a database that cannot be dropped leaves a
        warning in `cleanup_warning` (and on stderr) saying how to drop it later."""
        if self.fresh_db:
            name, self.fresh_db = self.fresh_db, None
            self.cleanup_warning = self._drop_database(name)
        if self.keep:
            log(f"kept {self.data_dir}")
        else:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def _drop_database(self, name: str) -> str | None:
        """DROP the fresh database; None when done, else a warning.

        `WITH (FORCE)` ends the sessions attached to it, but only those the bench's role may end:
        a session of another role (a superuser's psql, a monitoring tool) makes it fail with
        InsufficientPrivilege. So: end this role's own sessions first, try, and on
        InsufficientPrivilege or ObjectInUse wait a moment (the other session may be a passing
        one) and try once more.
        """
        import psycopg
        from psycopg import errors

        failure: Exception | None = None
        for attempt in range(2):
            try:
                self._admin_sql(_END_OWN_SESSIONS, (name,))
                self._admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return None
            except (errors.InsufficientPrivilege, errors.ObjectInUse) as exc:
                failure = exc
                if attempt == 0:
                    log(f"database {name} is in use by another role's session; trying again shortly")
                    time.sleep(_DROP_RETRY_SECONDS)
            except psycopg.Error as exc:  # the server went away, say: no point in retrying
                failure = exc
                break
        reason = str(failure).strip().splitlines()[0] if str(failure).strip() else ""
        warning = (
            f"the fresh database {name} was not dropped ({type(failure).__name__}: {reason})"
            f"{self._other_sessions(name)}; the figures are unaffected. Drop it later, as a role "
            f'that may end those sessions: DROP DATABASE "{name}" WITH (FORCE)'
        )
        log("WARNING: " + warning)
        return warning

    def _other_sessions(self, name: str) -> str:
        """Who else is attached to the database, for the warning ("" if it cannot be told)."""
        try:
            rows = self._admin_sql(_OTHER_SESSIONS, (name,))
        except Exception:  # a nicety: the warning stands without it
            return ""
        if not rows:
            return ""
        return "; attached: " + ", ".join(f"{role} (pid {pid}, {app or 'no application name'})" for pid, role, app in rows)

    def _admin_sql(self, sql: str, params: tuple[Any, ...] | None = None) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(
            _libpq(_with_dbname(self.given_url, "postgres")), autocommit=True, connect_timeout=10
        ) as conn:
            cur = conn.execute(sql, params)
            return list(cur.fetchall()) if cur.description else []

    def manage(self, *args: str, timeout: float = 600) -> str:
        """Run `python -m govoffice.cli ARGS` with this site's environment; its stdout."""
        proc = subprocess.run(
            [sys.executable, "-m", "govoffice.cli", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(
                f"govoffice {args[0]} failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}"
            )
        return proc.stdout

    def python(self, code: str, **params: Any) -> Any:
        """Run CODE in `govoffice shell`; PARAMS arrive as P; it sets RESULT, returned (JSON)."""
        script = f"import json\nP = json.loads({json.dumps(params)!r})\nRESULT = None\n{code}\nprint(json.dumps(RESULT))\n"
        lines = [ln for ln in self.manage("shell", "-c", script).splitlines() if ln.strip()]
        return json.loads(lines[-1])

    def ensure_users(
        self, usernames: list[str], *, password: str = PASSWORD, roles: tuple[str, ...] = ()
    ) -> None:
        """Create these people in one office (or reset their password): idempotent."""
        self.python(_ENSURE_USERS, usernames=usernames, password=password, roles=list(roles))

    def setup_django(self) -> None:
        """Configure Django in this process for this site (once per process), for bare parts."""
        os.environ.update(
            {k: v for k, v in self.env.items() if k.startswith(("GOVOFFICE_", "DATABASE_URL"))}
        )
        if "DATABASE_URL" not in self.env:
            os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govoffice.settings")
        import django
        from django.conf import settings

        django.setup()
        if Path(settings.DATA_DIR) != self.data_dir.resolve():
            raise RuntimeError("Django is already set up for another site in this process")

    def serve(self, *, workers: int, threads: int = 4, worker: bool = False) -> Server:
        """`govoffice serve` for this site; use it as a context manager."""
        return Server(
            env=self.env, data_dir=self.data_dir, workers=workers, threads=threads, worker=worker
        )


# How long close() waits before its second try at dropping the fresh database.
_DROP_RETRY_SECONDS = 2.0

# This role's own sessions on the database (its servers, in-process connections): ended first.
_END_OWN_SESSIONS = """
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE datname = %s AND usename = current_user AND pid <> pg_backend_pid()
"""

_OTHER_SESSIONS = """
SELECT pid, usename, application_name FROM pg_stat_activity
WHERE datname = %s AND pid <> pg_backend_pid() ORDER BY pid
"""

_ENSURE_USERS = """
from govoffice.directory.models import Agency, AgencyKind, RoleGrant, User
from govoffice.directory.services import create_agency, create_user
office = Agency.objects.filter(code="000.00.00.G22").first() or create_agency(
    actor=None, code="000.00.00.G22", name_vi="Văn phòng Chính phủ", name_en="Government Office",
    short_name="VPCP", kind=AgencyKind.MINISTERIAL_AGENCY, code_official=True)
for name in P["usernames"]:
    user = User.objects.filter(username=name).first()
    if user is None:
        create_user(actor=None, username=name, password=P["password"], agency=office, roles=P["roles"])
    else:
        user.set_password(P["password"]); user.is_active = True; user.save()
        for role in P["roles"]:
            RoleGrant.objects.get_or_create(user=user, role=role)
RESULT = len(P["usernames"])
"""
