"""The audit log's JSON API: verification for auditors."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from govoffice.apischema import errors
from govoffice.audit.services import verify_chain
from govoffice.directory.permissions import may
from govoffice.lib.errors import Forbidden

router = Router(tags=["audit"])


class VerdictOut(Schema):
    ok: bool
    checked: int
    broken_seq: int | None
    reason: str


@router.get("/verify", response={200: VerdictOut, **errors(401, 403)}, summary="Walk the hash chain and report the first broken link")
def verify(request: HttpRequest) -> dict[str, object]:
    if not may(request.user, "audit.verify"):
        raise Forbidden("forbidden", "Only auditors and administrators may verify the audit log")
    verdict = verify_chain()
    return {"ok": verdict.ok, "checked": verdict.checked, "broken_seq": verdict.broken_seq, "reason": verdict.reason}
