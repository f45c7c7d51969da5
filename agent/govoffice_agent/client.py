"""The hub's HTTP API from an agency's side: build and sign, send, pull and verify, statuses."""

from __future__ import annotations

import base64
import datetime as dt
import email.errors
import email.header
import hashlib
import json
import re
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from lxml import etree

from govoffice_agent import edxml, xmlsig
from govoffice_agent.config import AgentConfig


class HubError(Exception):
    """The hub refused a request: its error code, message and HTTP status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class VerificationError(Exception):
    """A message received from the hub failed verification: its signature or its signer."""


@dataclass
class Received:
    message_id: str
    kind: str
    sender: str
    document_id: str
    path: Path
    verified: bool
    problem: str = ""
    status_code: str | None = None
    attachments: list[Path] = field(default_factory=list)


def _safe_name(name: str) -> str:
    """The attachment's own name as far as it is safe as a file name: no folders, no control
    characters, no leading dot; letters with diacritics and spaces stay."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = re.sub(r"[^\w.\- ]+", "_", base, flags=re.UNICODE).strip(" ._")
    stem, dot, ext = cleaned.rpartition(".")
    stem, ext = (stem, dot + ext) if stem and len(ext) <= 10 else (cleaned, "")
    while stem and len((stem + ext).encode("utf-8")) > 200:  # file systems cap a name at 255 bytes
        stem = stem[:-1]
    return (stem.rstrip(" .") + ext) if stem else "attachment"


def header_text(value: str) -> str:
    """A header's text: a value in RFC 2047 form (`=?charset?…?=`) is decoded, in case a hub or
    a proxy MIME-encoded it; any other value, or one that does not decode, is returned unchanged.
    govoffice's receipts are ASCII-only JSON (a Đ is written `\\u0110`), so their
    X-Govoffice-Receipt header is never encoded and comes back as it was sent."""
    if not value.startswith("=?"):
        return value
    try:
        return str(email.header.make_header(email.header.decode_header(value)))
    except (ValueError, LookupError, email.errors.HeaderParseError):
        return value


# The most documents the hub takes in one batch request.
BATCH_SIZE = 100


def _is_error_shape(response: httpx.Response) -> bool:
    try:
        return "error" in response.json()
    except ValueError:
        return False


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()



def header_key(key: str) -> str:
    """An Idempotency-Key an HTTP header can carry: non-ASCII (e.g. the Đ of QĐ) percent-encoded.

    The same key always encodes the same way, so a retry still finds the first result.
    """
    return key if key.isascii() and key.isprintable() else urllib.parse.quote(key, safe="")


def listed_message_id(meta: dict[str, Any]) -> str:
    """The id of a message as the hub lists it, as a canonical UUID: it names folders and rows, so
    anything else is the hub's fault (`bad_answer`), before anything is written or acknowledged."""
    try:
        return str(uuid.UUID(str(meta["id"])))
    except (KeyError, ValueError) as exc:
        raise HubError(502, "bad_answer", f"the hub lists a message id that is not a UUID: {meta.get('id')!r:.80}") from exc


