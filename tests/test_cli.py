"""The `govoffice` command as an operator runs it: real subprocesses, real exit codes."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


def govoffice(*args: str, env: dict[str, str] | None = None, data_dir: Path) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "GOVOFFICE_DATA_DIR": str(data_dir), **(env or {})}
    full_env.pop("DATABASE_URL", None)
    full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' fixtures
    return subprocess.run(
        [sys.executable, "-m", "govoffice.cli", *args], capture_output=True, text=True, env=full_env, cwd=ROOT, timeout=120,
    )


def test_production_mode_passes_the_deploy_checks(tmp_path: Path) -> None:
    env = {
        "GOVOFFICE_MODE": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "GOVOFFICE_ALLOWED_HOSTS": "govoffice.example.gov.vn",
        "GOVOFFICE_FAST_PASSWORD_HASH": "0",
    }
    result = govoffice("check", "--deploy", "--fail-level", "WARNING", env=env, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr


def test_production_mode_without_a_secret_key_is_one_clear_line(tmp_path: Path) -> None:
    result = govoffice("check", env={"GOVOFFICE_MODE": "production", "SECRET_KEY": ""}, data_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "govoffice: configuration error: SECRET_KEY must be set when GOVOFFICE_MODE=production"


def test_a_bad_setting_is_named(tmp_path: Path) -> None:
    result = govoffice("check", env={"GOVOFFICE_MODE": "staging"}, data_dir=tmp_path)
    assert result.returncode == 2
    assert "GOVOFFICE_MODE" in result.stderr and "Traceback" not in result.stderr


def test_the_development_secret_key_is_generated_once_into_the_data_folder(tmp_path: Path) -> None:
    assert govoffice("check", env={"SECRET_KEY": ""}, data_dir=tmp_path).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert govoffice("check", env={"SECRET_KEY": ""}, data_dir=tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_an_unknown_command_exits_non_zero(tmp_path: Path) -> None:
    result = govoffice("frobnicate", data_dir=tmp_path)
    assert result.returncode != 0
    assert "Unknown command" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_serve_runs_the_web_server_and_the_worker_and_demo_loads(tmp_path: Path) -> None:
    assert govoffice("migrate", "--no-input", "-v", "0", data_dir=tmp_path).returncode == 0
    demo = govoffice("demo", data_dir=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "vanthu" in demo.stdout and "password for all" in demo.stdout
    again = govoffice("demo", data_dir=tmp_path)  # loading twice changes nothing
    assert again.stdout.splitlines()[0] == demo.stdout.splitlines()[0]
    port = _free_port()
    env = {**os.environ, "GOVOFFICE_DATA_DIR": str(tmp_path), "GOVOFFICE_QUEUE": "sqlite"}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "govoffice.cli", "serve", "--port", str(port), "--workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert response.json() == {"status": "ok", "database": "ok"}
        login = httpx.get(f"http://127.0.0.1:{port}/login/", timeout=5)
        assert login.status_code == 200 and 'lang="vi"' in login.text
        children = subprocess.run(["pgrep", "-f", "-s", str(server.pid), "run_huey"], capture_output=True, text=True)
        assert children.stdout.strip(), "the background worker is not running"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_serve_refuses_a_bad_port(tmp_path: Path) -> None:
    result = govoffice("serve", "--port", "70000", data_dir=tmp_path)
    assert result.returncode == 1
    assert "is not a port number" in result.stderr
