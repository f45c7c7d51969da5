"""Login and the home page: HTTP logins/s and signed-in home pages/s, beside their bare parts.

Phases, against a real `govoffice serve` (gunicorn, --workers x --threads) on 127.0.0.1:
  login  each client, as its own user, clears its cookies, GETs /login/ for the CSRF token
         and POSTs the credentials (one Argon2 verify each), again and again;
  home   each client signs in once, then GETs / again and again.
Then, with the server stopped, the bare parts in this process:
  home_inprocess  the same home view through Django's test Client (no HTTP, no gunicorn), one thread;
  argon2_verify   argon2-cffi PasswordHasher.verify with Django's parameters, one thread and
                  --clients threads (the machine's ceiling for logins).
Only successful logins are made and a client stops at its first failure, so django-axes
(lock after 5 failures for a username from one address) is never tripped.
"""

from __future__ import annotations

import argparse
import threading
import time
from typing import Any

import psutil

from bench.common import (
    PASSWORD,
    Phase,
    Server,
    Site,
    add_server_arguments,
    drive,
    http_client,
    log,
    sign_in,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (threads)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds for each phase")
    parser.add_argument(
        "--bare-duration",
        type=float,
        default=None,
        help="seconds for each bare part (default: --duration)",
    )
    parser.add_argument("--roles", default="clerk,specialist", help="roles of the bench users")
    add_server_arguments(parser)


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.clients < 1 or args.duration <= 0:
        raise SystemExit("--clients must be at least 1 and --duration positive")
    bare_duration = args.bare_duration = args.bare_duration or args.duration
    usernames = [f"bench-login-{i}" for i in range(1, args.clients + 1)]
    roles = tuple(r.strip() for r in args.roles.split(",") if r.strip())
    with Site(reuse_database=args.reuse_database, keep=args.keep) as site:
        site.ensure_users(usernames, roles=roles)
        with site.serve(workers=args.workers, threads=args.threads) as server:
            _warm_up(server, usernames[0])
            idle = server.memory_mb()
            log(f"login phase: {args.clients} clients, {args.duration:g}s")
            login = _measure(server, _login_phase, server.url, usernames, args.duration)
            log(f"home phase: {args.clients} clients, {args.duration:g}s")
            home = _measure(server, _home_phase, server.url, usernames, args.duration)
            after = server.memory_mb()
        log(f"bare parts: {bare_duration:g}s each")
        site.setup_django()
        inprocess = _home_inprocess(usernames[0], bare_duration).summary()
        argon2_params, one, many = _raw_argon2(bare_duration, args.clients)
    return {
        "login": login,
        "home": home,
        "server": {
            "workers": args.workers,
            "threads": args.threads,
            "idle": idle,
            "after_load": after,
            "peak_rss_mb": max(login["peak_rss_mb"], home["peak_rss_mb"]),
        },
        "bare": {
            "home_inprocess": inprocess,
            "argon2_verify": one,
            "argon2_verify_concurrent": many,
            "argon2_parameters": argon2_params,
        },
        "ratios": {
            "home_http_per_inprocess": _ratio(home["per_second"], inprocess["per_second"]),
            "home_http_p50_over_inprocess_p50": _ratio(home["p50_ms"], inprocess["p50_ms"]),
            "login_per_argon2_verify": _ratio(login["per_second"], one["per_second"]),
            "login_per_argon2_ceiling": _ratio(
                login["per_second"], max(one["per_second"], many["per_second"])
            ),
            "login_p50_over_verify_p50": _ratio(login["p50_ms"], one["p50_ms"]),
        },
        "notes": [
            "HTTP phases use every gunicorn worker (all cores) and the load threads share those cores; "
            "home_inprocess and argon2_verify use one thread, argon2_verify_concurrent --clients threads.",
            "Argon2 with parallelism 8 already spreads one verify over the cores, so the ceiling is "
            "the better of argon2_verify and argon2_verify_concurrent.",
            "A login is GET /login/ plus POST /login/ (one Argon2 verify, a new session, an axes access log row).",
            "peak_rss_mb is sampled every 0.25 s over a whole phase, the home phase's sign-ins included; "
            "each Argon2 verify holds memory_cost KiB while it runs.",
        ],
    }


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def _measure(server: Server, phase_fn: Any, *args: Any) -> dict[str, Any]:
    """Run one HTTP phase, with the server's peak RSS and both sides' CPU time."""
    me = psutil.Process()
    cpu0, mine0 = server.cpu_seconds(), sum(me.cpu_times()[:2])
    with server.peak_rss() as peak:
        phase: Phase = phase_fn(*args)
    out = phase.summary()
    out["peak_rss_mb"] = peak["rss_mb"]
    out["server_cpu_s"] = round(server.cpu_seconds() - cpu0, 2)
    out["bench_cpu_s"] = round(sum(me.cpu_times()[:2]) - mine0, 2)
    if phase.errors:
        log(f"{phase.errors} errors; first: {phase.first_error}")
    return out


def _users(usernames: list[str]) -> Any:
    """A thread-safe handout: each client thread takes the next username."""
    names = iter(usernames)
    lock = threading.Lock()

    def take() -> str:
        with lock:
            return next(names)

    return take


def _warm_up(server: Server, username: str) -> None:
    with http_client(server.url) as client:
        if not sign_in(client, username):
            raise RuntimeError(f"the bench user cannot sign in: {server.log_tail()}")
        for _ in range(20):
            client.get("/")


def _login_phase(url: str, usernames: list[str], duration: float) -> Phase:
    take = _users(usernames)
    return drive(
        lambda s: sign_in(s[0], s[1]),
        threads=len(usernames),
        duration=duration,
        setup=lambda: (http_client(url), take()),
        teardown=lambda s: s[0].close(),
        stop_on_error=True,
    )  # one failure per user at most: far below axes' limit


def _home_phase(url: str, usernames: list[str], duration: float) -> Phase:
    take = _users(usernames)

    def setup() -> Any:
        client = http_client(url)
        if not sign_in(client, take()):
            client.close()
            raise RuntimeError("sign-in failed")
        return client

    return drive(
        lambda c: c.get("/").status_code == 200,
        threads=len(usernames),
        duration=duration,
        setup=setup,
        teardown=lambda c: c.close(),
    )


def _home_inprocess(username: str, duration: float) -> Phase:
    from django.test import Client

    from govoffice.directory.models import User

    client = Client()
    # force_login: the axes backend wants a request, and the point here is the view, not Argon2.
    client.force_login(
        User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
    )
    if client.get("/").status_code != 200:
        raise RuntimeError("the in-process home page is not 200")
    for _ in range(20):
        client.get("/")
    return drive(
        lambda c: c.get("/").status_code == 200, threads=1, duration=duration, setup=lambda: client
    )


def _raw_argon2(
    duration: float, threads: int
) -> tuple[dict[str, int], dict[str, Any], dict[str, Any]]:
    import argon2
    from django.contrib.auth.hashers import Argon2PasswordHasher

    params = {
        "time_cost": Argon2PasswordHasher.time_cost,
        "memory_cost": Argon2PasswordHasher.memory_cost,
        "parallelism": Argon2PasswordHasher.parallelism,
    }
    hasher = argon2.PasswordHasher(
        time_cost=params["time_cost"],
        memory_cost=params["memory_cost"],
        parallelism=params["parallelism"],
        type=argon2.Type.ID,
    )
    encoded = hasher.hash(PASSWORD)
    start = time.perf_counter()
    hasher.verify(encoded, PASSWORD)
    log(f"one argon2 verify: {(time.perf_counter() - start) * 1000:.0f} ms")
    one = drive(lambda _: hasher.verify(encoded, PASSWORD), threads=1, duration=duration).summary()
    many = drive(
        lambda _: hasher.verify(encoded, PASSWORD), threads=threads, duration=duration
    ).summary()
    return params, one, many
