"""Reliability: a burst of signed documents, the hub killed with SIGKILL in the middle of it and
restarted on the same data. Every document answered with a 2xx is delivered to each recipient
exactly once, and resending the rest (and some that were answered) makes no duplicate.

The hub is a real `govoffice serve` (gunicorn, two workers) in its own process group, on SQLite,
or on a fresh PostgreSQL database when the test run has DATABASE_URL. The members are enrolled
with `govoffice hub enroll` and speak to it with the agent library and raw httpx.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import queue
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from govoffice_agent import edxml
from govoffice_agent.client import HubClient, Received
from govoffice_agent.config import AgentConfig

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
AGENCIES_CSV = ROOT / "govoffice" / "directory" / "data" / "agencies.csv"
SENDER = "000.00.00.G12"  # Ministry of Finance
RECIPIENTS = ("000.00.00.G09", "000.00.00.H41")  # Ministry of Home Affairs, Nghệ An
BURST = 300
THREADS = 6
KILL_AFTER = (
    BURST // 3
)  # answered messages before the SIGKILL: the rest of the burst is in flight or waiting
RESEND_ANSWERED = 40  # messages already answered 2xx that are sent again after the restart


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin_sql(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


@dataclass
class Hub:
    """A hub deployment: its data folder, its environment, and its server while one runs."""

    data_dir: Path
    env: dict[str, str]
    port: int
    server: subprocess.Popen[bytes] | None = None
    log_lines: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def govoffice(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "govoffice.cli", *args],
            capture_output=True,
            text=True,
            env=self.env,
            cwd=ROOT,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, f"govoffice {' '.join(args)}: {result.stderr[-3000:]}"
        return result.stdout

    def start(self) -> None:
        log = (self.data_dir / "server.log").open("ab")
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "govoffice.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-worker",
                "--workers",
                "2",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 90
        with httpx.Client(trust_env=False, timeout=2) as client:
            while time.monotonic() < deadline:
                assert self.server.poll() is None, f"the server exited: {self.log_tail()}"
                try:
                    if client.get(f"{self.url}/healthz").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        raise AssertionError(f"the server did not come up: {self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the whole process group: gunicorn's master and every worker, mid-request."""
        assert self.server is not None
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait(timeout=30)
        self.server = None

    def stop(self) -> None:
        if self.server is None:
            return
        if self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait(timeout=10)
        self.server = None

    def log_tail(self) -> str:
        path = self.data_dir / "server.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def agent(self, code: str) -> HubClient:
        """The agency's own client, from the agent.toml `hub enroll` wrote, aimed at this server."""
        config = dataclasses.replace(
            AgentConfig.load(self.data_dir.parent / "agents" / code), hub_url=self.url
        )
        return HubClient(config, http=httpx.Client(base_url=self.url, trust_env=False, timeout=30))


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    """A migrated hub with the directory imported and three enrolled members; its own database."""
    data_dir = tmp_path / "hub"
    data_dir.mkdir()
    port = _free_port()
    env = {
        **os.environ,
        "GOVOFFICE_DATA_DIR": str(data_dir),
        "GOVOFFICE_MODE": "development",
        "GOVOFFICE_QUEUE": "sqlite",  # as deployed; no member pushes here, so nothing is queued
        "GOVOFFICE_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "GOVOFFICE_LOG_LEVEL": "WARNING",
        # A hub only: no office here registers (and so acknowledges) what it receives.
        "GOVOFFICE_OFFICE_CODES": "",
        "PYTHONUNBUFFERED": "1",
    }
    given = os.environ.get("DATABASE_URL", "")
    fresh = ""
    if given:
        fresh = f"govoffice_crash_{os.getpid()}_{secrets.token_hex(3)}"
        _admin_sql(given, f'CREATE DATABASE "{fresh}"')
        env["DATABASE_URL"] = _with_database(given, fresh)
    else:
        env.pop("DATABASE_URL", None)
    deployment = Hub(data_dir, env, port)
    try:
        deployment.govoffice("migrate", "--no-input", "-v", "0")
        deployment.govoffice("agencies", "import", str(AGENCIES_CSV))
        for code in (SENDER, *RECIPIENTS):
            deployment.govoffice("hub", "enroll", code, "--out", str(tmp_path / "agents" / code))
        yield deployment
    finally:
        deployment.stop()
        if fresh:
            _admin_sql(given, f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


@dataclass
class Outgoing:
    index: int
    idempotency_key: str
    document_id: str
    raw: bytes


def _burst(sender: HubClient) -> list[Outgoing]:
    """BURST documents signed by the sender's key, each to both recipients, each its own DocumentId."""
    today = dt.datetime.now(dt.UTC)
    out = []
    for i in range(1, BURST + 1):
        message = edxml.Message(
            sender=edxml.Organization(SENDER, "Bộ Tài chính"),
            to=[edxml.Organization(code) for code in RECIPIENTS],
            code=edxml.Code(str(i), "BTC-VP"),
            subject=f"Về việc báo cáo tình hình thực hiện nhiệm vụ, văn bản số {i}",
            promulgation=edxml.PromulgationInfo("Hà Nội", today.date()),
            document_type=edxml.DocumentType(1, "Công văn"),
            traces=[edxml.TraceHeader(SENDER, today)],
            attachments=[
                edxml.Attachment(
                    "att1", "application/pdf", f"cv-{i}.pdf", b"%PDF-1.7 " + os.urandom(1024)
                )
            ],
        )
        out.append(
            Outgoing(
                i, str(uuid.uuid4()), message.document_id, sender.sign(edxml.build_message(message))
            )
        )
    return out


@dataclass
class Answer:
    status: int = 0  # 0: no HTTP answer (connection refused, reset, or cut by the kill)
    message_id: str = ""
    created: bool = False
    receipt_verified: bool = False
    error: str = ""


def _send_burst(hub: Hub, sender: HubClient, messages: list[Outgoing]) -> dict[int, Answer]:
    """Send from THREADS threads; SIGKILL the server once KILL_AFTER answers have come back."""
    todo: queue.Queue[Outgoing] = queue.Queue()
    for m in messages:
        todo.put(m)
    answers: dict[int, Answer] = {}
    lock = threading.Lock()
    enough_answered = threading.Event()

    def worker() -> None:
        with httpx.Client(base_url=hub.url, trust_env=False, timeout=15) as client:
            client.headers["Authorization"] = f"Bearer {sender.config.api_key}"
            while True:
                try:
                    m = todo.get_nowait()
                except queue.Empty:
                    return
                answer = Answer()
                try:
                    response = client.post(
                        "/api/v1/hub/messages",
                        content=m.raw,
                        headers={
                            "Content-Type": "application/xml",
                            "Idempotency-Key": m.idempotency_key,
                        },
                    )
                    answer.status = response.status_code
                    if 200 <= response.status_code < 300:
                        body = response.json()
                        answer.message_id, answer.created = body["message_id"], body["created"]
                        answer.receipt_verified = sender.verify_receipt(
                            body["receipt"], body["signature"]
                        )
                except httpx.TransportError as exc:
                    answer.error = type(exc).__name__
                with lock:
                    answers[m.index] = answer
                    if sum(1 for a in answers.values() if 200 <= a.status < 300) >= KILL_AFTER:
                        enough_answered.set()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(THREADS)]
    for t in threads:
        t.start()
    assert enough_answered.wait(timeout=300), "the burst never got going"
    hub.kill()
    for t in threads:
        t.join(timeout=120)
    return answers


