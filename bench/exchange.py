"""The national hub: signed ~50 KB edXML accepted and delivered per second, beside the bare pipeline.

For each database (SQLite always unless --no-sqlite; PostgreSQL too, in a fresh database, when
DATABASE_URL is set or --postgres is given), against a real `govoffice serve` (--workers
gunicorn processes, default one per core) on 127.0.0.1:
  enrol       the directory is imported; --senders ministries and --receivers provinces are
              enrolled (keys, certificates, API keys, agent folders) in one `govoffice shell`;
  calibrate   a short send burst (also the warm-up) sizes the batches to pre-sign, unless
              --messages is given; every message is signed before the clock starts;
  send_only   one thread per sender POSTs its signed documents one a request (distinct
              DocumentIds, each with an Idempotency-Key, one recipient each) for --seconds:
              201s per second, p50/p99 latency, server CPU and peak RSS of the whole server tree;
  delivery_only  one thread per recipient leases its inbox (100 at a time), with the signed
              edXML of each message in the page (include_edxml; --fetch: a GET of each one
              instead; --no-download: neither, as the figures before 30/11 06:39 were), and
              acknowledges every message one a request;
  send_batch  the same, --batch documents a request (POST /messages/batch; default 100, as the
              agent sends them); the latencies are those of whole requests;
  delivery_bulk  what send_batch left, downloaded the same way, each lease acknowledged in
              one POST /acks;
  end_to_end  senders (--batch a request) and recipients (bulk acks) together for --seconds,
              then until every message accepted is acknowledged: accepted-and-delivered
              messages per second (--batch 1: one message and one ack a request, as before);
  check       every accepted message has exactly one delivery per recipient, all acknowledged.
Then, with the server stopped, in a child process with the same data (bench/_hub_inprocess.py):
  bare        parse (edxml.parse_bytes) + XML-DSig check (xmlsig.verify, with the engine the
              hub uses: python-xmlsec where it loads, else signxml) + one Message row committed
              in a transaction; in one process and in one process per core;
  bare_signxml  the same with signxml's check, when the hub's engine is xmlsec;
  verify      CPU per message: parse alone, parse + signxml, parse + xmlsec;
  service     exchange.services.messages.accept_document in-process, the same two ways;
  service_batch  exchange.services.batch.accept_documents, --batch documents a call;
  django_view the API view through Django's test client (middleware, auth, ninja), no socket;
  service_delivery  lease_inbox with the documents (each page's items built as the API builds
              them and written by orjson, without ninja's validation) + acknowledge_many
              in-process for what the service parts sent;
  profile     cProfile of accept_document: ms per message by stage, the top functions, and
              the SQL queries of one send, one lease and one ack.
The ratios compare the HTTP rates with the bare pipeline on all cores (what the same machine
can do without HTTP, Django or the hub's bookkeeping); `national_year` is the time to replay
1.2 million messages at the measured rates.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import psutil

from bench._hub import (
    Delivered,
    Signer,
    Tally,
    deliver_phase,
    enrol,
    presign,
    send_phase,
    top_level_codes,
)
from bench.common import ROOT, Server, Site, add_server_arguments, log
from bench.common import database_vendor as _vendor

NATIONAL_YEAR = 1_200_000
TARGETS = {"sqlite": 1000, "postgresql": 600}
TARGET_RATIO_TO_BARE = 0.5
LOCAL_POSTGRES = "postgres://govoffice:govoffice@127.0.0.1:5432/govoffice"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds for each timed phase")
    parser.add_argument("--senders", type=int, default=8, help="sending agencies, one thread each")
    parser.add_argument(
        "--receivers", type=int, default=4, help="receiving agencies, one thread each"
    )
    parser.add_argument("--size-kb", type=float, default=50.0, help="size of each signed message")
    parser.add_argument(
        "--messages",
        type=int,
        default=None,
        help="messages per sender and phase (default: calibrated)",
    )
    parser.add_argument(
        "--bare-seconds",
        type=float,
        default=None,
        help="seconds for each in-process part (default: min(5, --seconds))",
    )
    download = parser.add_mutually_exclusive_group()
    download.add_argument(
        "--fetch",
        action="store_true",
        help="recipients GET each signed edXML before acknowledging it, instead of taking the "
        "documents in the inbox page",
    )
    download.add_argument(
        "--no-download",
        action="store_true",
        help="recipients lease and acknowledge without downloading the documents (how 'delivered' "
        "was measured before 30/11/2026 06:39: not what an agency's system does)",
    )
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="",
        default=None,
        metavar="URL",
        help="also run on PostgreSQL (URL, else DATABASE_URL, else the local development server); "
        "a fresh database is created and dropped unless --reuse-database",
    )
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite run")
    parser.add_argument(
        "--profile-messages", type=int, default=200, help="messages profiled in-process"
    )
    parser.add_argument("--no-inprocess", action="store_true", help="skip the in-process parts")
    parser.add_argument(
        "--batch",
        type=int,
        default=100,
        help="messages per POST /messages/batch in send_batch and end_to_end (default 100, the "
        "agent's own batch size and the hub's limit; before 30/11/2026 09:30 the default was 50; "
        "1: one a request, and acknowledgements one a request too, as before batches existed)",
    )
    parser.add_argument(
        "--no-single", action="store_true", help="skip the one-message-a-request send_only phase"
    )
    add_server_arguments(parser)


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.seconds <= 0 or args.senders < 1 or args.receivers < 1 or args.size_kb < 1:
        raise SystemExit("--seconds, --senders, --receivers and --size-kb must be positive")
    if not 1 <= args.batch <= 100:
        raise SystemExit("--batch runs from 1 to 100 (the hub takes at most 100 a request)")
    if args.senders + args.receivers > len(top_level_codes()):
        raise SystemExit(
            f"at most {len(top_level_codes())} agencies in all (--senders + --receivers)"
        )
    args.bare_seconds = args.bare_seconds or min(5.0, args.seconds)
    urls: dict[str, str | None] = {}
    if not args.no_sqlite:
        urls["sqlite"] = None
    postgres = args.postgres
    if postgres is not None or os.environ.get("DATABASE_URL"):
        urls["postgresql"] = postgres or os.environ.get("DATABASE_URL") or LOCAL_POSTGRES
    if not urls:
        raise SystemExit("nothing to run: --no-sqlite and no PostgreSQL")
    results: dict[str, dict[str, Any]] = {}
    for name, url in urls.items():
        try:
            results[name] = _one_database(args, url)
        except Exception as exc:  # the other database's figures still stand
            log(f"{name} failed: {type(exc).__name__}: {exc}")
            results[name] = {"database": name, "error": f"{type(exc).__name__}: {str(exc)[-1500:]}"}
    if all("error" in r for r in results.values()):
        raise RuntimeError("; ".join(r["error"][:300] for r in results.values()))
    return {
        "databases": results,
        "summary": {name: _headline(name, r) for name, r in results.items() if "error" not in r},
        "targets": {"messages_per_second": TARGETS, "ratio_to_bare": TARGET_RATIO_TO_BARE},
        "notes": [
            "A message is one signed edXML document to one recipient; 'delivered' means the "
            "recipient leased it from its inbox, downloaded its signed edXML as the delivery "
            "result's 'download' says (inbox: in the leased page, include_edxml; each: a GET of "
            "each, --fetch; none: not at all, --no-download), checked what it downloaded against "
            "the listed SHA-256, and acknowledged it (bulk: one POST /acks a lease).",
            "The load threads run in this process on the same cores as the server: bench_cpu_s "
            "shows their share. Messages are signed before each phase, outside the timing.",
            "bare and service 'N_processes' run one forked process per core with no HTTP; the "
            "HTTP server runs --workers gunicorn processes of --threads threads.",
            "national_year: 1.2 million messages (the 2019 volume) replayed back to back at the "
            "measured rate.",
        ],
    }


@contextlib.contextmanager
def _database_env(url: str | None) -> Iterator[None]:
    """DATABASE_URL as this run wants it while the Site copies the environment."""
    saved = os.environ.get("DATABASE_URL")
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = saved


def _one_database(args: argparse.Namespace, url: str | None) -> dict[str, Any]:
    vendor = _vendor(url or "")
    log(f"=== {vendor} ===")
    with _database_env(url):
        site = Site(reuse_database=args.reuse_database, keep=args.keep)
    out: dict[str, Any] = {"database": vendor}
    try:
        return _measure_site(args, site, out)
    except Exception as exc:
        if "national_year" not in out:
            raise
        # The figures are in; only cleaning up failed (e.g. dropping the fresh database while
        # another role's session is connected to it): keep them and say so.
        log(f"{vendor}: cleaning up failed: {type(exc).__name__}: {exc}")
        out["cleanup_error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
        return out


def _measure_site(args: argparse.Namespace, site: Site, out: dict[str, Any]) -> dict[str, Any]:
    with site:
        codes = top_level_codes()
        sender_codes = codes[: args.senders]
        receiver_codes = codes[len(codes) - args.receivers :]  # provinces: the H codes sort last
        log(f"enrolling {len(sender_codes)} senders and {len(receiver_codes)} recipients")
        folders = enrol(site, sender_codes + receiver_codes)
        with site.serve(workers=args.workers, threads=args.threads) as server:
            signers = [Signer.load(f, server.url) for f in folders[: args.senders]]
            receivers = [Signer.load(f, server.url) for f in folders[args.senders :]]
            out.update(_http(args, server, signers, receivers))
        out["check"] = _check(site)
        if not args.no_inprocess:
            out["inprocess"] = _inprocess(args, site, folders[0], folders[args.senders])
            out["ratios"] = _ratios(out)
        out["national_year"] = _national_year(out)
    if getattr(site, "cleanup_warning", None):
        out["cleanup_warning"] = site.cleanup_warning
    return out


# ---- HTTP --------------------------------------------------------------------------------


def _http(
    args: argparse.Namespace, server: Server, signers: list[Signer], receivers: list[Signer]
) -> dict[str, Any]:
    to = [r.code for r in receivers]
    batch = args.batch
    bulk = batch > 1
    idle = server.memory_mb()
    log("warming up: every gunicorn thread imports, connects and loads the hub's key on first use")
    tally = Tally()
    warm = presign(
        signers, to, 2 * args.threads * args.workers // len(signers) + 2, args.size_kb, "WARM"
    )
    phase, _ = send_phase(server.url, signers, warm, 120, tally)
    if not phase.requests:
        raise RuntimeError(f"no message was accepted: {phase.first_error}\n{server.log_tail()}")
    _drain(server, receivers, tally, _download(args), bulk)
    per_sender = args.messages
    per_sender_batch = args.messages
    if per_sender is None:
        log("calibrating")
        per_sender = _calibrate(args, server, signers, receivers, to, 1, "CAL")
        per_sender_batch = (
            _calibrate(args, server, signers, receivers, to, batch, "CALB") if bulk else per_sender
        )
    sizes: list[int] = []
    out: dict[str, Any] = {}
    peaks: list[float] = []

    def send_and_deliver(name: str, size: int, count: int) -> None:
        queues = presign(signers, to, count, args.size_kb, name.upper().replace("_", ""))
        sizes.extend(len(m.raw) for q in queues[:1] for m in q[:50])
        tally = Tally()
        log(f"{name}: {len(signers)} senders, {size} a request, {args.seconds:g}s")
        with _measure(server) as usage:
            phase, _ = send_phase(server.url, signers, queues, args.seconds, tally, batch=size)
        out[name] = {
            **phase.summary(),
            "messages_per_request": size,
            "latency_is_per": "request" if size > 1 else "message",
            **usage,
            "server_cpu_ms_per_message": _per(usage["server_cpu_s"], phase.requests),
            "exhausted": _exhausted(phase, queues),
        }
        peaks.append(usage["peak_rss_mb"])
        del queues
        deliver = "delivery_only" if size == 1 else "delivery_bulk"
        log(f"{deliver}: {len(receivers)} recipients, {tally.accepted} messages, bulk acks {size > 1}")
        with _measure(server) as usage:
            started = time.perf_counter()
            delivered = deliver_phase(
                server.url,
                receivers,
                tally,
                expected=lambda: tally.accepted,
                download=_download(args),
                bulk_ack=size > 1,
            )
        out[deliver] = {
            **delivered.summary(started),
            "download": _download(args),
            "bulk_ack": size > 1,
            **usage,
            "server_cpu_ms_per_message": _per(usage["server_cpu_s"], delivered.acked),
        }
        peaks.append(usage["peak_rss_mb"])

    if not args.no_single:
        send_and_deliver("send_only", 1, per_sender)
    if bulk:
        send_and_deliver("send_batch", batch, per_sender_batch)

    # end to end, with batches and bulk acknowledgements unless --batch 1
    queues = presign(signers, to, per_sender_batch, args.size_kb, "E2E")
    tally = Tally()
    log(
        f"end_to_end: {len(signers)} senders ({batch} a request) and {len(receivers)} recipients, "
        f"{args.seconds:g}s"
    )
    result: dict[str, Delivered] = {}

    def receive() -> None:
        result["d"] = deliver_phase(
            server.url,
            receivers,
            tally,
            expected=lambda: tally.accepted,
            download=_download(args),
            bulk_ack=bulk,
        )

    with _measure(server) as usage:
        thread = threading.Thread(target=receive, daemon=True)
        thread.start()
        phase, started = send_phase(server.url, signers, queues, args.seconds, tally, batch=batch)
        thread.join()
    e2e_delivered = result["d"]
    seconds = max(e2e_delivered.finished_at, started) - started
    end_to_end = {
        "messages_per_request": batch,
        "bulk_ack": bulk,
        "accepted": tally.accepted,
        "delivered": e2e_delivered.acked,
        "seconds": round(seconds, 2),
        "accepted_and_delivered_per_second": round(
            min(tally.accepted, e2e_delivered.acked) / seconds, 1
        )
        if seconds
        else 0.0,
        "drain_after_senders_s": round(
            max(0.0, e2e_delivered.finished_at - started - phase.seconds), 2
        ),
        "send": {**phase.summary(), "exhausted": _exhausted(phase, queues)},
        "delivery": {**e2e_delivered.summary(started), "download": _download(args)},
        **usage,
        "server_cpu_ms_per_message": _per(usage["server_cpu_s"], tally.accepted),
    }
    peaks.append(usage["peak_rss_mb"])
    del queues
    return {
        "server": {
            "workers": args.workers,
            "threads": args.threads,
            "idle": idle,
            "after_load": server.memory_mb(),
            "peak_rss_mb": max(peaks),
        },
        "message_bytes_mean": round(statistics.mean(sizes)) if sizes else None,
        "messages_per_sender_and_phase": {"single": per_sender, "batch": per_sender_batch},
        **out,
        "end_to_end": end_to_end,
    }


def _calibrate(
    args: argparse.Namespace,
    server: Server,
    signers: list[Signer],
    receivers: list[Signer],
    to: list[str],
    batch: int,
    tag: str,
) -> int:
    """A short burst at this batch size; how many messages to sign per sender and phase."""
    count = max(60, 1500 // len(signers)) * (4 if batch > 1 else 1)
    queues = presign(signers, to, count, args.size_kb, tag)
    tally = Tally()
    phase, _ = send_phase(server.url, signers, queues, min(3.0, args.seconds), tally, batch=batch)
    if phase.errors and not phase.requests:
        raise RuntimeError(f"no message was accepted: {phase.first_error}\n{server.log_tail()}")
    _drain(server, receivers, tally, _download(args), batch > 1)
    rate = phase.requests / phase.seconds if phase.seconds else 100.0
    # A 3 s burst of whole batches understates what a longer phase reaches: sign twice as many.
    margin = 2.0 if batch > 1 else 1.3
    per_sender = math.ceil(rate * args.seconds * margin / len(signers)) + 20
    log(f"calibrated ({batch} a request): {rate:.0f} msg/s; signing {per_sender} per sender")
    return per_sender


def _download(args: argparse.Namespace) -> str:
    """How the recipients get the documents: in the inbox page (the default), a GET each, or not at all."""
    return "each" if args.fetch else "none" if args.no_download else "inbox"


def _per(cpu_s: float, count: int) -> float | None:
    """CPU milliseconds per message: what a quiet machine's cores would have to pay for each."""
    return round(cpu_s / count * 1000, 2) if count else None