class HubClient:
    def __init__(self, config: AgentConfig, http: httpx.Client | None = None, timeout: float = 30.0) -> None:
        self.config = config
        self.http = http or httpx.Client(base_url=config.hub_url, timeout=timeout)
        self.http.headers["Authorization"] = f"Bearer {config.api_key}"
        self.ca = x509.load_pem_x509_certificate(config.ca_cert_pem)
        self.hub_cert = x509.load_pem_x509_certificate(config.hub_cert_pem)
        self._certificates: dict[str, dict[str, Any]] = {}

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------ plumbing

    def _check(self, response: httpx.Response) -> httpx.Response:
        if response.status_code >= 400:
            try:
                err = response.json()["error"]
                raise HubError(response.status_code, err.get("code", "error"), err.get("message", ""))
            except (ValueError, KeyError, TypeError, AttributeError):  # not our error shape
                raise HubError(response.status_code, "error", response.text[:200]) from None
        return response

    def _get(self, path: str, **params: Any) -> Any:
        return self._check(self.http.get(f"/api/v1/hub{path}", params=params)).json()

    # ------------------------------------------------------------ sending

    def sign(self, root: etree._Element) -> bytes:
        return edxml.to_bytes(xmlsig.sign(root, self.config.key_pem, self.config.cert_pem))

    def sign_raw(self, raw: bytes) -> bytes:
        """An edXML file as it is if signed, else signed with this agency's key."""
        root = edxml.parse_bytes(raw)
        if root.find(f".//{{{edxml.DSIG_NS}}}SignatureValue") is not None:
            return raw
        header = root.find(f"{edxml.q('edXMLEnvelope')}/{edxml.q('edXMLHeader')}")
        if header is None:
            raise edxml.EdxmlError("invalid_structure", "edXMLEnvelope/edXMLHeader is missing")
        if header.find(f"{{{edxml.DSIG_NS}}}Signature") is None:
            etree.SubElement(header, f"{{{edxml.DSIG_NS}}}Signature", Id="placeholder", nsmap={"ds": edxml.DSIG_NS})
        return self.sign(root)

    def send_bytes(self, raw: bytes, *, path: str = "/messages", idempotency_key: str | None = None) -> dict[str, Any]:
        headers = {"Content-Type": "application/xml"}
        if idempotency_key:
            headers["Idempotency-Key"] = header_key(idempotency_key)
        # A lost answer is retried with the same key: the hub returns the first result.
        for attempt in range(3):
            try:
                response = self.http.post(f"/api/v1/hub{path}", content=raw, headers=headers)
                break
            except httpx.TransportError:
                if attempt == 2:
                    raise
        answer: dict[str, Any] = self._check(response).json()
        if not self.verify_receipt(answer["receipt"], answer["signature"]):
            raise VerificationError("the hub's receipt signature does not verify")
        self._check_receipt_is_for(answer, raw)
        return answer

    @staticmethod
    def _check_receipt_is_for(answer: dict[str, Any], raw: bytes) -> None:
        """A genuine receipt for some other message proves nothing: it must name this one.

        A resend (created = false) is answered with the first message's receipt, whose bytes
        may differ from ours (a new trace timestamp), so only a new message's digest is compared.
        """
        try:
            receipt = json.loads(answer["receipt"])
        except ValueError as exc:
            raise VerificationError("the hub's receipt is not JSON") from exc
        if receipt.get("message_id") != answer.get("message_id"):
            raise VerificationError("the hub's receipt names another message")
        if answer.get("created") and receipt.get("sha256") != _sha256(raw):
            raise VerificationError("the hub's receipt is for other bytes than those sent")

    def send_many(self, items: list[tuple[bytes, str | None]], *, batch_size: int = BATCH_SIZE) -> list[dict[str, Any]]:
        """Send many signed documents, up to `batch_size` a request; one answer per item, in order.

        Each answer is what `send_bytes` returns (the verified receipt, `created`) plus `status`,
        or `{"status": 4xx, "error": {code, message, field}}` for a message the hub refused: one
        bad message does not stop the others. Items are (signed bytes, Idempotency-Key or None);
        a missing key is made up, so that a retried request delivers nothing twice.
        """
        if not 1 <= batch_size <= BATCH_SIZE:
            raise ValueError(f"a batch holds 1 to {BATCH_SIZE} messages")
        keyed = [(raw, key or str(uuid.uuid4())) for raw, key in items]
        answers: list[dict[str, Any]] = []
        for start in range(0, len(keyed), batch_size):
            chunk = keyed[start : start + batch_size]
            body = {"messages": [{"edxml": edxml.b64encode(raw), "idempotency_key": key} for raw, key in chunk]}
            for attempt in range(3):  # every item carries its key: a retry returns the first results
                try:
                    response = self.http.post("/api/v1/hub/messages/batch", json=body)
                    break
                except httpx.TransportError:
                    if attempt == 2:
                        raise
            results = self._check(response).json()["results"]
            if len(results) != len(chunk):
                raise VerificationError("the hub answered a batch with the wrong number of results")
            for (raw, _), result in zip(chunk, sorted(results, key=lambda r: r["index"]), strict=True):
                if result.get("error") is not None:
                    answers.append({"status": result["status"], "error": result["error"]})
                    continue
                answer = {k: result[k] for k in ("message_id", "created", "receipt", "signature")}
                if not self.verify_receipt(answer["receipt"], answer["signature"]):
                    raise VerificationError("the hub's receipt signature does not verify")
                self._check_receipt_is_for(answer, raw)
                answers.append({"status": result["status"], **answer})
        return answers

    def send(self, message: edxml.Message, *, idempotency_key: str | None = None) -> dict[str, Any]:
        """Build, sign and send a document; returns the hub's verified receipt."""
        if not message.traces:
            message.traces.append(edxml.TraceHeader(self.config.agency, dt.datetime.now(dt.UTC)))
        return self.send_bytes(self.sign(edxml.build_message(message)), idempotency_key=idempotency_key or str(uuid.uuid4()))

    def send_status(self, document_id: str, code: str, description: str = "", *, staff: edxml.StaffInfo | None = None,
                    idempotency_key: str | None = None) -> dict[str, Any]:
        """Sign and send a status message about a document."""
        status = edxml.Status(
            response_for=edxml.ResponseFor(document_id=document_id, organ_id=document_id.split(",")[0]),
            sender=edxml.Organization(self.config.agency),
            status_code=code,
            timestamp=dt.datetime.now(dt.UTC),
            description=description,
            staff_info=staff or edxml.StaffInfo(),
        )
        return self.send_bytes(self.sign(edxml.build_status(status)), path="/statuses", idempotency_key=idempotency_key or str(uuid.uuid4()))

    def verify_receipt(self, body: str, signature: str) -> bool:
        try:
            raw = base64.b64decode(signature, validate=True)
            public = self.hub_cert.public_key()
            if isinstance(public, ed25519.Ed25519PublicKey):
                public.verify(raw, body.encode("utf-8"))
            elif isinstance(public, rsa.RSAPublicKey):
                public.verify(raw, body.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
            else:
                return False
        except (ValueError, InvalidSignature):
            return False
        return True

    # ------------------------------------------------------------ receiving

    def inbox(self, limit: int = 100, *, include_edxml: bool = False) -> list[dict[str, Any]]:
        """Lease up to LIMIT waiting messages; INCLUDE_EDXML: each carries its signed edXML and receipt
        (a hub too old to know the option leaves them out: `document_of` then fetches them)."""
        params: dict[str, Any] = {"limit": limit}
        if include_edxml:
            params["include_edxml"] = "true"
        items: list[dict[str, Any]] = self._get("/inbox", **params)["items"]
        return items

    def document_of(self, item: dict[str, Any]) -> tuple[bytes, str, str]:
        """An inbox item's original signed edXML and its sender's receipt (JSON, signature): the
        ones it carries, else fetched. Not yet verified, either way."""
        carried = item.get("edxml")
        if isinstance(carried, str):
            try:
                raw = edxml.b64decode_strict(carried)
            except ValueError:
                raw = None
            # Garbled on the way (not base64, or not the bytes the hub lists): the hub's own copy,
            # fetched, is what counts, rather than returning a sound document as unverifiable.
            if raw is not None and _sha256(raw) == item["message"].get("sha256"):
                return raw, item.get("receipt") or "", item.get("receipt_signature") or ""
        return self.fetch_with_receipt(str(item["message"]["id"]))

    def fetch(self, message_id: str) -> bytes:
        """The original signed edXML of a message, byte for byte (not yet verified)."""
        return self.fetch_with_receipt(message_id)[0]

    def fetch_with_receipt(self, message_id: str) -> tuple[bytes, str, str]:
        """The original signed edXML and the receipt the hub gave its sender (JSON, signature)."""
        response = self._check(self.http.get(f"/api/v1/hub/messages/{message_id}/edxml"))
        return (
            response.content,
            header_text(response.headers.get("X-Govoffice-Receipt", "")),
            response.headers.get("X-Govoffice-Receipt-Signature", ""),
        )

    def message(self, message_id: str) -> dict[str, Any]:
        """A message's details as the hub keeps them (kind, DocumentId, what it is about, ...)."""
        result: dict[str, Any] = self._get(f"/messages/{message_id}")
        return result

    def ack(self, message_id: str) -> dict[str, Any]:
        answer: dict[str, Any] = self._check(self.http.post(f"/api/v1/hub/messages/{message_id}/ack")).json()
        return answer

    def ack_many(self, message_ids: list[str]) -> list[dict[str, Any]]:
        """Acknowledge many messages, a thousand a request; one answer per ID, in order.

        A hub without the bulk endpoint (an older one: 404 or 405) is answered one by one.
        """
        answers: list[dict[str, Any]] = []
        for start in range(0, len(message_ids), 1000):
            chunk = message_ids[start : start + 1000]
            response = self.http.post("/api/v1/hub/acks", json={"message_ids": chunk})
            if response.status_code in (404, 405) and not _is_error_shape(response):
                answers.extend(self.ack(m) | {"status": 200} for m in chunk)
                continue
            answers.extend(self._check(response).json()["results"])
        return answers

    def ack_all(self, message_ids: list[str]) -> None:
        """Acknowledge many messages (ack_many); HubError for the first one the hub refuses, naming it."""
        refused = [a for a in self.ack_many(message_ids) if a.get("status") != 200]
        if refused:
            first = refused[0]
            error = first.get("error") or {}
            raise HubError(
                int(first.get("status") or 502), str(error.get("code") or "hub_refused"),
                f"acknowledging {first.get('message_id')}: {error.get('message', '')}",
            )

    def verify_incoming(
        self, raw: bytes, sender: str, receipt: tuple[str, str] | None = None, message_id: str | None = None
    ) -> etree._Element:
        """Check a received message: signed over the whole document by a certificate of `sender`.

        - One the platform CA issued must chain to `ca.pem` and name the sender in its OU
          (checked here, whatever anyone answering for the hub says).
        - The hub must have the certificate on record for `sender`, not revoked: a revocation is
          for a key in doubt, so nothing signed with it is taken once it is revoked.
        - `receipt` (body, signature), the hub's receipt for the message, must verify against
          the pinned `hub.pem` and name these very bytes, this agency among the recipients and,
          given `message_id`, that message: the hub's signed word that it accepted the message
          and when. A receipt that does not is the hub's fault (`HubError`), not the sender's.
          It is what vouches for a certificate another CA issued (a member's own, which the
          hub's operator trusts), and it dates the acceptance: a certificate that expired after
          the hub accepted the message does not make its recipient return it. Without a
          receipt (None), another CA's certificate is refused and the dates are judged now.
        """
        try:
            root = edxml.parse_bytes(raw, max(len(raw), edxml.MAX_BYTES))  # the hub's own limit may be higher
            cert = xmlsig.embedded_certificate(root)
        except edxml.EdxmlError as exc:
            raise VerificationError(exc.message) from exc
        by_platform = cert.issuer == self.ca.subject
        if by_platform:
            try:
                cert.verify_directly_issued_by(self.ca)
            except (ValueError, TypeError, InvalidSignature) as exc:
                raise VerificationError("the signer's certificate is not from the hub's CA") from exc
            units = [a.value for a in cert.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATIONAL_UNIT_NAME)]
            if sender not in units:
                raise VerificationError(f"the certificate belongs to {units or 'nobody'}, not to the sender {sender}")
        record = self._registered(cert)
        if record is None:
            raise VerificationError("the signer's certificate is not one the hub registered")
        if record.get("agency") != sender:
            raise VerificationError(f"the hub registered the certificate to {record.get('agency') or 'nobody'}, not to the sender {sender}")
        if record.get("revoked_at"):
            raise VerificationError("the signer's certificate is revoked")
        try:
            xmlsig.verify(root, cert)
        except edxml.EdxmlError as exc:
            raise VerificationError(exc.message) from exc
        accepted_at = None if receipt is None else self._accepted_at(raw, receipt, message_id)
        if accepted_at is None and not by_platform:
            raise VerificationError("a certificate not from the hub's CA is taken only with the hub's receipt for the message")
        at = accepted_at or dt.datetime.now(dt.UTC)
        if not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc:
            raise VerificationError("the signer's certificate was not valid when the hub accepted the message")
        return root

    def _accepted_at(self, raw: bytes, receipt: tuple[str, str], message_id: str | None) -> dt.datetime:
        """When the hub accepted these very bytes, by its receipt: verified with the pinned hub.pem,
        naming their digest, this agency among the recipients and (given) the message id."""
        body, signature = receipt
        if not body or not self.verify_receipt(body, signature):
            raise HubError(502, "bad_receipt", "the hub's receipt for the message is missing or does not verify with hub.pem")
        try:
            data = json.loads(body)
            when = dt.datetime.fromisoformat(data["received_at"])
            recipients = list(data["recipients"])
        except (ValueError, KeyError, TypeError) as exc:
            raise HubError(502, "bad_receipt", f"the hub's receipt cannot be read: {exc}") from exc
        if data.get("sha256") != _sha256(raw):
            raise HubError(502, "bad_receipt", "the hub's receipt is for other bytes than those it handed out")
        if message_id is not None and data.get("message_id") != message_id:
            raise HubError(502, "bad_receipt", f"the hub's receipt names message {data.get('message_id')}, not {message_id}")
        if self.config.agency not in recipients:
            raise HubError(502, "bad_receipt", f"the hub's receipt does not name {self.config.agency} among the recipients")
        return when.astimezone(dt.UTC) if when.tzinfo else when.replace(tzinfo=dt.UTC)

    def _registered(self, cert: x509.Certificate) -> dict[str, Any] | None:
        """The hub's record of a certificate (`GET /certificates/{sha256}`), None if it has none;
        remembered for the life of this client."""
        fp = cert.fingerprint(hashes.SHA256()).hex()
        if fp not in self._certificates:
            try:
                self._certificates[fp] = self._get(f"/certificates/{fp}")
            except HubError as exc:
                if exc.status == 404:
                    return None
                raise
        return self._certificates[fp]

    def pull(self, out: Path, *, limit: int = 100, reject_invalid: bool = True) -> list[Received]:
        """Lease one page of what waits (up to `limit` messages, and at most 16 MiB of documents),
        verify each, write it to `out`, acknowledge them; call again for the next page.

        A document that fails verification is written to out/rejected/ and answered with
        status 02 (returned) saying why; it is acknowledged either way so it does not return.
        """
        received = []
        for item in self.inbox(limit, include_edxml=True):
            meta = item["message"]
            meta["id"] = listed_message_id(meta)  # it names a folder: it must not lead out of `out`
            raw, receipt, signature = self.document_of(item)
            problem = ""
            document: edxml.Message | None = None
            try:
                document = self._check_content(self.verify_incoming(raw, meta["sender"], (receipt, signature), meta["id"]), meta)
            except (VerificationError, edxml.EdxmlError) as exc:
                problem = str(exc)
            folder = out / ("rejected" if problem else "") / meta["id"]
            record = self._write(folder, raw, meta, problem, document)
            if problem and reject_invalid and meta["kind"] == "document":
                try:
                    # Keyed by the message: a pull retried after a crash sends no second 02.
                    self.send_status(meta["document_id"], "02", f"Không xác thực được văn bản: {problem}"[:500],
                                     idempotency_key=f"returned:{meta['id']}")
                except HubError as exc:
                    # Set aside all the same: a message the hub will not let us return must not
                    # come back on every pull.
                    record.problem = f"{problem} (status 02 refused: {exc.code})"
            received.append(record)
        # Acknowledged together once every folder is written: a pull that dies half-way
        # acknowledges nothing, and the lease brings the messages back (at least once).
        if received:
            self.ack_all([r.message_id for r in received])
        return received

    @staticmethod
    def _check_content(root: etree._Element, meta: dict[str, Any]) -> edxml.Message | None:
        """The signed content must be what the hub lists (meta.json keeps the hub's listing): its
        kind, sender and DocumentId, a document's business type, a status's code; a document's
        attachments must match its manifest. Returns the document read (None for a status)."""
        message: edxml.Message | None = None
        if meta["kind"] == "document":
            if edxml.is_status(root):
                raise VerificationError("the hub lists a document, but this is a status message")
            message = edxml.read_document(root)
            signed = {"sender": message.sender.organ_id, "document_id": message.document_id,
                      "business_doc_type": message.business.doc_type}
        else:
            status = edxml.read_status(root)
            signed = {"sender": status.sender.organ_id, "document_id": status.response_for.document_id,
                      "status_code": status.status_code}
        for key, value in signed.items():
            if key in meta and meta[key] != value:
                raise VerificationError(f"the hub lists {key} {meta[key]!r}, but the signed message says {value!r}")
        return message

    def _write(self, folder: Path, raw: bytes, meta: dict[str, Any], problem: str, message: edxml.Message | None) -> Received:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "message.xml"
        path.write_bytes(raw)
        attachments: list[Path] = []
        listed: list[dict[str, Any]] = []
        if message is not None and not problem:  # a verified document, read once by _check_content
            # Compared case-folded: on Windows and macOS `MESSAGE.XML` is message.xml, and A.pdf is a.pdf.
            used: set[str] = {"message.xml", "meta.json"}
            for att in message.attachments:
                name = _safe_name(att.name)
                while name.casefold() in used:
                    name = f"_{name}"
                used.add(name.casefold())
                (folder / name).write_bytes(att.data)
                attachments.append(folder / name)
                listed.append({"name": att.name, "file": name, "content_type": att.content_type,
                               "size": len(att.data), "sha256": _sha256(att.data)})
        # meta.json last: a folder with it is complete.
        (folder / "meta.json").write_text(
            json.dumps({**meta, "verified": not problem, "problem": problem, "attachments": listed}, ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
        return Received(meta["id"], meta["kind"], meta["sender"], meta["document_id"], path, not problem, problem,
                        meta.get("status_code"), attachments)

    # ------------------------------------------------------------ following up

    def trace(self, document_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._get("/trace", document_id=document_id)
        return result

    def members(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._get("/members")
        return result

    def request_change(self, document_id: str, doc_type: int, reason: str, *, recipients: list[str] | None = None,
                       replacement: edxml.Message | None = None) -> dict[str, Any]:
        """Ask the recipients to revoke (1) or update (2) a document, or send a replacement (3)."""
        if doc_type == edxml.DOC_REPLACE:
            if replacement is None:
                raise ValueError("a replacement document is needed")
            replacement.business.doc_type = edxml.DOC_REPLACE
            replacement.business.reason = reason
            replacement.business.replaces = [document_id]
            return self.send(replacement)
        history = self.trace(document_id)
        to = recipients or [r["organ_id"] for r in history["recipients"]]
        original = history["message"]
        number, _, notation = original["notation"].partition("/")
        date_part = document_id.split(",")[1] if document_id.count(",") >= 2 else ""
        message = edxml.Message(
            sender=edxml.Organization(self.config.agency),
            to=[edxml.Organization(code) for code in to],
            code=edxml.Code(number, notation),
            subject=original["subject"],
            promulgation=edxml.PromulgationInfo(promulgation_date=edxml.parse_date(date_part, "DocumentId")),
            business=edxml.Business(doc_type=doc_type, reason=reason, receivers=to if doc_type == edxml.DOC_UPDATE else []),
            document_id=document_id,
        )
        return self.send(message)
