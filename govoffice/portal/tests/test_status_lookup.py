from __future__ import annotations

import sys
import types
from typing import Any

from django.utils import timezone

from govoffice.portal import receipts
from govoffice.portal.tests.helpers import file_dossier


def test_anyone_sees_only_the_public_status_of_a_code(client: Any, catalogue: Any, citizen: Any) -> None:
    client.force_login(citizen)
    code = file_dossier(client).json()["receipt_code"]
    client.logout()
    api = client.get(f"/api/v1/portal/status/{code.lower().replace('-', '')}")
    assert api.status_code == 200
    assert set(api.json()) == {"code", "kind", "status", "status_label", "updated_at"}
    assert api.json()["code"] == code and api.json()["status"] == 1
    page = client.get("/portal/lookup/", {"code": code})
    html = page.content.decode()
    assert page.status_code == 200 and "Nguyễn Văn An" not in html and "2.000488" not in html
    assert "sessionid" not in page.cookies


def test_an_unknown_code_and_a_mistyped_code_get_clear_answers(client: Any, db: Any) -> None:
    unknown = receipts.format_for("dossier").new(2026)
    resp = client.get(f"/api/v1/portal/status/{unknown}")
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found"
    typo = unknown[:-1] + ("0" if unknown[-1] != "0" else "1")
    assert client.get(f"/api/v1/portal/status/{typo}").status_code == 422
    assert client.get("/portal/lookup/", {"code": unknown}).status_code == 404
    assert client.get("/portal/lookup/", {"code": "hello"}).status_code == 422


def test_feedback_codes_are_answered_by_the_feedback_app(client: Any, db: Any, monkeypatch: Any) -> None:
    code = receipts.format_for("feedback").new(2019)
    now = timezone.now()
    fake = types.ModuleType("govoffice.portal.feedback.selectors")
    fake.public_status = lambda c: {"code": c, "status": "forwarded", "status_label": "Đã chuyển bộ", "updated_at": now} if c == code else None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "govoffice.portal.feedback.selectors", fake)
    resp = client.get(f"/api/v1/portal/status/{code}")
    assert resp.status_code == 200 and resp.json()["kind"] == "feedback" and resp.json()["status_label"] == "Đã chuyển bộ"
    assert client.get(f"/api/v1/portal/status/{receipts.format_for('feedback').new(2019)}").status_code == 404


def test_too_many_lookups_from_one_address_get_429_with_retry_after(client: Any, db: Any, settings: Any) -> None:
    settings.PORTAL = {"limit_lookup_per_address": (3, 60)}
    code = receipts.format_for("dossier").new(2026)
    answers = [client.get(f"/api/v1/portal/status/{code}").status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]
    limited = client.get(f"/api/v1/portal/status/{code}")
    assert limited.json()["error"]["code"] == "rate_limited" and 1 <= int(limited["Retry-After"]) <= 60
    page = client.get("/portal/lookup/", {"code": code})
    assert page.status_code == 429 and page["Retry-After"]
    other = client.get(f"/api/v1/portal/status/{code}", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 404  # another address has its own allowance