def _pull_until_empty(client: HubClient, out: Path) -> list[Received]:
    """Pull (fetch, verify the signature, write, acknowledge) until the inbox has nothing left."""
    received: list[Received] = []
    while True:
        batch = client.pull(out, limit=100)
        if not batch:
            return received
        received.extend(batch)


def test_every_answered_message_is_delivered_exactly_once_after_a_sigkill(
    hub: Hub, tmp_path: Path
) -> None:
    hub.start()
    sender = hub.agent(SENDER)
    messages = _burst(sender)

    first = _send_burst(hub, sender, messages)

    assert len(first) == BURST
    answered = {i for i, a in first.items() if 200 <= a.status < 300}
    unanswered = [m for m in messages if m.index not in answered]
    assert len(answered) >= KILL_AFTER
    assert unanswered, "the kill came after the burst: nothing was cut off"
    assert all(a.status == 201 for i, a in first.items() if i in answered), (
        "a fresh message must be created"
    )
    assert all(first[i].receipt_verified for i in answered), (
        "every 2xx carries the hub's signed receipt"
    )
    assert all(a.status == 0 for i, a in first.items() if i not in answered), (
        "failures here are cut connections only"
    )

    hub.start()  # the same data, the same port: what an operator's restart does
    answered_again = sorted(answered)[:: max(1, len(answered) // RESEND_ANSWERED)]
    resend = [*unanswered, *(messages[i - 1] for i in answered_again)]
    with ThreadPoolExecutor(THREADS) as pool:  # the agent's client is safe to share between threads
        answers = pool.map(
            lambda m: sender.send_bytes(m.raw, idempotency_key=m.idempotency_key), resend
        )
        second = {m.index: a for m, a in zip(resend, answers, strict=True)}
    for index in answered_again:
        assert (
            second[index]["created"] is False
            and second[index]["message_id"] == first[index].message_id
        )
    again = {m.index: second[m.index] for m in unanswered}
    # Some of those cut off may have been stored before the kill: their resend says so.
    stored_before_kill = sum(1 for a in again.values() if not a["created"])
    assert stored_before_kill <= THREADS  # at most the requests in flight at the kill

    message_ids = {i: first[i].message_id for i in answered} | {
        i: a["message_id"] for i, a in again.items()
    }
    assert len(message_ids) == BURST and len(set(message_ids.values())) == BURST
    expected_ids = set(message_ids.values())
    expected_document_ids = {m.document_id for m in messages}

    clients = {code: hub.agent(code) for code in RECIPIENTS}
    with ThreadPoolExecutor(len(RECIPIENTS)) as pool:  # both recipients pull at once
        pulled = dict(
            zip(
                RECIPIENTS,
                pool.map(
                    lambda c: _pull_until_empty(clients[c], tmp_path / "inbox" / c), RECIPIENTS
                ),
                strict=True,
            )
        )
    for code, client in clients.items():
        received = pulled[code]
        assert all(r.verified for r in received), [r.problem for r in received if not r.verified][
            :3
        ]
        by_id = Counter(r.message_id for r in received)
        by_document = Counter(r.document_id for r in received)
        assert [mid for mid, n in by_id.items() if n > 1] == [], f"{code} got a message twice"
        assert [doc for doc, n in by_document.items() if n > 1] == [], (
            f"{code} got a DocumentId twice"
        )
        assert set(by_id) == expected_ids, (
            f"{code}: missing {len(expected_ids - set(by_id))}, extra {len(set(by_id) - expected_ids)}"
        )
        assert set(by_document) == expected_document_ids
        assert client.inbox() == []  # nothing left, nothing leased
        client.close()

    sent = sender.http.get("/api/v1/hub/sent", params={"limit": 1000}).json()
    assert len(sent) == BURST and len({s["document_id"] for s in sent}) == BURST
    sender.close()

    hub.stop()
    verdict = hub.govoffice("audit", "verify")
    assert "audit chain intact" in verdict
