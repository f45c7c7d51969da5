"""Helpers for the hub benchmark (bench/exchange.py): members, pre-signed edXML, phases, parts.

enrol()      imports the directory and enrols senders and recipients in one `govoffice shell`,
             writing each member's agent folder under the site's data dir.
Signer       signs edXML with a key loaded once (the agent's xmlsig.sign reloads the PEM key
             for every message, ~30 ms of RSA key checks: fine for an agency, not for a bench).
presign()    distinct DocumentIds, ~SIZE_KB each, addressed round-robin to the recipients.
send_phase / deliver_phase   threads of httpx clients against a real server.
The parts measured with no HTTP at all are in bench/_hub_inprocess.py.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import http.client
import json
import os
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from govoffice_agent import edxml, xmlsig
from govoffice_agent.config import AgentConfig
from lxml import etree
from signxml import XMLSigner
from signxml.algorithms import DigestAlgorithm, SignatureMethod

from bench._load import Phase, RawGet, http_client, percentile
from bench._server import ROOT

AGENCIES_CSV = ROOT / "govoffice" / "directory" / "data" / "agencies.csv"
HUB = "/api/v1/hub"
BLOB = os.urandom(1 << 20)  # attachment bytes: incompressible, a different window per message


def top_level_codes() -> list[str]:
    """The 95 bodies of the directory (no parent), ministries (G) first, then provinces (H)."""
    with AGENCIES_CSV.open(encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if not (r.get("parent_code") or "").strip()]
    return sorted((r["code"] for r in rows), key=lambda c: (c[-3], c))


# ---- enrolment ---------------------------------------------------------------------------

_ENROL = """
from pathlib import Path
from govoffice.directory.models import Agency
from govoffice.directory.services import import_agencies
from govoffice.exchange.management.commands.hub import write_agent_folder
from govoffice.exchange.models import Member
from govoffice.exchange.services.members import enroll_member, revoke_member
import_agencies(Path(P["csv"]).read_text(encoding="utf-8-sig"))
out = []
for code in P["codes"]:
    agency = Agency.objects.get(code=code)
    if Member.objects.filter(agency=agency, active=True).exists():
        revoke_member(actor=None, agency=agency, reason="bench: a new key")  # --reuse-database
    e = enroll_member(actor=None, agency=agency)
    folder = Path(P["root"]) / code
    write_agent_folder(folder, agency_code=code, api_key=e.api_key, key_pem=e.private_key_pem, cert_pem=e.certificate.pem)
    out.append(str(folder))
