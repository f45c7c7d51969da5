"""The hub benchmark's in-process parts (bench/exchange.py runs them in a child process).

`python -m bench._hub_inprocess inprocess PARAMS_JSON` (run with the site's environment)
measures, with no HTTP at all, the bare pipeline, the service call and Django's view, in one
process and in one process per core, and profiles the service.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from govoffice_agent import edxml, xmlsig

from bench._hub import HUB, Outgoing, Signer, presign
from bench._load import Phase
from bench._server import log


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
    from govoffice.exchange.selectors import inbox_item
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

    # Delivery in-process: lease everything waiting for the recipient with the documents, as the
    # HTTP recipients do (include_edxml: each page's items built as the API builds them and
    # written by orjson, without ninja's validation of the answer), acknowledge each page.
    def deliver_all() -> Timed:
        phase = Timed()
        cpu0 = time.process_time()
        t_start = time.perf_counter()
        while True:
            leased = lease_inbox(recipient, limit=100, with_raw=True)
            if not leased:
                break
            orjson.dumps({"items": [inbox_item(d, with_raw=True) for d in leased]})
            t0 = time.perf_counter()
            acknowledge_many(agency=recipient, actor=None, message_ids=[d.message_id for d in leased])
            phase.latencies.append(time.perf_counter() - t0)
            phase.requests += len(leased)
        phase.seconds = time.perf_counter() - t_start
        phase.cpu_s = time.process_time() - cpu0
        return phase

    log("in-process: lease (100, with the documents) and acknowledge in bulk what the service parts delivered")
    out["service_delivery"] = {"one_process": _summary(deliver_all(), None)}

    # Queries per call, and where the service's time goes.
    items = sign_many("PROFILE", params["profile_messages"] + 1)
    with CaptureQueriesContext(connection) as q_send:
        service_step()(items[0])
    with CaptureQueriesContext(connection) as q_lease:
        leased = lease_inbox(recipient, limit=100, with_raw=True)
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
        print("usage: python -m bench._hub_inprocess inprocess PARAMS_JSON", file=sys.stderr)
        return 2
    params = json.loads(argv[1])
    result = inprocess(params)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
