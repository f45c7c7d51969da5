"""The hub's signed receipt: proof for a sender that a message was accepted, and when."""

from __future__ import annotations

import base64
import json
from typing import Any

from govoffice.lib import pki
from govoffice.signing.services import hub_identity


def canonical(data: dict[str, Any]) -> str:
    # ASCII only: the receipt also travels in an HTTP header (X-Govoffice-Receipt).
    return json.dumps(data, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def make_receipt(data: dict[str, Any]) -> tuple[str, str]:
    """The canonical JSON of a receipt and the hub's base64 signature over its UTF-8 bytes."""
    body = canonical(data)
    signature = pki.sign_bytes(hub_identity().key, body.encode("utf-8"))
    return body, base64.b64encode(signature).decode("ascii")


def verify_receipt(body: str, signature: str) -> bool:
    """True if the hub's current key signed this receipt."""
    try:
        raw = base64.b64decode(signature, validate=True)
    except ValueError:
        return False
    return pki.verify_bytes(hub_identity().cert, raw, body.encode("utf-8"))
