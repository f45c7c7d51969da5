"""Anyone looks up a receipt code and learns its public status only; an unknown code gives no
hint whether it belongs to someone else (the same 404 as a malformed one)."""

from __future__ import annotations

from typing import Any

import pytest

from govoffice.portal.feedback.selectors import public_status

pytestmark = pytest.mark.django_db


def test_public_status_gives_the_code_status_label_and_time(file_one: Any) -> None:
    row = file_one()
    found = public_status(row.code.lower().replace("-", " "))
    assert found == {"code": row.code, "status": "received", "status_label": "Đã tiếp nhận", "updated_at": row.updated_at}
    assert set(found) == {"code", "status", "status_label", "updated_at"}


def test_unknown_and_malformed_codes_are_none(file_one: Any) -> None:
    row = file_one()
    wrong_check = row.code[:-1] + ("0" if row.code[-1] != "0" else "1")
    for code in (wrong_check, "PA-2019-AAAAAAAAA", "HS-2019-AAAAAAAAA", "", "'; drop table"):
        assert public_status(code) is None


def test_the_api_answers_the_same_404_for_unknown_and_malformed_codes(client: Any, file_one: Any) -> None:
    row = file_one()
    ok = client.get(f"/api/v1/portal/feedback/status/{row.code}")
    assert ok.status_code == 200 and ok.json()["status"] == "received" and "name" not in ok.json()
    unknown = client.get("/api/v1/portal/feedback/status/PA-2019-AAAAAAAAA")
    malformed = client.get("/api/v1/portal/feedback/status/xyz")
    assert unknown.status_code == malformed.status_code == 404
    assert unknown.json() == malformed.json()


def test_the_status_page_shows_the_status_and_nothing_personal(client: Any, file_one: Any) -> None:
    row = file_one()
    page = client.get("/portal/feedback/status/", {"code": row.code})
    body = page.content.decode()
    assert page.status_code == 200 and "Đã tiếp nhận" in body and row.name not in body and row.email not in body
    missing = client.get("/portal/feedback/status/", {"code": "PA-2019-AAAAAAAAA"})
    assert missing.status_code == 404 and "Không có phản ánh nào có mã tiếp nhận này" in missing.content.decode()