def _exhausted(phase: Any, queues: list[list[Any]]) -> bool:
    return phase.requests + phase.errors >= sum(len(q) for q in queues)


def _drain(
    server: Server, receivers: list[Signer], tally: Tally, download: str, bulk: bool = False
) -> None:
    delivered = deliver_phase(
        server.url, receivers, tally, expected=lambda: tally.accepted, download=download, bulk_ack=bulk
    )
    if not delivered.drained:
        raise RuntimeError(f"the inboxes did not drain: {delivered.first_error}")


@contextlib.contextmanager
def _measure(server: Server) -> Iterator[dict[str, Any]]:
    """Peak RSS of the server tree and CPU seconds of both sides while the block runs."""
    me = psutil.Process()
    usage: dict[str, Any] = {}
    cpu0, mine0 = server.cpu_seconds(), sum(me.cpu_times()[:2])
    with server.peak_rss() as peak:
        yield usage
    usage["peak_rss_mb"] = peak["rss_mb"]
    usage["server_cpu_s"] = round(server.cpu_seconds() - cpu0, 2)
    usage["bench_cpu_s"] = round(sum(me.cpu_times()[:2]) - mine0, 2)


_CHECK = """
from django.db.models import Count
from govoffice.exchange.models import Delivery, Message
docs = Message.objects.filter(kind="document")
per_message = Delivery.objects.values("message_id").annotate(n=Count("id"))
RESULT = {
    "messages": docs.count(),
    "distinct_document_ids": docs.values("sender_id", "document_id").distinct().count(),
    "deliveries": Delivery.objects.count(),
    "acknowledged": Delivery.objects.filter(state="acked").count(),
    "pending": Delivery.objects.exclude(state="acked").count(),
    "messages_with_more_than_one_delivery": per_message.filter(n__gt=1).count(),
}
"""