RESULT = out
"""


def enrol(site: Any, codes: list[str]) -> list[Path]:
    """Enrol these agencies (directory imported first); their agent folders, in order."""
    folders = site.python(
        _ENROL, csv=str(AGENCIES_CSV), codes=codes, root=str(site.data_dir / "agents")
    )
    return [Path(f) for f in folders]


# ---- signing -----------------------------------------------------------------------------


@dataclasses.dataclass
class Signer:
    """One member's agent configuration with its key loaded once."""

    config: AgentConfig
    key: rsa.RSAPrivateKey
    cert: str

    @classmethod
    def load(cls, folder: Path, hub_url: str | None = None) -> Signer:
        config = AgentConfig.load(folder)
        if hub_url:
            config = dataclasses.replace(config, hub_url=hub_url)
        key = serialization.load_pem_private_key(config.key_pem, password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise TypeError("edXML signatures are made with an RSA key")
        return cls(config, key, config.cert_pem.decode("ascii"))

    @property
    def code(self) -> str:
        return self.config.agency

    def sign(self, root: etree._Element) -> bytes:
        # The same signer settings as govoffice_agent.xmlsig.sign (RSA-SHA256, C14N 1.0, enveloped).
        signer = XMLSigner(
            signature_algorithm=SignatureMethod.RSA_SHA256,
            digest_algorithm=DigestAlgorithm.SHA256,
            c14n_algorithm=xmlsig.C14N,
        )
        signed = signer.sign(root, key=self.key, cert=self.cert, always_add_key_value=False)
        return edxml.to_bytes(signed)


def attachment_bytes(size_kb: float, number: int) -> bytes:
    """Enough attachment for a signed message of about SIZE_KB (base64 grows it by 4/3)."""
    raw_len = max(256, int((size_kb * 1024 - 3600) * 3 / 4))
    start = (number * 7919) % (len(BLOB) - raw_len)
    return BLOB[start : start + raw_len]


def document(
    sender: str, to: list[str], number: int, notation: str, size_kb: float
) -> edxml.Message:
    now = dt.datetime.now(dt.UTC)
    return edxml.Message(
        sender=edxml.Organization(sender),
        to=[edxml.Organization(code) for code in to],
        code=edxml.Code(str(number), notation),
        subject=f"Về việc báo cáo tình hình thực hiện nhiệm vụ, văn bản số {number}",
        content="Văn bản điện tử gửi qua Trục liên thông văn bản quốc gia (benchmark).",
        promulgation=edxml.PromulgationInfo("Hà Nội", now.date()),
        document_type=edxml.DocumentType(1, "Công văn"),
        signer=edxml.SignerInfo("Bộ trưởng", "Bộ trưởng", "Nguyễn Văn A"),
        traces=[edxml.TraceHeader(sender, now)],
        attachments=[
            edxml.Attachment(
                "att1",
                "application/pdf",
                f"cong-van-{number}.pdf",
                attachment_bytes(size_kb, number),
            )
        ],
    )


@dataclasses.dataclass
class Outgoing:
    idempotency_key: str
    raw: bytes


_SIGNING: dict[str, Any] = {}  # what forked signing processes read (set before the fork)


def _sign_range(job: tuple[int, int, int]) -> list[tuple[str, bytes]]:
    index, first, count = job
    signer: Signer = _SIGNING["signers"][index]
    recipients: list[str] = _SIGNING["recipients"]
    out = []
    for number in range(first, first + count):
        to = recipients[(index + number) % len(recipients)]
        message = document(signer.code, [to], number, _SIGNING["notation"], _SIGNING["size_kb"])
        out.append((str(uuid.uuid4()), signer.sign(edxml.build_message(message))))
    return out


def presign(
    signers: list[Signer], recipients: list[str], per_sender: int, size_kb: float, tag: str
) -> list[list[Outgoing]]:
    """PER_SENDER signed documents for each signer, each to one recipient (round-robin).

    DocumentIds are `{sender},{today},{n}/{TAG}-BENCH`: distinct per TAG. Signing runs in one
    forked process per core (about 1 ms of CPU a message with the key already loaded).
    """
    import multiprocessing as mp

    _SIGNING.update(
        signers=signers, recipients=recipients, notation=f"{tag}-BENCH", size_kb=size_kb
    )
    chunk = 200
    jobs = [
        (i, first, min(chunk, per_sender + 1 - first))
        for i in range(len(signers))
        for first in range(1, per_sender + 1, chunk)
    ]
    workers = max(1, min(os.cpu_count() or 1, len(jobs)))
    if workers == 1 or per_sender * len(signers) < 100:
        results = [_sign_range(job) for job in jobs]
    else:
        with mp.get_context("fork").Pool(workers) as pool:
            results = pool.map(_sign_range, jobs)
    queues: list[list[Outgoing]] = [[] for _ in signers]
    for (index, _, _), signed in zip(jobs, results, strict=True):
        queues[index].extend(Outgoing(key, raw) for key, raw in signed)
    return queues


# ---- HTTP phases -------------------------------------------------------------------------


def _bearer(client: httpx.Client, api_key: str) -> httpx.Client:
    client.headers["Authorization"] = f"Bearer {api_key}"
    return client


@dataclasses.dataclass
class Tally:
    """What the senders got accepted, shared with the receivers of the same phase."""

    accepted: int = 0
    senders_done: bool = False
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)


def batch_bodies(queue: list[Outgoing], batch: int) -> list[tuple[bytes, int]]:
    """The JSON bodies of POST /messages/batch for a queue, BATCH messages each (built before the clock)."""
    import base64

    bodies = []
    for start in range(0, len(queue), batch):
        chunk = queue[start : start + batch]
        body = {
            "messages": [
                {"edxml": base64.b64encode(m.raw).decode("ascii"), "idempotency_key": m.idempotency_key}
                for m in chunk
            ]
        }
        bodies.append((json.dumps(body).encode("ascii"), len(chunk)))
    return bodies


