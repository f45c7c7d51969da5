"""An agency's own office reaching a remote national hub (GOVOFFICE_HUB_URL) through the agent.

`send_remote` signs (if need be) and sends a document or status with the office's agent
configuration (settings.AGENT_CONFIG), checks the hub's signed receipt and keeps a copy in
this deployment's exchange tables. `pull_remote` leases what waits on the remote hub,
verifies each message as the agent does (signature, signer's CA, certificate current),
mirrors it into the local tables (a Message with the original bytes, from the sender in the
local directory, and an acknowledged Delivery to this office), tells the office's apps
through exchange.signals, and acknowledges it on the remote hub only after the local commit.

A local copy has the remote message's ID as its primary key (and "remote:<id>" as its
idempotency key), so a pull that is retried after a crash, or runs twice, stores nothing twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from govoffice_agent import edxml
from govoffice_agent.client import HubClient, HubError, VerificationError, listed_message_id
from govoffice_agent.config import AgentConfig, ConfigError
from lxml import etree

from govoffice.audit.services import record_event
from govoffice.directory.models import Agency, AgencyKind
from govoffice.directory.services import create_agency
from govoffice.exchange.models import Delivery, DeliveryState, Kind, Message
from govoffice.exchange.services.messages import tell_subscribers
from govoffice.lib import orgcode
from govoffice.lib.errors import DomainError

REJECTED_NOTE = "Không xác thực được văn bản"
log = logging.getLogger(__name__)


@dataclass
class RemoteSent:
    message_id: str
    document_id: str
    kind: str
    created: bool  # false: the hub already had it (a resend) and delivered nothing again
    local: Message


@dataclass
class PullReport:
    received: list[Message] = field(default_factory=list)
    already_here: list[str] = field(default_factory=list)  # remote IDs mirrored before (a retry)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (remote ID, why)

    def summary(self) -> str:
        documents = sum(1 for m in self.received if m.kind == Kind.DOCUMENT)
        return (
            f"{len(self.received)} new ({documents} documents, {len(self.received) - documents} statuses), "
            f"{len(self.already_here)} already here, {len(self.rejected)} rejected"
        )


# ---------------------------------------------------------------- the connection


def agent_config_path() -> Path:
    return Path(getattr(settings, "AGENT_CONFIG", Path(settings.DATA_DIR) / "agent" / "agent.toml"))


def remote_client() -> HubClient:
    """The agent library's client for the remote hub at settings.HUB_URL, with this office's keys."""
    if not settings.HUB_URL:
        raise DomainError(
            "hub_url_not_set", "GOVOFFICE_HUB_URL is not set: this deployment is the hub itself", status=503
        )
    try:
        config = AgentConfig.load(agent_config_path())
    except ConfigError as exc:
        raise DomainError("hub_not_configured", f"This office cannot reach the hub: {exc}", status=503) from exc
    return HubClient(config, http=httpx.Client(base_url=settings.HUB_URL, timeout=60))


def _hub_call_error(exc: Exception) -> DomainError:
    """The remote hub's refusal (or silence) as this deployment's error, for the CLI and pages."""
    if isinstance(exc, HubError):
        return DomainError(exc.code, f"The hub at {settings.HUB_URL} refused ({exc.code}): {exc.message}", status=exc.status if exc.status < 500 else 502)
    if isinstance(exc, VerificationError):
        return DomainError("hub_not_trusted", f"The hub at {settings.HUB_URL} answered with something that does not verify: {exc}", status=502)
    return DomainError("hub_unreachable", f"Cannot reach the hub at {settings.HUB_URL}: {exc}", status=503)


HUB_FAILURES = (HubError, VerificationError, httpx.HTTPError)


# ---------------------------------------------------------------- local copies


def _agency_kind(code: str) -> tuple[str, str]:
    """A directory kind for an agency first met on the hub, and the code of its parent."""
    parsed = orgcode.parse(code)
    if parsed.depth > 1:
        return AgencyKind.UNIT, parsed.top
    return (AgencyKind.PROVINCE if parsed.is_province else AgencyKind.CENTRAL_BODY), ""


class _Directory:
    """Local agencies by code; one the office has never heard of is added from the hub's member list."""

    def __init__(self, client: HubClient) -> None:
        self.client = client
        self._members: dict[str, dict[str, Any]] | None = None

    def get(self, code: str) -> Agency:
        agency = Agency.objects.filter(code=code).first()
        if agency is not None:
            return agency
        if self._members is None:
            self._members = {m["code"]: m for m in self.client.members()}
        member = self._members.get(code, {})
        kind, parent_code = _agency_kind(code)
        return create_agency(
            actor=None, code=code, name_vi=member.get("name_vi") or code, name_en=member.get("name_en") or "",
            kind=kind, parent=Agency.objects.filter(code=parent_code).first() if parent_code else None,
        )


