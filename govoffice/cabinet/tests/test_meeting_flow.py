"""A meeting from plan to close: agenda with materials, members' positions, attendance, conclusions;
closing drafts the minutes and the notice in the registry and hands the tasks to supervision."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from govoffice.audit.models import Event
from govoffice.cabinet.models import AgendaItem, CabinetFile, Meeting, MeetingState
from govoffice.cabinet.services import meetings as flow
from govoffice.cabinet.signals import conclusion_tasks_issued
from govoffice.lib.errors import DomainError
from govoffice.records.files import Upload
from govoffice.records.services.outgoing import OutgoingDraft, create_outgoing

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def plan(cabinet: Any) -> Meeting:
    return flow.create_meeting(actor=cabinet.staff, data=flow.MeetingIn(
        kind="regular", title="Phiên họp Chính phủ thường kỳ tháng 6", starts_at=timezone.now() + dt.timedelta(days=2),
        place="Trụ sở Chính phủ", chair=cabinet.pm.username, members=[m.username for m in cabinet.members[1:]],
        guests=[("Nguyễn Văn An", "Chủ tịch VCCI")]))


def test_a_meeting_is_planned_with_members_and_guests(cabinet) -> None:
    meeting = plan(cabinet)
    attendees = list(meeting.attendees.all())
    assert [a.user for a in attendees if a.user] == cabinet.members
    assert [(a.guest_name, a.guest_title) for a in attendees if not a.user] == [("Nguyễn Văn An", "Chủ tịch VCCI")]
    assert meeting.chair == cabinet.pm and Event.objects.filter(action="cabinet.meeting_created").exists()


def test_an_item_takes_registry_documents_and_checked_uploads(cabinet, ministry, settings) -> None:
    meeting = plan(cabinet)
    doc = create_outgoing(actor=cabinet.staff, agency=cabinet.staff.agency, draft=OutgoingDraft(doc_type="TTr", subject="Tờ trình dự thảo Nghị định", body="Nội dung"))
    item = flow.add_item(actor=cabinet.staff, meeting=meeting, data=flow.ItemIn(
        title="Dự thảo Nghị định về nợ công", presenting_agency=ministry.code, starts=dt.time(9), ends=dt.time(10, 30),
        registry=[f"outgoing:{doc.pk}"], uploads=[Upload("du-thao.pdf", PDF)]))
    assert item.registry_materials.get().outgoing == doc
    assert item.uploads.get().content_type == "application/pdf"
    with pytest.raises(DomainError) as err:
        flow.add_item(actor=cabinet.staff, meeting=meeting, data=flow.ItemIn(title="x", presenting_agency=ministry.code,
                                                                              uploads=[Upload("du-thao.pdf", b"MZ\x90\x00" + b"\x00" * 200)]))
    assert err.value.code == "unsupported_file_type" and err.value.status == 415
    settings.CABINET = {"max_upload_bytes": 10}
    with pytest.raises(DomainError) as err:
        flow.add_item(actor=cabinet.staff, meeting=meeting, data=flow.ItemIn(title="x", presenting_agency=ministry.code, uploads=[Upload("a.pdf", PDF)]))
    assert err.value.code == "file_too_large" and err.value.status == 413
    with pytest.raises(DomainError) as err:
        flow.add_item(actor=cabinet.staff, meeting=meeting, data=flow.ItemIn(title="x", presenting_agency=ministry.code, registry=["outgoing:999999"]))
    assert err.value.code == "unknown_document"
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1 and CabinetFile.objects.count() == 1


def test_positions_before_the_meeting_flag_items_adoptable_without_debate(cabinet, ministry) -> None:
    meeting = plan(cabinet)
    calm = flow.add_item(actor=cabinet.staff, meeting=meeting, data=flow.ItemIn(title="Báo cáo tình hình", presenting_agency=ministry.code))
    hot = flow.add_item(actor=cabinet.staff, meeting=meeting, data=flow.ItemIn(title="Đề án mới", presenting_agency=ministry.code))
    for m in cabinet.members:
        flow.mark_position(actor=m, item=calm, position="no_objection")
    flow.mark_position(actor=cabinet.members[1], item=hot, position="no_objection")
    flow.mark_position(actor=cabinet.members[2], item=hot, position="wish_to_speak", note="Cần thảo luận")
    assert flow.adoptable_without_debate(calm) and not flow.adoptable_without_debate(hot)
    flow.mark_position(actor=cabinet.members[2], item=hot, position="no_objection")  # changes their mind
    assert flow.adoptable_without_debate(hot)
    with pytest.raises(DomainError) as err:
        flow.mark_position(actor=cabinet.staff, item=hot, position="objection")
    assert err.value.code == "not_an_attendee"
    with pytest.raises(DomainError) as err:
        flow.mark_position(actor=cabinet.members[1], item=hot, position="maybe")
    assert err.value.code == "invalid_choice"


def test_closing_drafts_minutes_and_notice_and_hands_tasks_to_supervision(cabinet, ministry, django_capture_on_commit_callbacks) -> None:
    meeting = plan(cabinet)
    item = flow.add_item(actor=cabinet.staff, meeting=meeting, data=flow.ItemIn(title="Dự thảo Nghị định", presenting_agency=ministry.code))
    with pytest.raises(DomainError) as err:
        flow.close_meeting(actor=cabinet.staff, meeting=meeting)
    assert err.value.code == "attendance_missing"
    marks = {a.pk: ("remote" if a.user == cabinet.members[3] else "present") for a in meeting.attendees.all()}
    flow.record_attendance(actor=cabinet.staff, meeting=meeting, marks=marks)
    with pytest.raises(DomainError) as err:
        flow.close_meeting(actor=cabinet.staff, meeting=meeting)
    assert err.value.code == "conclusion_missing"
    flow.record_item_outcome(actor=cabinet.staff, item=item, notes="Thảo luận sôi nổi", conclusion="Thông qua dự thảo.", tasks=[
        {"content": "Hoàn thiện dự thảo", "lead_agency_code": ministry.code, "coordinating_agency_codes": ["000.00.00.G22"], "deadline": "2019-07-30"},
    ])
    received: list[dict[str, Any]] = []

    def listener(sender: Any, **kw: Any) -> None:
        received.append(kw)

    conclusion_tasks_issued.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            flow.close_meeting(actor=cabinet.staff, meeting=meeting)
    finally:
        conclusion_tasks_issued.disconnect(listener)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED
    minutes, notice = meeting.minutes, meeting.notice
    assert minutes is not None and notice is not None
    assert minutes.doc_type == "BB" and minutes.state == "draft" and "Thảo luận sôi nổi" in minutes.body
    assert notice.doc_type == "TB" and "Hoàn thiện dự thảo" in notice.body and list(notice.recipients.all()) == [ministry]
    assert len(received) == 1 and received[0]["item"] == item and received[0]["meeting"] == meeting
    task = received[0]["tasks"][0]
    assert task == {"content": "Hoàn thiện dự thảo", "lead_agency_code": ministry.code, "coordinating_agency_codes": ["000.00.00.G22"],
                    "deadline": dt.date(2019, 7, 30), "assigner": cabinet.pm, "ref": f"cabinet-item-{item.pk}-1"}
    with pytest.raises(DomainError) as err:
        flow.mark_position(actor=cabinet.members[1], item=item, position="objection")
    assert err.value.code in ("meeting_closed", "not_an_attendee")


def test_bad_tasks_are_refused_and_change_nothing(cabinet, ministry) -> None:
    meeting = plan(cabinet)
    item = flow.add_item(actor=cabinet.staff, meeting=meeting, data=flow.ItemIn(title="Đề án", presenting_agency=ministry.code))
    for tasks, code in [([{"content": "", "lead_agency_code": ministry.code}], "required"),
                        ([{"content": "x", "lead_agency_code": "000.00.00.G99"}], "unknown_agency"),
                        ([{"content": "x", "lead_agency_code": ministry.code, "deadline": "30/07/2019"}], "invalid_date")]:
        with pytest.raises(DomainError) as err:
            flow.record_item_outcome(actor=cabinet.staff, item=item, notes="", conclusion="Kết luận", tasks=tasks)
        assert err.value.code == code
    item.refresh_from_db()
    assert item.conclusion == "" and item.tasks == []
