from __future__ import annotations

from typing import Any

from govoffice.portal.models import Dossier, DossierFile
from govoffice.portal.tests.conftest import JUDICIAL_VALUES, PDF, PNG
from govoffice.portal.tests.helpers import file_dossier


def test_a_citizen_files_online_and_gets_a_receipt_code(client: Any, catalogue: Any, citizen: Any) -> None:
    client.force_login(citizen)
    resp = file_dossier(client, files=[("to-khai.pdf", PDF), ("anh.png", PNG)])
    assert resp.status_code == 201
    body = resp.json()
    assert body["receipt_code"].startswith("HS-") and body["status"] == 1 and body["agency"] == "000.00.00.G15"
    assert body["data"]["copies"] == 1 and body["data"]["birth_date"] == "1990-05-17"
    assert sorted(f["content_type"] for f in body["files"]) == ["application/pdf", "image/png"]


def test_a_retry_with_the_same_idempotency_key_makes_no_second_dossier(client: Any, catalogue: Any, citizen: Any) -> None:
    client.force_login(citizen)
    first = file_dossier(client, key="lan-1")
    again = file_dossier(client, key="lan-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["receipt_code"] == again.json()["receipt_code"] and Dossier.objects.count() == 1


def test_a_disguised_file_is_refused_by_its_content(client: Any, catalogue: Any, citizen: Any) -> None:
    client.force_login(citizen)
    resp = file_dossier(client, files=[("to-khai.pdf", b"MZ\x90\x00" + b"\x00" * 200)])
    assert resp.status_code == 415 and resp.json()["error"]["field"] == "files"
    assert Dossier.objects.count() == 0 and DossierFile.objects.count() == 0


def test_a_file_over_the_cap_is_refused(client: Any, catalogue: Any, citizen: Any, settings: Any) -> None:
    settings.PORTAL = {"max_file_bytes": 100}
    client.force_login(citizen)
    resp = file_dossier(client, files=[("to-khai.pdf", PDF + b"\n" * 200)])
    assert resp.status_code == 413 and Dossier.objects.count() == 0


def test_missing_or_invalid_form_fields_name_the_field(client: Any, catalogue: Any, citizen: Any) -> None:
    client.force_login(citizen)
    missing = file_dossier(client, values={k: v for k, v in JUDICIAL_VALUES.items() if k != "purpose"})
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "purpose"
    bad_id = file_dossier(client, values={**JUDICIAL_VALUES, "identity_number": "003090123456"})
    assert bad_id.status_code == 422 and bad_id.json()["error"]["field"] == "identity_number"
    no_papers = file_dossier(client, files=[])
    assert no_papers.status_code == 422 and no_papers.json()["error"]["code"] == "papers_missing"
    assert Dossier.objects.count() == 0


def test_unknown_procedures_and_procedures_for_others_are_refused(client: Any, catalogue: Any, citizen: Any, business: Any) -> None:
    client.force_login(citizen)
    assert file_dossier(client, procedure="9.999999").status_code == 404
    client.force_login(business)
    assert file_dossier(client).status_code == 403  # the judicial record is a citizen's procedure
    assert file_dossier(client, procedure="1.003003").status_code == 422  # level 2: not filed online
    assert Dossier.objects.count() == 0


def test_the_page_files_a_dossier_without_javascript(client: Any, catalogue: Any, citizen: Any) -> None:
    import io

    client.force_login(citizen)
    page = client.get("/portal/procedures/2.000488/submit/")
    assert page.status_code == 200 and 'name="f-slip_kind"' in page.content.decode()
    upload = io.BytesIO(PDF)
    upload.name = "to-khai.pdf"
    bad = client.post("/portal/procedures/2.000488/submit/", {**{f"f-{k}": v for k, v in JUDICIAL_VALUES.items()}, "f-copies": "0", "files": [upload]})
    assert bad.status_code == 422 and Dossier.objects.count() == 0
    upload.seek(0)
    ok = client.post("/portal/procedures/2.000488/submit/", {**{f"f-{k}": v for k, v in JUDICIAL_VALUES.items()}, "files": [upload]})
    row = Dossier.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/portal/dossiers/{row.receipt_code}/"
    assert row.receipt_code in client.get("/portal/my/").content.decode()