def _signed_fields(root: etree._Element) -> dict[str, Any]:
    """What the local row says about a message, read from its signed content (as the hub does)."""
    if edxml.is_status(root):
        status = edxml.read_status(root)
        return {"kind": Kind.STATUS, "sender": status.sender.organ_id, "document_id": status.response_for.document_id,
                "status_code": status.status_code, "description": status.description[:500]}
    msg = edxml.read_document(root)  # the attachments match the manifest too
    return {
        "kind": Kind.DOCUMENT, "sender": msg.sender.organ_id, "document_id": msg.document_id,
        "business_doc_type": msg.business.doc_type, "subject": msg.subject[:500],
        "notation": f"{msg.code.code_number}/{msg.code.code_notation}"[:100],
        "doc_type": msg.document_type.type, "description": msg.business.reason[:500],
    }


def _copy(detail: dict[str, Any], raw: bytes, sender: Agency, receipt: tuple[str, str]) -> Message:
    """An unsaved local Message for a remote one: the hub's ID and time, the original bytes and
    what they say, the hub's receipt. EdxmlError if the bytes are not a whole edXML message."""
    fields = _signed_fields(edxml.parse_bytes(raw, max(len(raw), edxml.MAX_BYTES)))
    fields.pop("sender")
    about = Message.objects.filter(pk=detail["about"]).only("pk").first() if detail.get("about") else None
    return Message(
        id=uuid.UUID(detail["id"]),
        sender=sender,
        about=about,
        raw=raw,
        digest=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        idempotency_key=f"remote:{detail['id']}",
        received_at=dt.datetime.fromisoformat(detail["received_at"]),
        receipt=receipt[0],
        receipt_signature=receipt[1],
        **fields,
    )


# ---------------------------------------------------------------- sending


def _signed(raw_or_message: bytes | edxml.Message | edxml.Status, client: HubClient) -> bytes:
    """The bytes to send: built and signed from a message, signed if raw but unsigned, else as they are."""
    config = client.config
    if isinstance(raw_or_message, edxml.Message):
        if not raw_or_message.traces:
            raw_or_message.traces.append(edxml.TraceHeader(config.agency, dt.datetime.now(dt.UTC)))
        return client.sign(edxml.build_message(raw_or_message))
    if isinstance(raw_or_message, edxml.Status):
        return client.sign(edxml.build_status(raw_or_message))
    root = edxml.parse_bytes(raw_or_message)
    if root.find(f".//{{{edxml.DSIG_NS}}}SignatureValue") is not None:
        return raw_or_message
    header = root.find(f"{edxml.q('edXMLEnvelope')}/{edxml.q('edXMLHeader')}")
    if header is None:
        raise DomainError("invalid_structure", "edXMLEnvelope/edXMLHeader is missing", status=422)
    if header.find(f"{{{edxml.DSIG_NS}}}Signature") is None:
        etree.SubElement(header, f"{{{edxml.DSIG_NS}}}Signature", Id="placeholder", nsmap={"ds": edxml.DSIG_NS})
    return client.sign(root)


