"""A lead agency's status 05/06 through the hub about a task's source document is a progress
report (05) or the task's completion (06); other agencies' statuses change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from govoffice_agent import edxml

from govoffice.directory.services import create_user
from govoffice.exchange.models import Kind, Message
from govoffice.exchange.tests.conftest import make_message, sign
from govoffice.records.models import DocType, Outgoing, OutgoingState
from govoffice.records.tests.conftest import (  # noqa: F401  (hub fixtures)
    agencies,
    enroll,
    finance,
    office_hub,
    send,
    status_of,
)
from govoffice.supervision.models import Channel, Source, Task
from govoffice.supervision.services.tasks import TaskDraft, create_task

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def decision(office_hub, finance, enroll, send, agencies) -> tuple[Outgoing, Task, Any]:  # noqa: F811
    """Decision 15/QĐ-TTg sent by the office to Finance and Home Affairs through the hub, with a task led by Finance."""
    home_affairs = enroll("000.00.00.G09")
    raw = sign(office_hub, edxml.build_message(make_message(office_hub.code, [finance.code, "000.00.00.G09"], code=edxml.Code("15", "QĐ-TTg"),
                                                            subject="Quyết định giao nhiệm vụ quản lý nợ công")))
    assert send(office_hub, raw).status_code in (200, 201)
    message = Message.objects.get(kind=Kind.DOCUMENT, sender=office_hub.agency)
    officer = create_user(actor=None, username="giamsat", password=None, agency=office_hub.agency, roles=["supervision_officer"])
    doc = Outgoing.objects.create(
        agency=office_hub.agency, authority_short="TTg", authority_name="Thủ tướng Chính phủ", doc_type=DocType.QUYET_DINH,
        subject=message.subject, body="Giao Bộ Tài chính…", state=OutgoingState.ISSUED, year=2026, number=15, notation="15/QĐ-TTg",
        document_id=message.document_id, issued_at=timezone.now(), created_by=officer,
    )
    task = create_task(actor=officer, draft=TaskDraft(content="Trình Chính phủ Nghị định về quản lý nợ công", assigner="prime_minister",
                                                       lead_agency=finance.code, source=Source.DOCUMENT, source_document_id=doc.pk))
    return doc, task, home_affairs


def _status(send: Any, status_of: Any, party: Any, document_id: str, code: str, text: str = "") -> None:  # noqa: F811
    response = send(party, status_of(party, document_id, code, text), "/api/v1/hub/statuses")
    assert response.status_code in (200, 201), response.content


def test_status_05_is_progress_and_06_completes_the_task(decision, finance, send, status_of) -> None:  # noqa: F811
    doc, task, _other = decision
    assert task.source_ref == "15/QĐ-TTg"
    _status(send, status_of, finance, doc.document_id, "05", "Đang lấy ý kiến các bộ")
    task.refresh_from_db()
    assert task.completed_on is None
    report = task.reports.get()
    assert (report.channel, report.note, report.completes, report.agency) == (Channel.HUB, "Đang lấy ý kiến các bộ", False, finance.agency)
    _status(send, status_of, finance, doc.document_id, "06")
    task.refresh_from_db()
    assert task.completed_on == timezone.localdate()
    assert task.reports.filter(completes=True, channel=Channel.HUB).count() == 1


def test_a_status_from_a_recipient_that_does_not_lead_the_task_changes_nothing(decision, send, status_of) -> None:  # noqa: F811
    doc, task, home_affairs = decision
    _status(send, status_of, home_affairs, doc.document_id, "06")
    task.refresh_from_db()
    assert task.completed_on is None and task.reports.count() == 0
