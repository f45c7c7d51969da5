"""Remote mode, with two live servers: the national hub (pytest-django's live server) and an
agency's own office, a second govoffice server with GOVOFFICE_HUB_URL pointing at the hub.
The office pulls and sends with `govoffice hub pull-remote` / `send-remote`; both databases
are read to show each document arrives exactly once and what the office sends reaches the hub."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import LazySettings
from govoffice_agent import edxml
from govoffice_agent.client import HubClient, HubError
from govoffice_agent.config import AgentConfig

from govoffice.audit.models import Event
from govoffice.directory.models import Agency
from govoffice.directory.services import create_agency
from govoffice.exchange.management.commands.hub import write_agent_folder
from govoffice.exchange.models import Delivery, DeliveryState, Kind, Message
from govoffice.exchange.remote import PullReport, _ack_all, _hub_call_error, _receive, rejected_dir
from govoffice.exchange.services import messages
from govoffice.exchange.services.members import enroll_member
from govoffice.exchange.tests.conftest import make_message
from govoffice.lib.errors import DomainError

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
NGHE_AN = "000.00.00.H41"  # the office: Nghệ An's own govoffice
FINANCE = "000.00.00.G12"
HOME_AFFAIRS = "000.00.00.G09"
TAX_UNIT = "000.00.12.H41"  # a member the office's directory has never heard of
HUB_AGENCIES = {
    NGHE_AN: ("Ủy ban nhân dân tỉnh Nghệ An", "province"),
    FINANCE: ("Bộ Tài chính", "ministry"),
    HOME_AFFAIRS: ("Bộ Nội vụ", "ministry"),
    TAX_UNIT: ("Sở Tài chính tỉnh Nghệ An", "unit"),
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Office:
    """The agency's own deployment: a data folder, its environment and its server."""

    data_dir: Path
    env: dict[str, str]
    url: str = ""
    server: subprocess.Popen[str] | None = None
    outputs: list[str] = field(default_factory=list)

    def govoffice(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "govoffice.cli", *args], capture_output=True, text=True,
            env={**self.env, **(env or {})}, cwd=ROOT, timeout=180,
        )
        self.outputs.append(f"$ govoffice {' '.join(args)}\n{result.stdout}{result.stderr}")
        return result

    def hub(self, *args: str) -> str:
        result = self.govoffice("hub", *args)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read the office's own SQLite database, read-only."""
        db = sqlite3.connect(f"file:{self.data_dir / 'govoffice.sqlite3'}?mode=ro", uri=True)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def messages(self, remote_id: str) -> list[tuple[Any, ...]]:
        # Django keeps a UUID in SQLite as 32 hex digits.
        return self.query(
            "SELECT m.kind, a.code, m.document_id, m.raw, m.idempotency_key, m.status_code, m.about_id, m.receipt "
            "FROM exchange_message m JOIN directory_agency a ON a.id = m.sender_id WHERE m.id = ?",
            uuid.UUID(remote_id).hex,
        )

    def deliveries(self, remote_id: str) -> list[tuple[Any, ...]]:
        return self.query(
            "SELECT a.code, d.state FROM exchange_delivery d JOIN directory_agency a ON a.id = d.recipient_id "
            "WHERE d.message_id = ?",
            uuid.UUID(remote_id).hex,
        )


@pytest.fixture
def hub_members(live_server: Any, settings: LazySettings, transactional_db: Any, tmp_path: Path) -> dict[str, Path]:
    """The hub's members, each with its agent folder; Nghệ An's folder is inside the office's data dir."""
    settings.PUBLIC_URL = live_server.url
    if hasattr(settings, "RECORDS"):
        settings.RECORDS = {**settings.RECORDS, "office_codes": []}  # the hub runs no office here
    agencies: dict[str, Agency] = {}
    for code, (name, kind) in HUB_AGENCIES.items():
        parent = agencies.get(NGHE_AN) if kind == "unit" else None
        agencies[code] = create_agency(actor=None, code=code, name_vi=name, kind=kind, parent=parent)
    folders = {}
    for code, agency in agencies.items():
        enrolment = enroll_member(actor=None, agency=agency)
        # The office keeps its agent folder where GOVOFFICE_AGENT_CONFIG points by default.
        out = tmp_path / "office" / "agent" if code == NGHE_AN else tmp_path / "agents" / code
        folders[code] = write_agent_folder(
            out, agency_code=code, api_key=enrolment.api_key, key_pem=enrolment.private_key_pem,
            cert_pem=enrolment.certificate.pem,
        )
    return folders