def send_phase(
    url: str,
    signers: list[Signer],
    queues: list[list[Outgoing]],
    seconds: float,
    tally: Tally,
    batch: int = 1,
) -> tuple[Phase, float]:
    """One thread per sender POSTs its queue until it is empty or SECONDS have passed.

    BATCH = 1: one message a request (POST /messages), a request counts when answered 201.
    BATCH > 1: BATCH messages a request (POST /messages/batch); each message answered 201
    counts, and the latencies are those of whole requests.
    Returns the phase (requests = messages accepted) and the time the clock started.
    """
    phase = Phase()
    lock = threading.Lock()
    barrier = threading.Barrier(len(signers) + 1)
    last = [0.0]

    def worker(signer: Signer, queue: list[Outgoing]) -> None:
        latencies: list[float] = []
        accepted = errors = 0
        first = ""
        bodies = batch_bodies(queue, batch) if batch > 1 else []
        with _bearer(http_client(url), signer.config.api_key) as client:
            barrier.wait()
            deadline = time.perf_counter() + seconds
            if batch > 1:
                for body, count in bodies:
                    if time.perf_counter() >= deadline:
                        break
                    t0 = time.perf_counter()
                    ok = 0
                    try:
                        resp = client.post(
                            f"{HUB}/messages/batch",
                            content=body,
                            headers={"Content-Type": "application/json"},
                        )
                        if resp.status_code == 200:
                            results = resp.json()["results"]
                            ok = sum(1 for r in results if r["status"] == 201)
                            if ok < count:
                                bad = next(r for r in results if r["status"] != 201)
                                first = first or f"item {bad['status']}: {json.dumps(bad)[:300]}"
                        else:
                            first = first or f"HTTP {resp.status_code}: {resp.text[:300]}"
                    except (httpx.HTTPError, ValueError, KeyError) as exc:
                        first = first or f"{type(exc).__name__}: {exc}"
                    latencies.append(time.perf_counter() - t0)
                    accepted += ok
                    errors += count - ok
                    if ok:
                        with tally.lock:
                            tally.accepted += ok
            else:
                for item in queue:
                    if time.perf_counter() >= deadline:
                        break
                    t0 = time.perf_counter()
                    try:
                        resp = client.post(
                            f"{HUB}/messages",
                            content=item.raw,
                            headers={
                                "Content-Type": "application/xml",
                                "Idempotency-Key": item.idempotency_key,
                            },
                        )
                        ok1 = resp.status_code == 201
                        if not ok1:
                            first = first or f"HTTP {resp.status_code}: {resp.text[:300]}"
                    except httpx.HTTPError as exc:
                        ok1, first = False, first or f"{type(exc).__name__}: {exc}"
                    latencies.append(time.perf_counter() - t0)
                    if ok1:
                        accepted += 1
                        with tally.lock:
                            tally.accepted += 1
                    else:
                        errors += 1
            done = time.perf_counter()
        with lock:
            phase.latencies.extend(latencies)
            phase.requests += accepted
            phase.errors += errors
            phase.first_error = phase.first_error or first
            last[0] = max(last[0], done)

    pool = [
        threading.Thread(target=worker, args=(s, q), daemon=True)
        for s, q in zip(signers, queues, strict=True)
    ]
    for t in pool:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in pool:
        t.join()
    with tally.lock:
        tally.senders_done = True
    phase.seconds = time.perf_counter() - t0
    return phase, t0


@dataclasses.dataclass
class Delivered:
    """What the receivers did: messages acknowledged, requests, their latencies."""

    acked: int = 0
    inbox_calls: int = 0
    empty_polls: int = 0
    fetched: int = 0
    errors: int = 0
    first_error: str = ""
    ack_latencies: list[float] = dataclasses.field(default_factory=list)
    inbox_latencies: list[float] = dataclasses.field(default_factory=list)
    finished_at: float = 0.0
    drained: bool = False

    def summary(self, started: float) -> dict[str, Any]:
        seconds = max(self.finished_at - started, 1e-9)
        acks, inbox = sorted(self.ack_latencies), sorted(self.inbox_latencies)
        out: dict[str, Any] = {
            "delivered": self.acked,
            "seconds": round(seconds, 2),
            "per_second": round(self.acked / seconds, 1),
            "inbox_calls": self.inbox_calls,
            "empty_polls": self.empty_polls,
            "errors": self.errors,
            "drained": self.drained,
            "ack_p50_ms": round(percentile(acks, 50) * 1000, 2),
            "ack_p99_ms": round(percentile(acks, 99) * 1000, 2),
            "inbox_p50_ms": round(percentile(inbox, 50) * 1000, 2),
            "inbox_p99_ms": round(percentile(inbox, 99) * 1000, 2),
        }
        if self.fetched:
            out["fetched"] = self.fetched
        if self.first_error:
            out["first_error"] = self.first_error
        return out