def send_remote(raw_or_message: bytes | edxml.Message | edxml.Status, *, idempotency_key: str | None = None) -> RemoteSent:
    """Send a document or status to the remote hub as this office; keep the hub-receipted copy locally."""
    client = remote_client()
    try:
        try:
            raw = _signed(raw_or_message, client)
            root = edxml.parse_bytes(raw)
            if edxml.is_status(root):
                kind, path, sender_code = Kind.STATUS, "/statuses", edxml.read_status(root).sender.organ_id
            else:
                kind, path, sender_code = Kind.DOCUMENT, "/messages", edxml.read_message(root).sender.organ_id
        except edxml.EdxmlError as exc:
            raise DomainError(exc.code, exc.message, status=422) from exc
        if sender_code != client.config.agency:
            raise DomainError("sender_mismatch", f"This office sends as {client.config.agency}, not {sender_code}", status=403)
        # The same bytes are the same message: a retry of a lost answer returns the first result.
        key = idempotency_key or f"sha256:{hashlib.sha256(raw).hexdigest()}"
        try:
            answer = client.send_bytes(raw, path=path, idempotency_key=key)
            message_id = str(answer["message_id"])
            local = Message.objects.defer("raw").filter(pk=message_id).first()
            if local is None:
                detail = client.message(message_id)
                # A resend is answered with the first message: keep the bytes the hub keeps.
                stored = raw if answer["created"] else client.fetch(message_id)
                local = _keep_sent(detail, stored, client, (answer["receipt"], answer["signature"]))
        except HUB_FAILURES as exc:
            raise _hub_call_error(exc) from exc
    finally:
        client.close()
    return RemoteSent(message_id, local.document_id, kind, bool(answer["created"]), local)


def _keep_sent(detail: dict[str, Any], raw: bytes, client: HubClient, receipt: tuple[str, str]) -> Message:
    own = _Directory(client).get(client.config.agency)
    message = _copy(detail, raw, own, receipt)
    try:
        with transaction.atomic():
            message.save(force_insert=True)
            record_event(
                "hub.remote_sent", obj=message, agency=own.code,
                data={"hub": settings.HUB_URL, "kind": message.kind, "document_id": message.document_id,
                      "sha256": message.digest, "status_code": message.status_code},
            )
    except IntegrityError:
        found = Message.objects.defer("raw").filter(pk=message.pk).first()
        if found is None:
            raise
        return found
    return message


# ---------------------------------------------------------------- receiving


def pull_remote(*, limit: int = 100) -> PullReport:
    """Fetch, verify and mirror everything waiting on the remote hub; acknowledge each lease in one
    request after its messages' local commits."""
    client = remote_client()
    report = PullReport()
    try:
        directory = _Directory(client)
        own = directory.get(client.config.agency)
        while True:
            try:
                batch = client.inbox(limit, include_edxml=True)
            except HUB_FAILURES as exc:
                raise _hub_call_error(exc) from exc
            done: list[str] = []  # committed here (or refused for good): to acknowledge
            try:
                for item in batch:
                    try:
                        _receive(client, directory, own, item, report)
                    except HUB_FAILURES as exc:
                        raise _hub_call_error(exc) from exc
                    done.append(str(item["message"]["id"]))
            except Exception:
                # What was committed before the failure is acknowledged if the hub still answers;
                # if not, the hub hands it out again and it is found already here. Whatever this
                # try meets, the first failure is the one reported. (Not on Ctrl-C or exit.)
                if done:
                    try:
                        client.ack_many(done)
                    except Exception as exc:  # logged; the original error follows
                        log.warning("acknowledging %d committed messages failed: %s", len(done), exc)
                raise
            _ack_all(client, done)
            if not batch:  # a page may be short of `limit` and still leave more (16 MiB of documents a page)
                break
    finally:
        client.close()
    return report


def _ack_all(client: HubClient, remote_ids: list[str]) -> None:
    """Acknowledge a lease's messages in one request (after their local commits)."""
    if not remote_ids:
        return
    try:
        client.ack_all(remote_ids)  # a refusal is a HubError, worded as any other (_hub_call_error)
    except HUB_FAILURES as exc:
        raise _hub_call_error(exc) from exc


