"""The demo year and the reports: generation time per scale, the annual report's time, dashboard page times.

`python -m bench report [--scales 0.01,0.1] [--postgres] [--repeat 5]`: for each database (SQLite;
and PostgreSQL with --postgres: DATABASE_URL, or the local default, a fresh database each time)
and each scale, a fresh site is migrated and loaded with the directory and logins
(`govoffice demo --no-year`, timed apart), then `govoffice demo --scale S --year 2019` generates
the year: wall time and each area's own time, and the rows made. At the largest scale:
  annual    annual_report(2019) in process, --repeat times after a warm-up (p50, max), beside the
            same six records and hub figures counted by bare SQL (the ratio is the ORM's and the
            other areas' share), and the `govoffice report annual --json` command's wall time;
  pages     each dashboard and the annual page rendered through Django's test client (no server,
            no network) as the demo login who may see it: p50 and max of --repeat runs.
The target (issue 7): the annual report under 2 s at scale 1 on both databases.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from typing import Any

from bench.common import Site, log

DEFAULT_PG = "postgres://govoffice:govoffice@127.0.0.1:5432/govoffice"
TARGET_ANNUAL_S = 2.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scales", default="0.01,0.1", help="comma-separated shares of 2019's volume (1 = a full year)")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of the report and of each page")
    parser.add_argument("--postgres", action="store_true", help=f"also PostgreSQL: DATABASE_URL, else {DEFAULT_PG}")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dirs")


_TIMINGS = r"""
import statistics, time
from django.db import connection
from django.test import Client
from django.utils import timezone
from govoffice.directory.models import User
from govoffice.records.models import Incoming
from govoffice.reports.annual import annual_report
from govoffice.reports.figures import office_agencies, year_bounds

def timed(fn, n):
    fn()  # warm-up
    out = []
    for _ in range(n):
        t = time.perf_counter(); fn(); out.append(time.perf_counter() - t)
    return {"p50_ms": round(statistics.median(out) * 1000, 1), "max_ms": round(max(out) * 1000, 1)}

report = annual_report(2019)
RESULT = {"figures": report.as_dict(), "annual": timed(lambda: annual_report(2019), P["repeat"])}
office = [a.pk for a in office_agencies()]
start, end = year_bounds(2019)
marks = ",".join(["%s"] * len(office))
bare = [
    (f"SELECT COUNT(*) FROM records_incoming WHERE agency_id IN ({marks}) AND year = %s AND arrival_number IS NOT NULL", [*office, 2019]),
    (f"SELECT COUNT(DISTINCT a.submission_id) FROM records_submissionaction a JOIN records_submission s ON s.id = a.submission_id WHERE a.action = 'submit' AND a.at >= %s AND a.at < %s AND s.agency_id IN ({marks})", [start, end, *office]),
    (f"SELECT COUNT(*) FROM records_outgoing WHERE agency_id IN ({marks}) AND state = 'issued' AND year = %s", [*office, 2019]),
    ("SELECT COUNT(*) FROM exchange_message WHERE kind = 'document' AND business_doc_type = 0 AND received_at >= %s AND received_at < %s", [start, end]),
    ("SELECT COUNT(*) FROM exchange_member m WHERE EXISTS (SELECT 1 FROM exchange_message x WHERE x.sender_id = m.agency_id AND x.received_at >= %s AND x.received_at < %s)", [start, end]),
]
def bare_sql():
    with connection.cursor() as cur:
        for sql, params in bare:
            cur.execute(sql, [connection.ops.adapt_datetimefield_value(p) if hasattr(p, "tzinfo") else p for p in params])
            cur.fetchone()
RESULT["bare_sql_records_and_hub"] = timed(bare_sql, P["repeat"])
last = Incoming.objects.filter(year=2019).order_by("-registered_at").values_list("registered_at", flat=True).first()
day = timezone.localdate(last).strftime("%d/%m/%Y") if last else ""
pages = {}
for username, url in [("vanthu", f"/reports/clerk/?day={day}"), ("phochunhiem", "/reports/leader/"),
                      ("phochunhiem", "/reports/national/?year=2019"), ("phochunhiem", "/reports/annual/?year=2019"),
                      ("phochunhiem", "/reports/annual/?year=2019&format=xlsx")]:
    client = Client()
    client.force_login(User.objects.get(username=username))
    status = client.get(url, HTTP_HOST="localhost").status_code
    pages[url] = {"status": status, **timed(lambda: client.get(url, HTTP_HOST="localhost"), P["repeat"])}
RESULT["pages"] = pages
"""


def _generate(site: Site, scale: float, seed: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    site.manage("demo", "--no-year", timeout=1800)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = site.manage("demo", "--scale", str(scale), "--year", "2019", "--seed", str(seed), timeout=7200)
    wall = time.perf_counter() - t0
    areas = {m.group(1): float(m.group(2)) for m in re.finditer(r"Demo year 2019, (\w+): generated in ([\d.]+) s", out)}
    skipped = re.findall(r"Demo year 2019, (\w+): no generator installed", out)
    rows = site.python(
        "from govoffice.exchange.models import Message, Delivery\n"
        "from govoffice.records.models import Incoming, Outgoing, Submission, Assignment\n"
        "RESULT = {m.__name__: m.objects.count() for m in (Message, Delivery, Incoming, Assignment, Submission, Outgoing)}"
    )
    return {"directory_and_logins_s": round(load_s, 1), "generate_s": round(wall, 1), "areas_s": areas,
            "skipped_areas": skipped, "rows": rows}


def _one_database(vendor: str, args: argparse.Namespace, scales: list[float]) -> dict[str, Any]:
    out: dict[str, Any] = {"scales": {}}
    for scale in scales:
        with Site(keep=args.keep) as site:
            log(f"{vendor}: generating the demo year at scale {scale}")
            out["scales"][str(scale)] = _generate(site, scale, args.seed)
            if scale != max(scales):
                continue
            t0 = time.perf_counter()
            site.manage("report", "annual", "--year", "2019", "--json")
            out["report_command_wall_s"] = round(time.perf_counter() - t0, 2)
            log(f"{vendor}: timing the annual report and the pages at scale {scale}")
            timings = site.python(_TIMINGS, repeat=args.repeat)
            out["largest_scale"] = scale
            out["annual_report"] = timings["annual"]
            out["bare_sql_records_and_hub"] = timings["bare_sql_records_and_hub"]
            out["annual_under_target"] = timings["annual"]["max_ms"] < TARGET_ANNUAL_S * 1000
            out["figures"] = timings["figures"]
            out["pages"] = timings["pages"]
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    scales = sorted(float(s) for s in args.scales.split(",") if s.strip())
    given = os.environ.get("DATABASE_URL", "")
    result: dict[str, Any] = {"target_annual_s": TARGET_ANNUAL_S}
    if not args.no_sqlite:
        os.environ.pop("DATABASE_URL", None)
        result["sqlite"] = _one_database("sqlite", args, scales)
    if args.postgres:
        os.environ["DATABASE_URL"] = given or DEFAULT_PG
        result["postgresql"] = _one_database("postgresql", args, scales)
    return result
