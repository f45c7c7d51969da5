"""Public portal: status lookups/s and catalogue searches/s with p99, and the headroom over the launch surge.

Against a real `govoffice serve` (gunicorn, --workers x --threads) on 127.0.0.1, with the real
directory, the seed catalogue and --dossiers dossiers filed. Anonymous clients, as the surge is:
  lookup      GET /portal/lookup/?code=…   (the HTML page: one indexed query, a small template)
  lookup_api  GET /api/v1/portal/status/…  (the JSON answer)
  search      GET /portal/procedures/?q=…  (folded words, with and without diacritics; facets cached)
Each request carries X-Forwarded-For with one of many client addresses and the server trusts one
proxy (GOVOFFICE_PROXY_COUNT=1), as behind nginx: the per-address rate limits then apply per
simulated citizen, not to the one bench process.
The load comes from wrk (bench/_wrk.py, bench/_wrk.lua; installed when missing) or, with
--driver python, from Python threads with httpx; every answer is checked (a 200 showing the
looked-up dossier's status; a search, its result count).
Then the bare part in this process: the selector `public_status` (no HTTP, no template), one thread.
The surge: 4.3 million visits in the first 10 days; the peak hour carries 5% of a day.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import threading
import time
from typing import Any
from urllib.parse import quote_plus

from bench._wrk import ensure_wrk, wrk_load
from bench.common import Server, Site, add_server_arguments, http_client, http_load, log

SURGE_VISITS, SURGE_DAYS, PEAK_HOUR_SHARE = 4_300_000, 10, 0.05
QUERIES = [
    "ly lich tu phap",
    "lý lịch tư pháp",
    "ho chieu",
    "hộ chiếu",
    "giay phep lai xe",
    "đăng ký kinh doanh",
    "can cuoc",
    "khai sinh",
    "thuế",
    "bao hiem xa hoi",
    "xây dựng",
    "an toan thuc pham",
    "dat dai",
    "lao dong",
]
SEARCH_ANSWER = '<p role="status">'  # the result count: the catalogue answered the query
DRIVERS = {"wrk": "wrk, a C event loop, with bench/_wrk.lua", "python": "Python threads with httpx"}

_SETUP = """
from django.conf import settings
from django.utils import timezone
from govoffice.demo.loader import AGENCIES_CSV
from govoffice.directory.services import import_agencies
from govoffice.portal import receipts
from govoffice.portal.catalogue import load_seed
from govoffice.portal.models import Dossier, Procedure
import_agencies(AGENCIES_CSV.read_text(encoding="utf-8"))
load_seed()
procs = list(Procedure.objects.filter(level__gte=3))
fmt = receipts.format_for("dossier")
now = timezone.now()
rows = []
for i in range(P["n"]):
    p = procs[i % len(procs)]
    rows.append(Dossier(receipt_code=fmt.new(now.year), procedure=p, agency_id=p.agency_id, applicant_kind="citizen",
                        applicant_name="Bench", data={}, status=1 + i % 10, submitted_at=now, status_changed_at=now))
Dossier.objects.bulk_create(rows, batch_size=1000)
from django.utils import translation
from django.utils.html import escape
from govoffice.portal.models import Status
with translation.override(settings.LANGUAGE_CODE):  # what an anonymous visitor without a cookie reads
    labels = {s: escape(str(Status(s).label)) for s in Status.values}
RESULT = [[code, status, labels[status]] for code, status in Dossier.objects.values_list("receipt_code", "status")]
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--clients",
        type=int,
        default=16,
        help="concurrent clients (wrk connections, or Python threads)",
    )
    parser.add_argument("--duration", type=float, default=15.0, help="seconds for each phase")
    parser.add_argument("--dossiers", type=int, default=20000, help="dossiers in the database")
    parser.add_argument(
        "--driver",
        choices=("wrk", "python"),
        default=None,
        help="load driver: wrk (the default; Debian's package is installed when missing, else "
        "python is used) or python (threads with httpx, bench/_load.py)",
    )
    parser.add_argument("--driver-threads", type=int, default=1, help="wrk's threads (event loops)")
    add_server_arguments(parser)


def _addresses() -> Any:
    counter = itertools.count()
    lock = threading.Lock()

    def next_address() -> str:
        with lock:
            n = next(counter)
        return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"

    return next_address


# A lookup answer names its receipt code (so wrk, which cannot tell which request an answer is for,
# can check it): the code, then the status that answer must show.
CODE_PATTERN = "HS%-%d%d%d%d%-[0-9A-Z]+"