def _check(site: Site) -> dict[str, Any]:
    """Exactly once: one delivery per message (one recipient each), every one acknowledged."""
    found: dict[str, Any] = site.python(_CHECK)
    found["exactly_once"] = (
        found["messages"]
        == found["deliveries"]
        == found["acknowledged"]
        == found["distinct_document_ids"]
        and found["pending"] == 0
        and found["messages_with_more_than_one_delivery"] == 0
    )
    if not found["exactly_once"]:
        log(f"check failed: {found}")
    return found


# ---- in-process ----------------------------------------------------------------------------


def _inprocess(args: argparse.Namespace, site: Site, sender: Any, recipient: Any) -> dict[str, Any]:
    params = {
        "seconds": args.bare_seconds,
        "cores": os.cpu_count() or 1,
        "size_kb": args.size_kb,
        "sender": str(sender),
        "recipient": str(recipient),
        "profile_messages": args.profile_messages,
        "batch": max(2, args.batch),
    }
    log("in-process parts (server stopped)")
    proc = subprocess.run(
        [sys.executable, "-m", "bench._hub_inprocess", "inprocess", json.dumps(params)],
        cwd=ROOT,
        env=site.env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    sys.stderr.write(proc.stderr[-4000:] if proc.returncode else "")
    if proc.returncode != 0:
        raise RuntimeError(f"the in-process parts failed ({proc.returncode})")
    for line in proc.stderr.splitlines():
        if line.startswith("[bench]"):
            print(line, file=sys.stderr)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _rate(part: dict[str, Any] | None, key: str) -> float:
    return float((part or {}).get(key, {}).get("per_second", 0.0))


def _ratios(out: dict[str, Any]) -> dict[str, Any]:
    cores = f"{os.cpu_count() or 1}_processes"
    inproc = out["inprocess"]
    bare_n, bare_1 = _rate(inproc.get("bare"), cores), _rate(inproc.get("bare"), "one_process")
    service_n, service_1 = (
        _rate(inproc.get("service"), cores),
        _rate(inproc.get("service"), "one_process"),
    )
    batch_n, batch_1 = (
        _rate(inproc.get("service_batch"), cores),
        _rate(inproc.get("service_batch"), "one_process"),
    )
    view_1 = _rate(inproc.get("django_view"), "one_process")
    e2e = out["end_to_end"]["accepted_and_delivered_per_second"]
    send = (out.get("send_only") or {}).get("per_second", 0.0)
    send_batch = (out.get("send_batch") or {}).get("per_second", 0.0)

    def r(a: float, b: float) -> float | None:
        return round(a / b, 3) if b else None

    return {
        "end_to_end_http_per_bare_all_cores": r(e2e, bare_n),
        "send_http_per_bare_all_cores": r(send, bare_n),
        "send_batch_http_per_bare_all_cores": r(send_batch, bare_n),
        "send_http_per_service_all_cores": r(send, service_n),
        "send_batch_http_per_service_batch_all_cores": r(send_batch, batch_n),
        "service_batch_per_bare_all_cores": r(batch_n, bare_n),
        "service_batch_per_service_one_process": r(batch_1, service_1),
        "service_per_bare_all_cores": r(service_n, bare_n),
        "service_per_bare_one_process": r(service_1, bare_1),
        "django_view_per_service_one_process": r(view_1, service_1),
        "bare_all_cores_per_one_process": r(bare_n, bare_1),
        "service_all_cores_per_one_process": r(service_n, service_1),
    }


def _national_year(out: dict[str, Any]) -> dict[str, Any]:
    def hours(rate: float) -> float | None:
        return round(NATIONAL_YEAR / rate / 3600, 2) if rate else None

    e2e = out["end_to_end"]["accepted_and_delivered_per_second"]
    send = (out.get("send_only") or {}).get("per_second", 0.0)
    send_batch = (out.get("send_batch") or {}).get("per_second", 0.0)
    return {
        "messages": NATIONAL_YEAR,
        "hours_end_to_end": hours(e2e),
        "hours_send_only": hours(send),
        "hours_send_batch": hours(send_batch),
    }


def _headline(vendor: str, r: dict[str, Any]) -> dict[str, Any]:
    target = TARGETS.get(vendor, 0)
    e2e = r["end_to_end"]["accepted_and_delivered_per_second"]
    ratio = (r.get("ratios") or {}).get("end_to_end_http_per_bare_all_cores")
    return {
        "accepted_and_delivered_per_second": e2e,
        "messages_per_request": r["end_to_end"]["messages_per_request"],
        "send_only_per_second": (r.get("send_only") or {}).get("per_second"),
        "send_p50_ms": (r.get("send_only") or {}).get("p50_ms"),
        "send_p99_ms": (r.get("send_only") or {}).get("p99_ms"),
        "send_batch_per_second": (r.get("send_batch") or {}).get("per_second"),
        "send_batch_request_p50_ms": (r.get("send_batch") or {}).get("p50_ms"),
        "send_batch_request_p99_ms": (r.get("send_batch") or {}).get("p99_ms"),
        "server_peak_rss_mb": r["server"]["peak_rss_mb"],
        "bare_all_cores_per_second": _rate(
            (r.get("inprocess") or {}).get("bare"), f"{os.cpu_count() or 1}_processes"
        )
        or None,
        "ratio_to_bare": ratio,
        "target_per_second": target,
        "meets_rate_target": e2e >= target if target else None,
        "meets_ratio_target": ratio >= TARGET_RATIO_TO_BARE if ratio is not None else None,
        "server_cpu_ms_per_message_end_to_end": r["end_to_end"]["server_cpu_ms_per_message"],
        "national_year_hours": r["national_year"]["hours_end_to_end"],
        "exactly_once": r["check"]["exactly_once"],
        "load_average_now": [round(x, 2) for x in os.getloadavg()],
    }