def deliver_phase(
    url: str,
    receivers: list[Signer],
    tally: Tally,
    *,
    expected: Callable[[], int | None],
    download: str = "inbox",
    timeout: float = 300,
    bulk_ack: bool = False,
) -> Delivered:
    """One thread per recipient: lease its inbox (100 at a time), download each signed edXML
    (DOWNLOAD "inbox": carried in the leased page; "each": a GET of each; "none": not at all),
    check its SHA-256 against the listing, ack each (BULK_ACK: all of a lease in one POST /acks;
    the ack latency is then that request's, with the GETs of "each" before it).

    It stops when the senders are done and EXPECTED() messages have been acknowledged in all,
    or after TIMEOUT seconds.
    """
    out = Delivered()
    lock = threading.Lock()
    stop = threading.Event()
    deadline = time.perf_counter() + timeout

    def worker(receiver: Signer) -> None:
        acks: list[float] = []
        inbox: list[float] = []
        # A page of documents is megabytes, and the load threads share the server's cores: it is
        # read with http.client and orjson (RawGet), the smaller requests with httpx.
        pages = RawGet(url, {"Authorization": f"Bearer {receiver.config.api_key}"})
        with pages, _bearer(http_client(url), receiver.config.api_key) as client:
            while not stop.is_set() and time.perf_counter() < deadline:
                t0 = time.perf_counter()
                try:
                    params: dict[str, Any] = {"limit": 100}
                    if download == "inbox":
                        params["include_edxml"] = "true"
                    items = orjson.loads(pages.get(f"{HUB}/inbox", params))["items"]
                except (OSError, http.client.HTTPException, ValueError, KeyError, TypeError) as exc:
                    with lock:
                        out.errors += 1
                        out.first_error = out.first_error or f"inbox: {type(exc).__name__}: {exc}"
                    time.sleep(0.05)
                    continue
                inbox.append(time.perf_counter() - t0)  # the request, not the check below
                if download == "inbox":
                    bad = _bad_downloads(items)
                    if bad:
                        # The hub handed out bytes that are not the listed message's: a correctness
                        # failure, which ends the phase (not drained) rather than being retried.
                        with lock:
                            out.errors += len(bad)
                            out.first_error = out.first_error or f"inbox: {bad[0]}"
                        stop.set()
                        break
                with lock:
                    out.inbox_calls += 1
                if not items:
                    with lock:
                        out.empty_polls += 1
                    _maybe_finish(out, lock, tally, expected, stop)
                    time.sleep(0.2)  # an idle agent polls now and then, not in a busy loop
                    continue
                if bulk_ack:
                    t0 = time.perf_counter()
                    try:
                        if download == "each":
                            for item in items:
                                got = client.get(f"{HUB}/messages/{item['message']['id']}/edxml")
                                _check_download(got.raise_for_status().content, item)
                        resp = client.post(
                            f"{HUB}/acks", json={"message_ids": [i["message"]["id"] for i in items]}
                        )
                        resp.raise_for_status()
                        done = sum(1 for r in resp.json()["results"] if r["status"] == 200)
                    except (httpx.HTTPError, ValueError, KeyError) as exc:
                        with lock:
                            out.errors += 1
                            out.first_error = out.first_error or f"acks: {type(exc).__name__}: {exc}"
                        continue
                    now = time.perf_counter()
                    acks.append(now - t0)
                    with lock:
                        out.acked += done
                        out.fetched += len(items) if download != "none" else 0
                        out.finished_at = max(out.finished_at, now)
                    _maybe_finish(out, lock, tally, expected, stop)
                    continue
                for item in items:
                    message_id = item["message"]["id"]
                    t0 = time.perf_counter()
                    try:
                        if download == "each":
                            got = client.get(f"{HUB}/messages/{message_id}/edxml")
                            _check_download(got.raise_for_status().content, item)
                        client.post(f"{HUB}/messages/{message_id}/ack").raise_for_status()
                    except (httpx.HTTPError, ValueError) as exc:
                        with lock:
                            out.errors += 1
                            out.first_error = out.first_error or f"ack: {type(exc).__name__}: {exc}"
                        continue
                    now = time.perf_counter()
                    acks.append(now - t0)
                    with lock:
                        out.acked += 1
                        out.fetched += 1 if download != "none" else 0
                        out.finished_at = max(out.finished_at, now)
                _maybe_finish(out, lock, tally, expected, stop)
        with lock:
            out.ack_latencies.extend(acks)
            out.inbox_latencies.extend(inbox)

    pool = [threading.Thread(target=worker, args=(r,), daemon=True) for r in receivers]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return out


def _bad_downloads(items: list[dict[str, Any]]) -> list[str]:
    """What is wrong with the documents a page carries (nothing: an empty list)."""
    bad = []
    for item in items:
        try:
            _check_download(edxml.b64decode_strict(item["edxml"]), item)
        except (ValueError, KeyError, TypeError) as exc:
            bad.append(f"{type(exc).__name__}: {exc}")
    return bad


def _check_download(raw: bytes, item: dict[str, Any]) -> None:
    """The downloaded bytes are the listed message's (its SHA-256): a ValueError, counted as an error, if not."""
    if hashlib.sha256(raw).hexdigest() != item["message"]["sha256"]:
        raise ValueError(f"message {item['message']['id']}: the downloaded edXML is not the one listed")


def _maybe_finish(
    out: Delivered,
    lock: threading.Lock,
    tally: Tally,
    expected: Callable[[], int | None],
    stop: threading.Event,
) -> None:
    with tally.lock:
        done = tally.senders_done
    want = expected() if done else None
    with lock:
        if want is not None and out.acked >= want:
            out.drained = True
            stop.set()


# ---- in-process parts (run in a child process with the site's environment) -------------------