@pytest.fixture
def office(live_server: Any, hub_members: dict[str, Path], tmp_path: Path) -> Iterator[Office]:
    data_dir = tmp_path / "office"
    env = {
        **os.environ,
        "GOVOFFICE_DATA_DIR": str(data_dir),
        "GOVOFFICE_HUB_URL": live_server.url,
        "GOVOFFICE_OFFICE_CODES": NGHE_AN,
        "GOVOFFICE_QUEUE": "immediate",
    }
    env.pop("DATABASE_URL", None)  # the office keeps its own SQLite file, whatever the hub uses
    env.pop("GOVOFFICE_AGENT_CONFIG", None)
    office = Office(data_dir, env)
    # A fresh office: its directory is empty until it meets agencies on the hub.
    assert office.govoffice("migrate", "--no-input", "-v", "0").returncode == 0
    port = _free_port()
    office.url = f"http://127.0.0.1:{port}"
    office.server = subprocess.Popen(
        [sys.executable, "-m", "govoffice.cli", "serve", "--port", str(port), "--no-worker", "--workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{office.url}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or office.server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert health.json()["status"] == "ok"
        yield office
    finally:
        os.killpg(office.server.pid, signal.SIGTERM)
        office.server.wait(timeout=30)


def member(folders: dict[str, Path], code: str) -> HubClient:
    return HubClient(AgentConfig.load(folders[code]), timeout=60)


def test_a_refused_bulk_acknowledgement_is_the_hubs_error(hub_members: dict[str, Path]) -> None:
    unknown = str(uuid.uuid4())
    with pytest.raises(DomainError) as refused:
        _ack_all(member(hub_members, NGHE_AN), [unknown])
    assert refused.value.code == "unknown_message" and refused.value.status == 404
    assert unknown in str(refused.value)


def test_a_listed_message_id_that_is_not_a_uuid_is_the_hubs_bad_answer(hub_members: dict[str, Path], settings: LazySettings) -> None:
    # It names the local row and the folder under remote/rejected/: refused before either is touched.
    settings.DATA_DIR = hub_members[NGHE_AN].parent / "office-data"
    client = member(hub_members, NGHE_AN)
    item = {"message": {"id": "../../escaped", "kind": "document", "sender": FINANCE, "document_id": f"{FINANCE},2019/09/20,1/BTC-VP"}}
    with pytest.raises(HubError) as refused:
        _receive(client, None, None, item, PullReport())  # type: ignore[arg-type]  # neither is reached
    assert refused.value.code == "bad_answer" and "../../escaped" in refused.value.message
    error = _hub_call_error(refused.value)
    assert (error.code, error.status) == ("bad_answer", 502)
    assert not rejected_dir().parent.exists() and not Message.objects.exists()


def test_a_document_from_another_member_arrives_in_the_office_exactly_once(office: Office, hub_members: dict[str, Path]) -> None:
    finance = member(hub_members, FINANCE)
    tax = member(hub_members, TAX_UNIT)
    try:
        sent = finance.send(make_message(FINANCE, [NGHE_AN, HOME_AFFAIRS]))
        from_unit = tax.send(make_message(TAX_UNIT, [NGHE_AN], number="77", code=edxml.Code("77", "STC-NS")))
    finally:
        finance.close()
        tax.close()
    remote_id = str(sent["message_id"])

    assert "pulled from" in (out := office.hub("pull-remote")) and "2 new (2 documents, 0 statuses)" in out, out
    # Both acknowledged on the hub in one request, after the office's commits.
    bulk = list(Event.objects.filter(action="hub.deliveries_acked", agency=NGHE_AN))
    assert len(bulk) == 1 and bulk[0].data["count"] == 2
    assert not Event.objects.filter(action="hub.delivery_acked", agency=NGHE_AN).exists()
    rows = office.messages(remote_id)
    assert len(rows) == 1
    kind, sender, document_id, raw, key, _, _, receipt = rows[0]
    hub_copy = Message.objects.get(id=remote_id)
    assert (kind, sender, document_id) == ("document", FINANCE, hub_copy.document_id)
    assert bytes(raw) == bytes(hub_copy.raw)  # the original signed bytes
    assert key == f"remote:{remote_id}" and json.loads(receipt)["message_id"] == remote_id
    assert office.deliveries(remote_id) == [(NGHE_AN, "acked")]
    # Senders the office's directory did not know are added from the hub's member list.
    assert office.query("SELECT name_vi, kind FROM directory_agency WHERE code = ?", TAX_UNIT) == [("Sở Tài chính tỉnh Nghệ An", "unit")]
    assert office.query("SELECT name_vi FROM directory_agency WHERE code = ?", FINANCE) == [("Bộ Tài chính",)]
    assert len(office.messages(str(from_unit["message_id"]))) == 1
    # Acknowledged on the hub for the office only; Home Affairs still has it waiting.
    assert Delivery.objects.get(message_id=remote_id, recipient__code=NGHE_AN).state == DeliveryState.ACKED
    assert Delivery.objects.get(message_id=remote_id, recipient__code=HOME_AFFAIRS).state == DeliveryState.PENDING

    # Pulled twice: nothing new.
    assert "0 new" in office.hub("pull-remote")
    assert len(office.messages(remote_id)) == 1

    # The office committed but its acknowledgement was lost: the hub hands the message out again.
    Delivery.objects.filter(message_id=remote_id, recipient__code=NGHE_AN).update(
        state=DeliveryState.PENDING, acked_at=None, lease_until=None
    )
    out = office.hub("pull-remote")
    assert "0 new" in out and "1 already here" in out, out
    assert len(office.messages(remote_id)) == 1
    assert office.deliveries(remote_id) == [(NGHE_AN, "acked")]
    assert office.query("SELECT count(*) FROM exchange_message WHERE kind = 'document'") == [(2,)]
    assert Delivery.objects.get(message_id=remote_id, recipient__code=NGHE_AN).state == DeliveryState.ACKED


def test_pages_cut_short_by_the_byte_budget_do_not_end_the_pull(office: Office, hub_members: dict[str, Path], monkeypatch) -> None:
    """The hub (this process's live server) carries one document a page: the office pulls all three
    in one run, polling until a page is empty rather than stopping at the first short one."""
    monkeypatch.setattr(messages, "INBOX_DOCUMENT_BYTES", 1)
    finance = member(hub_members, FINANCE)
    try:
        sent = [finance.send(make_message(FINANCE, [NGHE_AN], number=str(n))) for n in (31, 32, 33)]
    finally:
        finance.close()
    assert "3 new (3 documents, 0 statuses)" in (out := office.hub("pull-remote")), out
    for answer in sent:
        assert len(office.messages(str(answer["message_id"]))) == 1
        assert Delivery.objects.get(message_id=answer["message_id"]).state == DeliveryState.ACKED
    # One page a document, then the empty one that ends the run.
    assert Event.objects.filter(action="hub.deliveries_acked", agency=NGHE_AN).count() == 3


def test_a_document_the_office_sends_reaches_the_hub_and_the_answer_comes_back(office: Office, hub_members: dict[str, Path], tmp_path: Path) -> None:
    # An unsigned edXML file, as the office's own document system writes it: send-remote signs it.
    message = make_message(NGHE_AN, [FINANCE], number="512", code=edxml.Code("512", "UBND-VX"),
                           promulgation=edxml.PromulgationInfo("Nghệ An", dt.date(2019, 10, 1)))
    message.traces.append(edxml.TraceHeader(NGHE_AN, dt.datetime.now(dt.UTC)))
    file = tmp_path / "cong-van-512.xml"
    file.write_bytes(edxml.to_bytes(edxml.build_message(message)))

    out = office.hub("send-remote", str(file))
    assert "accepted" in out and message.document_id in out, out
    on_hub = Message.objects.get(sender__code=NGHE_AN, kind=Kind.DOCUMENT, document_id=message.document_id)
    assert list(on_hub.deliveries.values_list("recipient__code", flat=True)) == [FINANCE]
    assert b"SignatureValue" in bytes(on_hub.raw)
    remote_id = str(on_hub.id)
    kept = office.messages(remote_id)
    assert len(kept) == 1 and kept[0][1] == NGHE_AN and bytes(kept[0][3]) == bytes(on_hub.raw)
    assert json.loads(kept[0][7])["sha256"] == on_hub.digest  # the hub's receipt, kept as proof

    # Sent again: the hub returns the first result and delivers nothing again.
    again = office.hub("send-remote", str(file))
    assert "already there" in again and remote_id in again, again
    assert Message.objects.filter(sender__code=NGHE_AN, kind=Kind.DOCUMENT).count() == 1
    assert Delivery.objects.filter(message=on_hub).count() == 1

    # A document the hub refuses: one line with the hub's code, and nothing kept.
    wrong = tmp_path / "wrong.xml"
    wrong.write_bytes(edxml.to_bytes(edxml.build_message(
        make_message(NGHE_AN, ["000.00.00.G99"], number="513", code=edxml.Code("513", "UBND-VX")))))
    refused = office.govoffice("hub", "send-remote", str(wrong))
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines()[-1] == (
        f"CommandError: The hub at {office.env['GOVOFFICE_HUB_URL']} refused (unknown_recipient): "
        "The recipient 000.00.00.G99 is not in the directory"
    )
    assert office.query("SELECT count(*) FROM exchange_message") == [(1,)]

    # The Ministry of Finance pulls it, verifies Nghệ An's signature and registers it (03).
    finance = member(hub_members, FINANCE)
    try:
        received = finance.pull(tmp_path / "finance")
        assert len(received) == 1 and received[0].verified
        finance.send_status(message.document_id, "03", "Đã vào sổ, số đến 88")
    finally:
        finance.close()
    assert "1 new (0 documents, 1 statuses)" in office.hub("pull-remote")
    statuses = office.query(
        "SELECT status_code, about_id, description FROM exchange_message WHERE kind = 'status' AND document_id = ?",
        message.document_id,
    )
    assert statuses == [("03", uuid.UUID(remote_id).hex, "Đã vào sổ, số đến 88")]


def test_a_delivery_tampered_with_on_the_hub_is_not_taken_into_the_office(office: Office, hub_members: dict[str, Path]) -> None:
    finance = member(hub_members, FINANCE)
    try:
        sent = finance.send(make_message(FINANCE, [NGHE_AN], number="9"))
        remote_id = str(sent["message_id"])
        stored = Message.objects.get(id=remote_id)
        Message.objects.filter(id=remote_id).update(raw=bytes(stored.raw).replace("<edXML:Subject>Về".encode(), "<edXML:Subject>Vế".encode(), 1))

        out = office.hub("pull-remote")
        assert "0 new" in out and "1 rejected" in out and f"rejected {remote_id}" in out, out
        assert office.messages(remote_id) == []
        assert (office.data_dir / "remote" / "rejected" / remote_id / "message.xml").exists()
        trace = finance.trace(stored.document_id)
    finally:
        finance.close()
    row = trace["recipients"][0]
    assert row["delivery"]["state"] == "acked" and row["last_status"] == "02"
    assert "signature" in row["statuses"][0]["description"]
    assert "0 new (0 documents, 0 statuses), 0 already here, 0 rejected" in office.hub("pull-remote")


def test_remote_commands_say_what_is_missing_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "GOVOFFICE_DATA_DIR": str(tmp_path), "GOVOFFICE_HUB_URL": ""}
    env.pop("DATABASE_URL", None)

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "govoffice.cli", *args], capture_output=True, text=True,
                              env={**env, **extra}, cwd=ROOT, timeout=120)

    assert run("migrate", "--no-input", "-v", "0").returncode == 0
    not_remote = run("hub", "pull-remote")
    assert not_remote.returncode == 1
    assert not_remote.stderr.strip() == "CommandError: GOVOFFICE_HUB_URL is not set: this deployment is the hub itself"
    no_config = run("hub", "pull-remote", GOVOFFICE_HUB_URL="http://127.0.0.1:9")
    assert no_config.returncode == 1 and len(no_config.stderr.strip().splitlines()) == 1
    assert "cannot reach the hub" in no_config.stderr and "agent.toml: no such file" in no_config.stderr
    missing = run("hub", "send-remote", str(tmp_path / "nothing.xml"), GOVOFFICE_HUB_URL="http://127.0.0.1:9")
    assert missing.returncode == 1 and "nothing.xml: No such file or directory" in missing.stderr
