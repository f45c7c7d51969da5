from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from govoffice.audit.models import Event
from govoffice.deadlines import calendar
from govoffice.notify.models import Notice
from govoffice.portal.models import Dossier, Status
from govoffice.portal.selectors import is_overdue
from govoffice.portal.tests.helpers import file_dossier, signed_pdf

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def filed(client: Any, catalogue: Any, citizen: Any, django_capture_on_commit_callbacks: Any) -> str:
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        resp = file_dossier(client)
    assert resp.status_code == 201, resp.content
    return str(resp.json()["receipt_code"])


def post(client: Any, code: str, action: str, **body: Any) -> Any:
    return client.post(f"/api/v1/portal/dossiers/{code}/{action}", body, content_type="application/json")


def test_the_officer_accepts_and_the_deadline_counts_working_days(client: Any, filed: str, officer: Any, citizen: Any) -> None:
    client.force_login(officer())
    resp = post(client, filed, "accept")
    assert resp.status_code == 200 and resp.json()["status"] == Status.ACCEPTED
    assert resp.json()["due_date"] == calendar().add(timezone.localdate(), 10).isoformat()
    assert Notice.objects.filter(kind="portal.dossier", ref=filed, user=citizen).count() == 2  # filed, accepted


def test_the_whole_road_papers_fees_processing_signed_result_returned(
        client: Any, filed: str, officer: Any, citizen: Any, django_capture_on_commit_callbacks: Any) -> None:
    clerk = officer()
    client.force_login(clerk)
    post(client, filed, "accept")
    assert post(client, filed, "request-papers", note="").status_code == 422  # the reason is required
    assert post(client, filed, "request-papers", note="Bổ sung bản chụp CCCD").json()["status"] == Status.PAPERS_REQUESTED
    client.force_login(citizen)
    from govoffice.portal.tests.conftest import PNG

    resp = client.post(f"/api/v1/portal/dossiers/{filed}/papers", {"files": [_file("cccd.png", PNG)]})
    assert resp.json()["status"] == Status.PROCESSING  # accepted before, so processing resumes
    client.force_login(clerk)
    fees = post(client, filed, "request-fees", note="Lệ phí cấp phiếu")
    assert fees.json()["status"] == Status.FEES_REQUESTED
    payment = fees.json()["payments"][0]
    assert payment["amount"] == 200000 and payment["reference"] in payment["instructions"]
    assert post(client, filed, "process").status_code == 409  # the fee is not paid yet
    assert client.post(f"/api/v1/portal/dossiers/{filed}/payments/{payment['reference']}/confirm").json()["status"] == Status.PROCESSING
    unsigned = client.post(f"/api/v1/portal/dossiers/{filed}/finish", {"result": _file("kq.pdf", b"%PDF-1.4\n%%EOF\n")})
    assert unsigned.status_code == 422 and unsigned.json()["error"]["code"] == "unsigned_result"
    done = client.post(f"/api/v1/portal/dossiers/{filed}/finish", {"result": _file("kq.pdf", signed_pdf(clerk))})
    assert done.status_code == 200 and done.json()["status"] == Status.PROCESSED
    result = next(f for f in done.json()["files"] if f["role"] == "result")
    client.force_login(citizen)
    assert client.get(f"/portal/dossiers/{filed}/files/{result['id']}/").status_code == 404  # not returned yet
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, filed, "return").json()["status"] == Status.RETURNED
    client.force_login(citizen)
    assert client.get(f"/portal/dossiers/{filed}/files/{result['id']}/").status_code == 200
    statuses = [s["status"] for s in client.get(f"/api/v1/portal/dossiers/{filed}").json()["steps"]]
    assert statuses == [1, 2, 5, 4, 6, 4, 9, 10]
    assert Notice.objects.filter(kind="portal.dossier", ref=filed).count() == len(statuses)
    assert any(filed in m.subject for m in mail.outbox)
    assert Event.objects.filter(object_id=str(Dossier.objects.get(receipt_code=filed).pk), action__startswith="portal.").count() == 8


def _file(name: str, data: bytes) -> Any:
    import io

    f = io.BytesIO(data)
    f.name = name
    return f


def test_moves_outside_the_lifecycle_are_refused_and_change_nothing(client: Any, filed: str, officer: Any) -> None:
    client.force_login(officer())
    for action in ("return", "process", "finish"):
        assert post(client, filed, action).status_code in (409, 422)
    assert Dossier.objects.get(receipt_code=filed).status == Status.REGISTERED
    post(client, filed, "refuse", reason="Hồ sơ không thuộc thẩm quyền")
    assert post(client, filed, "accept").status_code == 409


def test_the_applicant_withdraws_and_the_agency_stops(client: Any, filed: str, officer: Any, citizen: Any) -> None:
    client.force_login(citizen)
    assert post(client, filed, "withdraw", note="Không còn nhu cầu").json()["status"] == Status.WITHDRAWAL_REQUESTED
    client.force_login(officer())
    assert post(client, filed, "accept").status_code == 409
    assert post(client, filed, "stop", reason="Theo đề nghị rút hồ sơ của công dân").json()["status"] == Status.STOPPED


def test_an_applicant_cannot_handle_and_an_officer_of_another_agency_cannot_see(
        client: Any, filed: str, officer: Any, citizen: Any, other_citizen: Any) -> None:
    client.force_login(citizen)
    assert post(client, filed, "accept").status_code == 403
    client.force_login(officer("000.00.00.G12"))
    assert post(client, filed, "accept").status_code == 404
    assert client.get(f"/api/v1/portal/dossiers/{filed}").status_code == 404
    client.force_login(other_citizen)
    assert client.get(f"/api/v1/portal/dossiers/{filed}").status_code == 404
    assert client.get(f"/portal/dossiers/{filed}/").status_code == 404
    assert Dossier.objects.get(receipt_code=filed).status == Status.REGISTERED


def test_a_dossier_past_its_working_day_deadline_is_flagged_overdue(client: Any, filed: str, officer: Any) -> None:
    clerk = officer()
    client.force_login(clerk)
    post(client, filed, "accept")
    row = Dossier.objects.get(receipt_code=filed)
    assert not is_overdue(row)
    assert row.due_date is not None
    assert is_overdue(row, today=row.due_date + dt.timedelta(days=1))
    Dossier.objects.filter(pk=row.pk).update(due_date=timezone.localdate() - dt.timedelta(days=3))
    listed = client.get("/api/v1/portal/dossiers", {"overdue": True}).json()
    assert [d["receipt_code"] for d in listed["items"]] == [filed] and listed["items"][0]["overdue"]
    assert "overdue" in client.get("/portal/desk/", {"overdue": 1}).content.decode()
