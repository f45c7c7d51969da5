"""Signed answers: the canonical bytes a member signs, and their check.

The signed text is canonical JSON (sorted keys, no spaces, UTF-8, ensure_ascii=False) of
{"ballot", "member", "revision", "answers": {"<question id>": {"option", "comment"}}}. The
revision is the answer's number (1 for the first, 2 for the first change…), so an old
signature cannot be replayed to put an earlier answer back. RSA PKCS#1 v1.5 with SHA-256
(or Ed25519) with the member's current key from govoffice.signing.people.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from govoffice.lib import pki
from govoffice.signing.models import Certificate
from govoffice.signing.services import platform_ca


def canonical(*, ballot_id: int, username: str, revision: int, answers: dict[str, dict[str, str]]) -> bytes:
    body = {"ballot": ballot_id, "member": username, "revision": revision, "answers": answers}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign(key: pki.SigningKey, payload: bytes) -> str:
    return base64.b64encode(pki.sign_bytes(key, payload)).decode("ascii")


def decode(signature: str) -> bytes | None:
    try:
        return base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return None


def verify(certificate: Certificate, payload: bytes, signature: str) -> bool:
    """True if the signature over `payload` was made with the key of `certificate`, which the platform CA issued."""
    raw = decode(signature)
    if raw is None:
        return False
    cert = pki.load_cert(certificate.pem.encode("ascii"))
    if not pki.issued_by(cert, platform_ca().cert):
        return False
    return pki.verify_bytes(cert, raw, payload)


def verify_answer(answer: Any) -> bool:
    """Check a kept answer: its signature over its payload, and that the payload says what the row says."""
    try:
        body = json.loads(answer.payload)
    except ValueError:
        return False
    if body.get("answers") != answer.choices or body.get("ballot") != answer.ballot_id or body.get("revision") != answer.revision:
        return False
    return verify(answer.certificate, answer.payload.encode("utf-8"), answer.signature)
