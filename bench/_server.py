"""A real `govoffice serve` in a subprocess (re-exported by bench.common; import from there).

It listens on 127.0.0.1 and a free port, writes its output to DATA_DIR/server.log (never to
our stdout, which carries the JSON), and is stopped with SIGTERM (gunicorn's graceful stop).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`govoffice serve` in a subprocess; a context manager that waits for /healthz."""

    def __init__(
        self, *, env: dict[str, str], data_dir: Path, workers: int, threads: int, worker: bool
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "server.log"
        cmd = [
            sys.executable,
            "-m",
            "govoffice.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ]
        if not worker:
            cmd.append("--no-worker")
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def __enter__(self) -> Server:
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        with httpx.Client(trust_env=False, timeout=2) as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"server exited ({self.proc.returncode}): {self.log_tail()}")
                try:
                    if client.get(f"{self.url}/healthz").status_code == 200:
                        log(f"server ready at {self.url} (pid {self.proc.pid})")
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        raise RuntimeError(f"server not ready after {timeout:.0f}s: {self.log_tail()}")

    def log_tail(self, chars: int = 2000) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-chars:]

    def processes(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.proc.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def memory_mb(self) -> dict[str, float]:
        """RSS summed over the process tree (counts shared pages once per process) and USS."""
        rss = uss = 0
        for proc in self.processes():
            try:
                info = proc.memory_full_info()
                rss += info.rss
                uss += getattr(info, "uss", 0)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return {"rss_mb": round(rss / 2**20, 1), "uss_mb": round(uss / 2**20, 1)}

    @contextlib.contextmanager
    def peak_rss(self, interval: float = 0.25) -> Iterator[dict[str, float]]:
        """Sample the tree's RSS in the background while the block runs; yields {"rss_mb": max}."""
        peak = {"rss_mb": 0.0}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                rss = 0
                for proc in self.processes():
                    with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                        rss += proc.memory_info().rss
                peak["rss_mb"] = max(peak["rss_mb"], round(rss / 2**20, 1))
                done.wait(interval)

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        try:
            yield peak
        finally:
            done.set()
            thread.join()

    def cpu_seconds(self) -> float:
        total = 0.0
        for proc in self.processes():
            try:
                t = proc.cpu_times()
                total += t.user + t.system
            except psutil.NoSuchProcess:
                continue
        return total

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # gunicorn's graceful stop
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # our own session, started above
                self.proc.wait(timeout=5)
        self._log.close()
