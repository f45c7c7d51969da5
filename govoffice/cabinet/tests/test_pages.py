"""The cabinet pages: a member's pending list, answering and signing on the page, the
secretariat's forms, results and report; errors beside their field; outsiders refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govoffice.cabinet.models import Answer, Ballot, Meeting
from govoffice.cabinet.services import meetings as meeting_flow
from govoffice.directory.models import Role
from govoffice.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_member_sees_pending_ballots_and_answers_with_their_password(cabinet, client) -> None:
    ballot = cabinet.opened()
    member = cabinet.members[1]
    client.force_login(member)
    page = client.get("/cabinet/")
    assert page.status_code == 200 and ballot.title in page.content.decode()
    q = ballot.questions.get()
    wrong = client.post(f"/cabinet/ballots/{ballot.pk}/answer/", {f"q{q.pk}": "agree", f"c{q.pk}": "", "password": "sai"})
    assert wrong.status_code == 400 and 'id="id_password-error"' in wrong.content.decode()
    assert not Answer.objects.exists()
    ok = client.post(f"/cabinet/ballots/{ballot.pk}/answer/", {f"q{q.pk}": "other", f"c{q.pk}": "Cần bổ sung", "password": PASSWORD})
    assert ok.status_code == 302
    answer = Answer.objects.get()
    assert answer.choices == {str(q.pk): {"option": "other", "comment": "Cần bổ sung"}}
    detail = client.get(f"/cabinet/ballots/{ballot.pk}/").content.decode()
    assert "Cần bổ sung" in detail
    assert ballot.title not in client.get("/cabinet/").content.decode()


def test_the_secretariat_prepares_sends_and_reads_the_results(cabinet, client) -> None:
    client.force_login(cabinet.staff)
    r = client.post("/cabinet/ballots/new/", {"title": "Phiếu lấy ý kiến về Đề án", "questions": "Đồng ý?\nGiao Bộ Tài chính?",
                                              "deadline": (timezone.localtime() + dt.timedelta(days=3)).strftime("%d/%m/%Y %H:%M"),
                                              "allow_change": "on", "non_answer": "not_for"})
    assert r.status_code == 302, r.content.decode()[:2000]
    ballot = Ballot.objects.get()
    assert ballot.questions.count() == 2
    assert client.post(f"/cabinet/ballots/{ballot.pk}/open/").status_code == 302
    assert client.post(f"/cabinet/ballots/{ballot.pk}/close/").status_code == 302
    results = client.get(f"/cabinet/ballots/{ballot.pk}/results/")
    assert results.status_code == 200 and cabinet.pm.full_name in results.content.decode()
    pdf = client.get(f"/cabinet/ballots/{ballot.pk}/bao-cao.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_bad_deadline_is_shown_beside_its_field(cabinet, client) -> None:
    client.force_login(cabinet.staff)
    r = client.post("/cabinet/ballots/new/", {"title": "x", "questions": "?", "deadline": "01/01/2001 08:00", "non_answer": "not_for"})
    assert r.status_code == 400 and 'id="id_deadline-error"' in r.content.decode()
    assert not Ballot.objects.exists()


def test_meeting_pages(cabinet, client, ministry) -> None:
    client.force_login(cabinet.staff)
    r = client.post("/cabinet/meetings/new/", {"kind": "regular", "title": "Phiên họp tháng 7", "starts_at": "02/07/2030 08:30",
                                               "place": "Hà Nội", "chair": "thutuong", "members": " ".join(m.username for m in cabinet.members[1:]),
                                               "guests": "Nguyễn Văn An; Chuyên gia"})
    assert r.status_code == 302, r.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y %H:%M") == "02/07/2030 08:30"
    r = client.post(f"/cabinet/meetings/{meeting.pk}/items/", {"title": "Dự án Luật", "presenting_agency": ministry.code, "starts": "09:00", "ends": "10:00"})
    assert r.status_code == 302
    item = meeting.items.get()
    client.force_login(cabinet.members[1])
    r = client.post(f"/cabinet/meetings/{meeting.pk}/items/{item.pk}/position/", {f"p{item.pk}-position": "wish_to_speak", f"p{item.pk}-note": "Xin phát biểu"})
    assert r.status_code == 302 and item.positions.get().position == "wish_to_speak"
    client.force_login(cabinet.staff)
    page = client.get(f"/cabinet/meetings/{meeting.pk}/").content.decode()
    assert "Xin phát biểu" in page and "Nguyễn Văn An" in page
    r = client.post(f"/cabinet/meetings/{meeting.pk}/items/{item.pk}/outcome/", {
        f"o{item.pk}-conclusion": "Thông qua", f"o{item.pk}-tasks": f"{ministry.code}; ; 31/12/2030; Hoàn thiện dự án"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.tasks[0]["deadline"] == "2030-12-31"
    r = client.post(f"/cabinet/meetings/{meeting.pk}/close/")
    assert r.status_code == 409 and 'role="alert"' in r.content.decode()
    marks = {f"a{a.pk}": "present" for a in meeting.attendees.all() if a.user_id}
    assert client.post(f"/cabinet/meetings/{meeting.pk}/attendance/", marks).status_code == 302
    assert client.post(f"/cabinet/meetings/{meeting.pk}/close/").status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == "closed" and meeting.minutes_id


def test_people_outside_the_cabinet_are_refused(cabinet, client, make_user, make_member) -> None:
    ballot = cabinet.opened(title="Bí mật nội bộ")
    meeting = meeting_flow.create_meeting(actor=cabinet.staff, data=meeting_flow.MeetingIn(
        kind="regular", title="Phiên họp", starts_at=timezone.now() + dt.timedelta(days=1), place="Hà Nội", chair="thutuong"))
    client.force_login(make_user(Role.CLERK))
    assert client.get("/cabinet/").status_code == 403
    assert client.get(f"/cabinet/ballots/{ballot.pk}/").status_code == 403
    client.force_login(make_member("botruongmoi"))
    assert client.get(f"/cabinet/ballots/{ballot.pk}/").status_code == 404
    assert client.get(f"/cabinet/meetings/{meeting.pk}/").status_code == 404
    assert "Bí mật nội bộ" not in client.get("/cabinet/ballots/").content.decode()
    client.force_login(cabinet.members[1])
    assert client.get(f"/cabinet/ballots/{ballot.pk}/results/").status_code == 403
    client.logout()
    assert client.get("/cabinet/").status_code == 302