def _receive(client: HubClient, directory: _Directory, own: Agency, item: dict[str, Any], report: PullReport) -> None:
    """Mirror one inbox item's message here; the caller acknowledges it on the hub afterwards."""
    meta = item["message"]
    remote_id = meta["id"] = listed_message_id(meta)  # names a row and a folder under remote/rejected/
    if Message.objects.filter(pk=remote_id).exists():
        report.already_here.append(remote_id)  # mirrored before, but the acknowledgement was lost
        return
    raw, receipt, signature = client.document_of(item)
    try:
        signed = _signed_fields(client.verify_incoming(raw, meta["sender"], (receipt, signature), remote_id))
        # The signed content, not the hub's listing, says who sent what.
        if (signed["sender"], signed["kind"]) != (meta["sender"], meta["kind"]):
            raise VerificationError(f"the hub lists a {meta['kind']} from {meta['sender']}, but this is a {signed['kind']} from {signed['sender']}")
    except (VerificationError, edxml.EdxmlError) as exc:
        _reject(client, own, meta, raw, str(exc))
        report.rejected.append((remote_id, str(exc)))
        return
    message = _mirror(meta, raw, directory.get(meta["sender"]), own, (receipt, signature))
    if message is None:
        report.already_here.append(remote_id)
    else:
        report.received.append(message)


def _mirror(meta: dict[str, Any], raw: bytes, sender: Agency, own: Agency, receipt: tuple[str, str]) -> Message | None:
    """Store the remote message and its delivery to this office in one transaction; None if already here."""
    message = _copy(meta, raw, sender, receipt)
    now = timezone.now()
    try:
        with transaction.atomic():
            message.save(force_insert=True)
            Delivery.objects.create(
                message=message, recipient=own, state=DeliveryState.ACKED, created_at=now,
                fetch_count=1, first_fetched_at=now, acked_at=now,
            )
            record_event(
                "hub.remote_received", obj=message, agency=own.code,
                data={"hub": settings.HUB_URL, "kind": message.kind, "sender": sender.code,
                      "document_id": message.document_id, "sha256": message.digest, "status_code": message.status_code},
            )
            transaction.on_commit(lambda: tell_subscribers(message, [own]))
    except IntegrityError:
        # Another pull mirrored it at the same moment (same primary key): nothing to add.
        if Message.objects.filter(pk=message.pk).exists():
            return None
        raise
    return message


def rejected_dir() -> Path:
    return Path(settings.DATA_DIR) / "remote" / "rejected"


def _reject(client: HubClient, own: Agency, meta: dict[str, Any], raw: bytes, problem: str) -> None:
    """Set a message that fails verification aside, answer a document with 02, and record why."""
    folder = rejected_dir() / str(meta["id"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "message.xml").write_bytes(raw)
    (folder / "meta.json").write_text(json.dumps({**meta, "verified": False, "problem": problem}, ensure_ascii=False, indent=2), encoding="utf-8")
    if meta["kind"] == Kind.DOCUMENT:
        status = edxml.Status(
            response_for=edxml.ResponseFor(document_id=meta["document_id"], organ_id=meta["sender"]),
            sender=edxml.Organization(own.code),
            status_code="02",
            timestamp=dt.datetime.now(dt.UTC),
            description=f"{REJECTED_NOTE}: {problem}"[:500],
        )
        # Keyed by the message: a retry after a crash returns the first 02, not a second one.
        try:
            client.send_bytes(client.sign(edxml.build_status(status)), path="/statuses", idempotency_key=f"returned:{meta['id']}")
        except HubError as exc:
            # The hub will not route it (say, the document is unknown there): the message is set
            # aside and recorded all the same, so it cannot block the queue.
            log.warning("the hub refused status 02 for %s: %s", meta["id"], exc)
            problem = f"{problem} (status 02 refused: {exc.code})"
    with transaction.atomic():
        record_event(
            "hub.remote_rejected", object_type="exchange.message", object_id=str(meta["id"]), agency=own.code,
            data={"hub": settings.HUB_URL, "sender": meta["sender"], "document_id": meta["document_id"], "problem": problem[:300]},
        )