def _phase(
    server: Server,
    args: argparse.Namespace,
    wrk: str | None,
    targets: list[tuple[str, str]],
    checks: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One phase over TARGETS (path, text its answer must hold); a right answer is a 200 holding it."""
    cpu0 = server.cpu_seconds()
    with server.peak_rss() as peak:
        if wrk:
            needle = "" if checks else targets[0][1]
            out = wrk_load(
                wrk,
                server.url,
                [path for path, _text in targets],
                connections=args.clients,
                threads=args.driver_threads,
                duration=args.duration,
                checks=checks,
                pattern=CODE_PATTERN if checks else "",
                needle=needle,
            )
        else:
            out = _python_phase(server, args, targets)
    out["server_cpu_s"] = round(server.cpu_seconds() - cpu0, 2)
    # The server's own CPU per answered request: the figure that does not depend on the load driver.
    out["server_cpu_ms_per_request"] = (
        round(1000 * out["server_cpu_s"] / out["requests"], 2) if out["requests"] else None
    )
    cores = os.cpu_count() or 1
    # Shares of the machine's CPU time (all cores) over the phase: what the driver took from the server.
    out["driver_cpu_share"] = (
        round(out["driver_cpu_s"] / (out["seconds"] * cores), 3) if out["seconds"] else None
    )
    out["server_cpu_share"] = (
        round(out["server_cpu_s"] / (out["seconds"] * cores), 3) if out["seconds"] else None
    )
    out["peak_rss_mb"] = peak["rss_mb"]
    if out["errors"]:
        log(f"{out['errors']} errors; first: {out.get('first_error')}")
    return out


def _python_phase(
    server: Server, args: argparse.Namespace, targets: list[tuple[str, str]]
) -> dict[str, Any]:
    address = _addresses()
    rng = random.Random(7)

    def step(client: Any) -> bool:
        path, text = rng.choice(targets)
        resp = client.get(path, headers={"X-Forwarded-For": address()})
        return bool(resp.status_code == 200 and text in resp.text)

    cpu0 = time.process_time()  # this process is the driver (its RSS sampler thread aside)
    phase = http_load(server.url, step, clients=args.clients, duration=args.duration)
    out = phase.summary()
    out["driver_cpu_s"] = round(time.process_time() - cpu0, 2)
    return out


def _driver(args: argparse.Namespace) -> tuple[str, str | None]:
    if args.driver == "python":
        return "python", None
    wrk = ensure_wrk()
    if wrk:
        return "wrk", wrk
    if args.driver == "wrk":
        raise RuntimeError(
            "wrk is not installed and could not be installed (apt-get install wrk as root)"
        )
    log("wrk is not available: the Python driver runs instead (--driver python)")
    return "python", None


def run(args: argparse.Namespace) -> dict[str, Any]:
    driver, wrk = _driver(args)
    with Site(reuse_database=args.reuse_database, keep=args.keep) as site:
        site.env["GOVOFFICE_PROXY_COUNT"] = "1"
        log(f"seeding the catalogue and {args.dossiers} dossiers")
        rows: list[list[Any]] = site.python(_SETUP, n=args.dossiers)
        codes = [code for code, _status, _label in rows]
        page_checks = {code: f"<dd>{label}</dd>" for code, _status, label in rows}
        api_checks = {code: f'"status": {status},' for code, status, _label in rows}
        with site.serve(workers=args.workers, threads=args.threads) as server:
            with http_client(server.url) as warm:
                for path in (
                    "/portal/",
                    "/portal/procedures/?q=ho+chieu",
                    f"/portal/lookup/?code={codes[0]}",
                ):
                    for _ in range(10):
                        if warm.get(path).status_code != 200:
                            raise RuntimeError(f"warm-up failed for {path}: {server.log_tail()}")
            log(f"lookup phase: {args.clients} clients ({driver}), {args.duration:g}s")
            lookup = _phase(
                server,
                args,
                wrk,
                [(f"/portal/lookup/?code={c}", page_checks[c]) for c in codes],
                page_checks,
            )
            log("lookup_api phase")
            lookup_api = _phase(
                server,
                args,
                wrk,
                [(f"/api/v1/portal/status/{c}", api_checks[c]) for c in codes],
                api_checks,
            )
            log("search phase")
            search = _phase(
                server,
                args,
                wrk,
                [(f"/portal/procedures/?q={quote_plus(q)}", SEARCH_ANSWER) for q in QUERIES],
            )
        site.setup_django()
        bare = _bare_lookup(codes, args.duration)
    peak_per_second = SURGE_VISITS / SURGE_DAYS * PEAK_HOUR_SHARE / 3600
    return {
        "driver": driver,
        "lookup": lookup,
        "lookup_api": lookup_api,
        "search": search,
        "bare": {"public_status_inprocess": bare},
        "surge": {
            "visits": SURGE_VISITS,
            "days": SURGE_DAYS,
            "peak_hour_share_of_day": PEAK_HOUR_SHARE,
            "peak_views_per_second": round(peak_per_second, 2),
            "headroom_lookups": round(lookup["per_second"] / peak_per_second, 1),
            "headroom_searches": round(search["per_second"] / peak_per_second, 1),
        },
        "target": {
            "lookups_per_second": 1000,
            "p99_ms": 50,
            "met": lookup["per_second"] >= 1000 and lookup["p99_ms"] < 50,
            "met_by_api": lookup_api["per_second"] >= 1000 and lookup_api["p99_ms"] < 50,
        },
        "server": {"workers": args.workers, "threads": args.threads},
        "ratios": {
            "lookup_http_per_bare": round(lookup["per_second"] / bare["per_second"], 3)
            if bare["per_second"]
            else None
        },
        "notes": [
            f"The load driver ({DRIVERS[driver]}) runs on the same cores as the server: driver_cpu_share is its part "
            "of the machine's CPU time in each phase, server_cpu_share the server's.",
            "Every answer is checked: a 200 that shows the looked-up dossier's status (a search: its result count).",
            "The machine is shared with other engineers' work while this runs: see the load averages.",
            "A surge of views is mostly catalogue and lookup pages; the headroom divides the measured rate by the "
            "peak-hour rate of all visits.",
        ],
    }


def _bare_lookup(codes: list[str], duration: float) -> dict[str, Any]:
    from django.db import connection

    from bench.common import Phase
    from govoffice.portal.selectors import public_status

    rng = random.Random(3)
    phase = Phase()
    end = time.perf_counter() + min(duration, 5.0)
    t0 = time.perf_counter()
    while time.perf_counter() < end:
        s = time.perf_counter()
        ok = public_status(rng.choice(codes)) is not None
        phase.latencies.append(time.perf_counter() - s)
        phase.requests += 1 if ok else 0
        phase.errors += 0 if ok else 1
    phase.seconds = time.perf_counter() - t0
    connection.close()
    return phase.summary()
