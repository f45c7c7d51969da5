"""Helpers for the hub benchmark (bench/exchange.py): members, pre-signed edXML, phases, parts.

enrol()      imports the directory and enrols senders and recipients in one `govoffice shell`,
             writing each member's agent folder under the site's data dir.
Signer       signs edXML with a key loaded once (the agent's xmlsig.sign reloads the PEM key
             for every message, ~30 ms of RSA key checks: fine for an agency, not for a bench).
presign()    distinct DocumentIds, ~SIZE_KB each, addressed round-robin to the recipients.
send_phase / deliver_phase   threads of httpx clients against a real server.
`python -m bench._hub inprocess PARAMS_JSON` (run by exchange.py with the site's environment)
             measures, with no HTTP at all, the bare pipeline, the service call and Django's
             view, in one process and in one process per core, and profiles the service.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import json
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from govoffice_agent import edxml, xmlsig
from govoffice_agent.config import AgentConfig
from lxml import etree
from signxml import XMLSigner
from signxml.algorithms import DigestAlgorithm, SignatureMethod

from bench._load import Phase, http_client, percentile
from bench._server import ROOT, log

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
    fetch: bool = False,
    timeout: float = 300,
    bulk_ack: bool = False,
) -> Delivered:
    """One thread per recipient: lease its inbox (100 at a time), optionally fetch, ack each
    (BULK_ACK: all of a lease in one POST /acks; the ack latency is then that request's).

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
        with _bearer(http_client(url), receiver.config.api_key) as client:
            while not stop.is_set() and time.perf_counter() < deadline:
                t0 = time.perf_counter()
                try:
                    resp = client.get(f"{HUB}/inbox", params={"limit": 100})
                    resp.raise_for_status()
                    items = resp.json()["items"]
                except (httpx.HTTPError, ValueError, KeyError) as exc:
                    with lock:
                        out.errors += 1
                        out.first_error = out.first_error or f"inbox: {type(exc).__name__}: {exc}"
                    time.sleep(0.05)
                    continue
                inbox.append(time.perf_counter() - t0)
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
                        if fetch:
                            for item in items:
                                client.get(f"{HUB}/messages/{item['message']['id']}/edxml").raise_for_status()
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
                        out.fetched += len(items) if fetch else 0
                        out.finished_at = max(out.finished_at, now)
                    _maybe_finish(out, lock, tally, expected, stop)
                    continue
                for item in items:
                    message_id = item["message"]["id"]
                    t0 = time.perf_counter()
                    try:
                        if fetch:
                            client.get(f"{HUB}/messages/{message_id}/edxml").raise_for_status()
                        client.post(f"{HUB}/messages/{message_id}/ack").raise_for_status()
                    except httpx.HTTPError as exc:
                        with lock:
                            out.errors += 1
                            out.first_error = out.first_error or f"ack: {type(exc).__name__}: {exc}"
                        continue
                    now = time.perf_counter()
                    acks.append(now - t0)
                    with lock:
                        out.acked += 1
                        out.fetched += 1 if fetch else 0
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


def xmlsec_version() -> str | None:
    """python-xmlsec's version when it is importable here (it is not a dependency: measured only)."""
    try:
        from importlib.metadata import version

        import xmlsec  # noqa: F401
    except ImportError:
        return None
    return version("xmlsec")


def verify_compare(items: list[Outgoing], limit: int) -> dict[str, Any]:
    """CPU ms per message: parse alone, parse + signxml, parse + xmlsec (when importable)."""

    def cpu_ms(step: Callable[[bytes], None]) -> float:
        t0 = time.process_time()
        for item in items:
            step(item.raw)
        return round((time.process_time() - t0) / len(items) * 1000, 3)

    def signxml_step(raw: bytes) -> None:
        root = edxml.parse_bytes(raw, limit)
        xmlsig.verify(root, xmlsig.embedded_certificate(root), engine="signxml")

    out: dict[str, Any] = {
        "messages": len(items),
        "parse_ms": cpu_ms(lambda raw: edxml.parse_bytes(raw, limit) and None),
        "parse_signxml_verify_ms": cpu_ms(signxml_step),
        "xmlsec": xmlsec_version(),
    }
    if out["xmlsec"]:
        def xmlsec_step(raw: bytes) -> None:
            root = edxml.parse_bytes(raw, limit)
            xmlsig.verify(root, xmlsig.embedded_certificate(root), engine="xmlsec")

        out["parse_xmlsec_verify_ms"] = cpu_ms(xmlsec_step)
        out["xmlsec_per_signxml"] = round(out["parse_xmlsec_verify_ms"] / out["parse_signxml_verify_ms"], 3)
    return out


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govoffice.settings")
    import django

    django.setup()


@dataclasses.dataclass
class Timed(Phase):
    """A phase with the CPU time its process(es) used: robust where the wall clock is not (a busy machine)."""

    cpu_s: float = 0.0

    def summary(self) -> dict[str, Any]:
        out = super().summary()
        if self.requests:
            out["cpu_ms_per_message"] = round(self.cpu_s / self.requests * 1000, 3)
        return out


def _size(item: Any) -> int:
    """Messages in one step: a list of them is a batch."""
    return len(item) if isinstance(item, list) else 1


def _timed_loop(items: list[Any], step: Callable[[Any], None], seconds: float) -> Timed:
    phase = Timed()
    cpu0 = time.process_time()
    t_start = time.perf_counter()
    deadline = t_start + seconds
    for item in items:
        if time.perf_counter() >= deadline:
            break
        t0 = time.perf_counter()
        step(item)
        phase.latencies.append(time.perf_counter() - t0)
        phase.requests += _size(item)
    phase.seconds = time.perf_counter() - t_start
    phase.cpu_s = time.process_time() - cpu0
    return phase


def _parallel(
    make_step: Callable[[], Callable[[Any], None]], slices: list[list[Any]], seconds: float
) -> Timed:
    """One forked process per slice, started together; counts, latencies and CPU summed."""
    import multiprocessing as mp

    from django.db import connections

    connections.close_all()  # every child opens its own connection
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(len(slices) + 1)
    results = ctx.Queue()

    def child(items: list[Any]) -> None:
        step = make_step()
        barrier.wait()
        phase = _timed_loop(items, step, seconds)
        connections.close_all()
        results.put((phase.requests, phase.latencies, phase.cpu_s))

    procs = [ctx.Process(target=child, args=(s,), daemon=True) for s in slices]
    for p in procs:
        p.start()
    barrier.wait()
    t0 = time.perf_counter()
    total = Timed()
    for _ in procs:
        requests, latencies, cpu_s = results.get(timeout=seconds + 600)
        total.requests += requests
        total.latencies.extend(latencies)
        total.cpu_s += cpu_s
    total.seconds = time.perf_counter() - t0
    for p in procs:
        p.join(timeout=30)
    return total


def _split(items: list[Any], parts: int) -> list[list[Any]]:
    return [items[i::parts] for i in range(parts)]


def inprocess(params: dict[str, Any]) -> dict[str, Any]:
    """The pipeline without HTTP: bare parts, the service, Django's view; one and N processes."""
    _setup_django()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from govoffice.directory.models import Agency, User
    from govoffice.exchange.models import Member, Message
    from govoffice.exchange.services.batch import Item, accept_documents, acknowledge_many
    from govoffice.exchange.services.messages import accept_document, acknowledge, lease_inbox

    seconds: float = params["seconds"]
    cores: int = params["cores"]
    size_kb: float = params["size_kb"]
    signer = Signer.load(Path(params["sender"]))
    recipient_signer = Signer.load(Path(params["recipient"]))
    to = recipient_signer.code
    agency = Agency.objects.get(code=signer.code)
    recipient = Agency.objects.get(code=to)
    actor = User.objects.get(username=f"system@{signer.code}")
    limit = int(settings.EXCHANGE["max_message_bytes"])

    def sign_many(tag: str, count: int) -> list[Outgoing]:
        log(f"in-process: signing {count} messages ({tag})")
        connection.close()  # the signing processes are forked: they must not share it
        return presign([signer], [to], count, size_kb, tag)[0]

    def calibrate(tag: str, step: Callable[[Outgoing], None]) -> float:
        """Warm up on 40 messages; their rate sizes the batches to sign (at most one per ms)."""
        items = sign_many(f"{tag}W", 40)
        t0 = time.perf_counter()
        for item in items:
            step(item)
        return len(items) / (time.perf_counter() - t0)

    def enough(rate: float, processes: int) -> int:
        return int(rate * processes * seconds * 1.25) + 20

    def bare_step() -> Callable[[Outgoing], None]:
        def step(item: Outgoing) -> None:
            root = edxml.parse_bytes(item.raw, limit)
            xmlsig.verify(root, xmlsig.embedded_certificate(root))
            document_id = root.findtext(f".//{edxml.q('DocumentId')}") or ""
            with transaction.atomic():
                Message(
                    sender=agency,
                    document_id=document_id,
                    raw=item.raw,
                    digest=hashlib.sha256(item.raw).hexdigest(),
                    size=len(item.raw),
                    idempotency_key=item.idempotency_key,
                    received_at=timezone.now(),
                ).save(force_insert=True)

        return step

    def service_step() -> Callable[[Outgoing], None]:
        def step(item: Outgoing) -> None:
            result = accept_document(
                agency=agency, actor=actor, raw=item.raw, idempotency_key=item.idempotency_key
            )
            if not result.created:
                raise RuntimeError("the service did not create the message")

        return step

    def bare_signxml_step() -> Callable[[Outgoing], None]:
        def step(item: Outgoing) -> None:
            root = edxml.parse_bytes(item.raw, limit)
            xmlsig.verify(root, xmlsig.embedded_certificate(root), engine="signxml")
            document_id = root.findtext(f".//{edxml.q('DocumentId')}") or ""
            with transaction.atomic():
                Message(
                    sender=agency,
                    document_id=document_id,
                    raw=item.raw,
                    digest=hashlib.sha256(item.raw).hexdigest(),
                    size=len(item.raw),
                    idempotency_key=item.idempotency_key,
                    received_at=timezone.now(),
                ).save(force_insert=True)

        return step

    batch: int = int(params.get("batch", 50))

    def service_batch_step() -> Callable[[list[Outgoing]], None]:
        def step(chunk: list[Outgoing]) -> None:
            outcomes = accept_documents(
                agency=agency,
                actor=actor,
                items=[Item(m.raw, m.idempotency_key) for m in chunk],
                member=member,
            )
            if not all(o.accepted is not None and o.accepted.created for o in outcomes):
                raise RuntimeError(f"the batch service refused: {[o.error for o in outcomes if o.error]}")

        return step

    def chunks(items: list[Outgoing]) -> list[list[Outgoing]]:
        return [items[i : i + batch] for i in range(0, len(items), batch)]

    member = Member.objects.get(agency=agency)
    out: dict[str, Any] = {"engine": xmlsig.ENGINE, "xmlsec": xmlsec_version(), "batch": batch}
    parts: list[tuple[str, Callable[[], Callable[[Any], None]], bool]] = [
        ("bare", bare_step, False),
        ("service", service_step, False),
        ("service_batch", service_batch_step, True),
    ]
    if xmlsig.ENGINE != "signxml":  # the bare pipeline as it was, for the comparison
        parts.insert(1, ("bare_signxml", bare_signxml_step, False))
    for name, make, batched in parts:
        tag = name.upper().replace("_", "")
        if batched:
            warm = sign_many(f"{tag}W", batch * 2)
            t0 = time.perf_counter()
            for chunk in chunks(warm):
                make()(chunk)
            rate = len(warm) / (time.perf_counter() - t0)
        else:
            rate = calibrate(tag, make())
        items: list[Any] = sign_many(f"{tag}1", enough(rate, 1))
        log(f"in-process: {name}, one process, {seconds:g}s")
        one = _summary(_timed_loop(chunks(items) if batched else items, make(), seconds), len(items))
        items = sign_many(f"{tag}N", enough(rate, cores))
        slices = [chunks(s) if batched else s for s in _split(items, cores)]
        log(f"in-process: {name}, {cores} processes, {seconds:g}s")
        many = _summary(_parallel(make, slices, seconds), len(items))
        out[name] = {"one_process": one, f"{cores}_processes": many}
    out["verify"] = verify_compare(sign_many("VERIFY", 200), limit)

    # Django's whole stack (middleware, auth, ninja, the service) through the test client: no socket.
    client = Client()

    def view_step(item: Outgoing) -> None:
        resp = client.post(
            f"{HUB}/messages",
            data=item.raw,
            content_type="application/xml",
            HTTP_AUTHORIZATION=f"Bearer {signer.config.api_key}",
            HTTP_IDEMPOTENCY_KEY=item.idempotency_key,
        )
        if resp.status_code != 201:
            raise RuntimeError(f"the view answered {resp.status_code}: {resp.content[:300]!r}")

    items = sign_many("VIEW", enough(calibrate("VIEW", view_step), 1))
    log(f"in-process: Django view, one process, {seconds:g}s")
    out["django_view"] = {
        "one_process": _summary(_timed_loop(items, view_step, seconds), len(items))
    }

    # Delivery in-process: lease everything waiting for the recipient, acknowledge each.
    def deliver_all() -> Timed:
        phase = Timed()
        cpu0 = time.process_time()
        t_start = time.perf_counter()
        while True:
            leased = lease_inbox(recipient, limit=100)
            if not leased:
                break
            t0 = time.perf_counter()
            acknowledge_many(agency=recipient, actor=None, message_ids=[d.message_id for d in leased])
            phase.latencies.append(time.perf_counter() - t0)
            phase.requests += len(leased)
        phase.seconds = time.perf_counter() - t_start
        phase.cpu_s = time.process_time() - cpu0
        return phase

    log("in-process: lease (100) and acknowledge in bulk what the service parts delivered")
    out["service_delivery"] = {"one_process": _summary(deliver_all(), None)}

    # Queries per call, and where the service's time goes.
    items = sign_many("PROFILE", params["profile_messages"] + 1)
    with CaptureQueriesContext(connection) as q_send:
        service_step()(items[0])
    with CaptureQueriesContext(connection) as q_lease:
        leased = lease_inbox(recipient, limit=100)
    with CaptureQueriesContext(connection) as q_ack:
        acknowledge(agency=recipient, actor=None, message_id=leased[0].message_id)
    out["queries_per_call"] = {
        "accept_document": len(q_send.captured_queries),
        "lease_inbox": len(q_lease.captured_queries),
        "acknowledge": len(q_ack.captured_queries),
    }
    if params.get("verbose_queries"):
        out["queries_per_call"]["accept_document_sql"] = [
            q["sql"][:160] for q in q_send.captured_queries
        ]
    out["profile"] = profile_service(items[1:], service_step(), params.get("profile_top", 12))
    batch_items = sign_many("PROFILEB", params["profile_messages"])
    out["profile_batch"] = profile_service(
        chunks(batch_items), service_batch_step(), params.get("profile_top", 12)
    )
    return out


def _summary(phase: Phase, available: int | None) -> dict[str, Any]:
    out = phase.summary()
    out.pop("errors", None)
    if available is not None and phase.requests >= available:
        out["exhausted"] = True  # ran out of pre-signed messages before the time was up
    return out


# Functions whose cumulative time tells where a service call goes (file suffix, function name).
STAGES: list[tuple[str, str, str]] = [
    ("parse_xml", "govoffice_agent/edxml.py", "parse_bytes"),
    ("read_structure", "govoffice_agent/edxml.py", "read_message"),
    ("read_attachments", "govoffice_agent/edxml.py", "read_attachments"),
    ("certificate_lookup", "govoffice/signing/services.py", "certificate_for"),
    ("signature_verify", "govoffice_agent/xmlsig.py", "verify"),
    ("receipt_sign", "govoffice/exchange/receipts.py", "make_receipt"),
    ("audit_event", "govoffice/audit/services.py", "record_event"),
    ("transaction_store", "govoffice/exchange/services/messages.py", "_store"),
    ("batch_store", "govoffice/exchange/services/batch.py", "_store_batch"),
    ("batch_checks", "govoffice/exchange/validation.py", "check_document"),
    ("sql_execute", "django/db/backends/utils.py", "_execute"),
    ("commit", "django/db/backends/base/base.py", "commit"),
]


def profile_service(items: list[Any], step: Callable[[Any], None], top: int) -> dict[str, Any]:
    """cProfile over accept_document: ms per message in named stages and the top functions."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.enable()
    for item in items:
        step(item)
    profiler.disable()
    wall = time.perf_counter() - t0
    n = max(sum(_size(i) for i in items), 1)  # messages, whether one or a batch a step
    stats = pstats.Stats(profiler)
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    stages: dict[str, float] = {}
    for label, suffix, func in STAGES:
        cum = sum(
            v[3] for (file, _, name), v in raw.items() if name == func and file.endswith(suffix)
        )
        stages[label] = round(cum / n * 1000, 3)
    by_tottime = sorted(raw.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    return {
        "messages": n,
        "ms_per_message_profiled": round(wall / n * 1000, 3),
        "stages_ms_per_message": stages,
        "top_self_time_ms_per_message": [
            {"function": f"{Path(file).name}:{line}({name})", "ms": round(v[2] / n * 1000, 3)}
            for (file, line, name), v in by_tottime
        ],
        "note": "cProfile adds overhead to Python-level calls; compare stages with each other, "
        "not with the unprofiled rates",
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "inprocess":
        print("usage: python -m bench._hub inprocess PARAMS_JSON", file=sys.stderr)
        return 2
    params = json.loads(argv[1])
    result = inprocess(params)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
