"""How this deployment's own offices send: signed with the office's key (its agent folder),
then accepted by this hub directly, or sent over HTTP to the national hub when
GOVOFFICE_HUB_URL is set. Records, portal and supervision send only through here."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from govoffice_agent import edxml, xmlsig
from govoffice_agent.config import AgentConfig, ConfigError

from govoffice.directory.models import User
from govoffice.directory.services import get_agency
from govoffice.exchange.services.messages import accept_document, accept_status
from govoffice.lib.errors import DomainError


@dataclass
class Sent:
    message_id: str
    document_id: str
    created: bool


class _OfficeConfig:
    """The office's agent configuration (key, certificate, API key), from settings.AGENT_CONFIG.

    Kept between calls, and read again when the folder changes: `hub renew-certificate` (or
    enrolling again) replaces its files, and a process that kept the former key would sign with
    a revoked certificate until it restarted. Two `stat`s a call tell.
    """

    def __init__(self) -> None:
        self._kept: tuple[tuple[str, tuple[int, ...]], AgentConfig] | None = None

    def __call__(self) -> AgentConfig:
        path = Path(settings.AGENT_CONFIG)
        stamp = (str(path), _stamp(path))
        if self._kept is not None and self._kept[0] == stamp:
            return self._kept[1]
        try:
            config = AgentConfig.load(path)
        except ConfigError as exc:
            raise DomainError("hub_not_configured", f"This office cannot reach the hub: {exc}", status=503) from exc
        self._kept = (stamp, config)
        return config

    def cache_clear(self) -> None:
        self._kept = None


def _stamp(path: Path) -> tuple[int, ...]:
    """When agent.toml and its folder (whose entries change as the PEM files are replaced) last changed."""
    try:
        return (path.stat().st_mtime_ns, path.parent.stat().st_mtime_ns)
    except OSError:
        return ()


office_config = _OfficeConfig()


def _key(key: str) -> str:
    """An idempotency key the hub takes (at most 200 printable ASCII characters), stable for the
    same input: the key itself when short and plain, else its kind (the part before the first
    colon) and a SHA-256. A DocumentId may hold Đ and run to 255 characters, in the callers'
    keys as in the default one."""
    if len(key) <= 200 and key.isascii() and key.isprintable():
        return key
    kind = key.split(":", 1)[0]
    kind = kind if kind.isascii() and kind.isprintable() and len(kind) <= 40 else "key"
    return f"{kind}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"


def _sign(root: Any) -> bytes:
    config = office_config()
    return edxml.to_bytes(xmlsig.sign(root, config.key_pem, config.cert_pem))


def send_document(message: edxml.Message, *, actor: User | None, idempotency_key: str | None = None) -> Sent:
    """Sign the office's document and hand it to the hub (this one, or the remote one)."""
    config = office_config()
    if message.sender.organ_id != config.agency:
        raise DomainError("sender_mismatch", f"This office sends as {config.agency}, not {message.sender.organ_id}")
    if not message.traces:
        message.traces.append(edxml.TraceHeader(config.agency, dt.datetime.now(dt.UTC)))
    key = _key(idempotency_key or f"office:{message.document_id}:{message.business.doc_type}")
    raw = _sign(edxml.build_message(message))
    if settings.HUB_URL:
        from govoffice.exchange.remote import send_remote

        sent = send_remote(raw, idempotency_key=key)  # keeps a receipted local copy
        return Sent(sent.message_id, message.document_id, sent.created)
    result = accept_document(agency=get_agency(config.agency), actor=actor, raw=raw, idempotency_key=key)
    return Sent(str(result.message.id), message.document_id, result.created)


def send_status(
    document_id: str,
    code: str,
    description: str = "",
    *,
    actor: User | None,
    staff: edxml.StaffInfo | None = None,
    idempotency_key: str | None = None,
) -> Sent:
    """Sign a status about a document the office received (or sent, for 13) and route it.

    A caller that may retry (a background task) passes a stable idempotency key, so a retry
    after a lost answer sends nothing twice.
    """
    config = office_config()
    status = edxml.Status(
        response_for=edxml.ResponseFor(document_id=document_id, organ_id=document_id.split(",")[0]),
        sender=edxml.Organization(config.agency),
        status_code=code,
        timestamp=dt.datetime.now(dt.UTC),
        description=description,
        staff_info=staff or edxml.StaffInfo(),
    )
    raw = _sign(edxml.build_status(status))
    key = _key(idempotency_key or f"office-status:{uuid.uuid4()}")
    if settings.HUB_URL:
        from govoffice.exchange.remote import send_remote

        sent = send_remote(raw, idempotency_key=key)
        return Sent(sent.message_id, document_id, sent.created)
    result = accept_status(agency=get_agency(config.agency), actor=actor, raw=raw, idempotency_key=key)
    return Sent(str(result.message.id), document_id, result.created)
