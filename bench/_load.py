"""The load driver and its statistics (re-exported by bench.common; import from there).

drive() runs a step in N threads for a duration (and at most a request count), timing each;
http_load() gives each thread its own keep-alive httpx.Client to 127.0.0.1 only.
"""

from __future__ import annotations

import http.client
import itertools
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PASSWORD = "Bench-mật-khẩu-2026!"


def percentile(sorted_values: list[float], p: float) -> float:
    """The p-th percentile (0-100) of already sorted values, linearly interpolated."""
    if not sorted_values:
        return 0.0
    k = (len(sorted_values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


@dataclass
class Phase:
    """What one timed phase did: counts, wall time, every latency (seconds)."""

    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    first_error: str = ""

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        out: dict[str, Any] = {
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "per_second": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
        }
        for p in (50, 95, 99):
            out[f"p{p}_ms"] = round(percentile(lat, p) * 1000, 2)
        out["max_ms"] = round(lat[-1] * 1000, 2) if lat else 0.0
        if self.first_error:
            out["first_error"] = self.first_error
        return out


def drive(
    step: Callable[[Any], bool],
    *,
    threads: int,
    duration: float,
    setup: Callable[[], Any] | None = None,
    teardown: Callable[[Any], None] | None = None,
    max_requests: int | None = None,
    stop_on_error: bool = False,
) -> Phase:
    """Run STEP(state) in THREADS threads for DURATION s (or MAX_REQUESTS in all); time each.

    SETUP() makes each thread's state before the clock starts; STEP returns False (or raises)
    for an error, which stops that thread when STOP_ON_ERROR.
    """
    phase = Phase()
    lock = threading.Lock()
    issued = itertools.count()
    barrier = threading.Barrier(threads + 1)

    def worker() -> None:
        state, latencies, errors, first = None, [], 0, ""
        try:
            state = setup() if setup else None
            barrier.wait()
            deadline = time.perf_counter() + duration
            while time.perf_counter() < deadline and (
                max_requests is None or next(issued) < max_requests
            ):
                t0 = time.perf_counter()
                try:
                    ok = step(state)
                except Exception as exc:  # counted, and reported once
                    ok, first = False, first or f"{type(exc).__name__}: {exc}"
                latencies.append(time.perf_counter() - t0)
                if not ok:
                    errors += 1
                    first = first or "step reported a failure"
                    if stop_on_error:
                        break
        except threading.BrokenBarrierError:
            pass
        except Exception as exc:  # a failed setup stops the whole phase
            first = f"setup: {type(exc).__name__}: {exc}"
            errors += 1
            barrier.abort()
        finally:
            if teardown and state is not None:
                teardown(state)
            with lock:
                phase.latencies.extend(latencies)
                phase.requests += len(latencies) - errors
                phase.errors += errors
                phase.first_error = phase.first_error or first

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        pass
    t0 = time.perf_counter()
    for t in pool:
        t.join()
    phase.seconds = time.perf_counter() - t0
    return phase


def http_client(base_url: str) -> httpx.Client:
    """A keep-alive client for the local server only (never a proxy, never elsewhere)."""
    if urlsplit(base_url).hostname not in LOOPBACK:
        raise ValueError(f"benchmarks only talk to this machine, not {base_url}")
    return httpx.Client(base_url=base_url, trust_env=False, timeout=60, follow_redirects=False)


class RawGet:
    """GETs on one kept-alive connection of the standard library's http.client, for big answers.

    httpx costs ~8 times the CPU to take in a large body (a 6.7 MB inbox page of 100 documents:
    0.11 against 0.014 ms a document), and the load threads share the server's cores.
    """

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(base_url)
        if parts.hostname not in LOOPBACK:
            raise ValueError(f"benchmarks only talk to this machine, not {base_url}")
        self.host, self.port = parts.hostname, parts.port or 80
        self.headers = headers
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str, params: dict[str, Any]) -> bytes:
        """The body of a 200 answer; httpx.HTTPStatusError-like ValueError for any other status."""
        target = f"{path}?{urlencode(params)}" if params else path
        while True:
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request("GET", target, headers=self.headers)
                response = self.conn.getresponse()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # Closed before any answer: on a kept-alive connection, the server had closed it
                # while idle and never saw the request; once more, afresh. Anything else (a
                # timeout, a cut-off body) may follow a request the server ran: never repeated,
                # as a GET of the inbox leases what it answers.
                self.close()
                if reused:
                    continue
                raise
            except (OSError, http.client.HTTPException):
                self.close()
                raise
            try:
                body = response.read()
            except (OSError, http.client.HTTPException):
                self.close()
                raise
            if response.status != 200:
                raise ValueError(f"GET {path}: HTTP {response.status}: {body[:300]!r}")
            return body

    def __enter__(self) -> RawGet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def http_load(
    base_url: str,
    step: Callable[[httpx.Client], bool],
    *,
    clients: int,
    duration: float,
    setup: Callable[[httpx.Client], None] | None = None,
    **kwargs: Any,
) -> Phase:
    """drive() with one httpx.Client per thread; SETUP(client) runs before the clock starts."""

    def make() -> httpx.Client:
        client = http_client(base_url)
        if setup:
            setup(client)
        return client

    return drive(
        step, threads=clients, duration=duration, setup=make, teardown=lambda c: c.close(), **kwargs
    )


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    if not match:
        raise ValueError("no CSRF token in the page")
    return match.group(1)


def sign_in(client: httpx.Client, username: str, password: str = PASSWORD) -> bool:
    """GET /login/ for the CSRF token, POST it with the credentials; True when redirected in."""
    client.cookies.clear()
    page = client.get("/login/")
    if page.status_code != 200:
        return False
    resp = client.post(
        "/login/",
        data={
            "csrfmiddlewaretoken": csrf_token(page.text),
            "username": username,
            "password": password,
            "next": "",
        },
    )
    return resp.status_code == 302 and "sessionid" in client.cookies
