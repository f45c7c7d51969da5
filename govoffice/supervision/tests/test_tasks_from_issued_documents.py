"""Issued decisions, directives and conclusion notices wait on the officer's page until tasks cite them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from govoffice.records.models import DocType, Outgoing, OutgoingState
from govoffice.supervision.models import Task

TODAY = timezone.localdate()


def _issued(office, officer, doc_type: str, number: int) -> Outgoing:
    return Outgoing.objects.create(
        agency=office, authority_short="TTg", authority_name="Thủ tướng Chính phủ", doc_type=doc_type,
        subject=f"Văn bản số {number}", body="…", state=OutgoingState.ISSUED, year=TODAY.year, number=number,
        notation=f"{number}/{doc_type}-TTg", issued_at=timezone.now() - dt.timedelta(days=1), created_by=officer)


def test_the_officer_breaks_an_issued_directive_into_tasks(login, officer, office, ministry, home_affairs) -> None:
    directive = _issued(office, officer, DocType.CHI_THI, 12)
    _issued(office, officer, DocType.CONG_VAN, 13)  # a công văn carries no task to follow
    client = login(officer)
    listing = client.get("/supervision/documents/").content.decode()
    assert "12/CT-TTg" in listing and "13/CV-TTg" not in listing
    form = client.get(f"/supervision/tasks/new/?document={directive.pk}").content.decode()
    assert 'value="12/CT-TTg"' in form
    response = client.post(f"/supervision/tasks/new/?document={directive.pk}", {
        "content": "Tăng cường kỷ luật tài chính", "assigner": "prime_minister", "lead_agency": ministry.code,
        "coordinating_agencies": home_affairs.code, "importance": "1", "source": "document", "source_ref": "12/CT-TTg",
        "deadline": (TODAY + dt.timedelta(days=60)).strftime("%d/%m/%Y")})
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.source_document == directive and task.assigned_on == timezone.localdate(directive.issued_at)
    assert "12/CT-TTg" not in client.get("/supervision/documents/").content.decode()


def test_the_home_page_lists_what_waits_for_the_lead_agency(assign, login, finance_staff) -> None:
    task = assign("Nhiệm vụ quá hạn của Bộ", assigned_on=TODAY - dt.timedelta(days=20), deadline=TODAY - dt.timedelta(days=2))
    page = login(finance_staff).get("/").content.decode()
    assert task.code in page
