"""The clerk's, the leader's and the handler's pages: registering a paper document with scans,
the register's list with filters, a document's page with files, assignments, history and the
statuses sent, assigning, marking progress, and each person's home page of waiting work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from govoffice.records.models import Assignment, Clearance, Incoming, IncomingState, Urgency
from govoffice.records.services.handling import AssignmentPlan, assign_incoming
from govoffice.records.services.incoming import present_incoming
from govoffice.records.tests.incoming_people import desk, png, register, signed_in  # noqa: F401

pytestmark = pytest.mark.django_db


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "sender_name": "Ủy ban nhân dân tỉnh Nghệ An", "number_notation": "45/UBND-TH", "document_date": "20/09/2019",
        "doc_type": "CV", "subject": "Về việc hỗ trợ khắc phục hậu quả bão số 4", "urgency": "1",
        "confidentiality": "0", "pages": "2", "note": "",
    }
    data.update(overrides)
    return data


def test_the_clerk_registers_a_paper_document_with_scans_on_the_page(desk, tmp_path) -> None:  # noqa: F811
    client = signed_in(desk.clerk)
    assert client.get("/records/incoming/new/").status_code == 200
    one, two = tmp_path / "trang-1.png", tmp_path / "trang-2.png"
    one.write_bytes(png("một"))
    two.write_bytes(png("hai"))
    with one.open("rb") as f1, two.open("rb") as f2:
        response = client.post("/records/incoming/new/", {**_form(), "scans": [f1, f2]})
    doc = Incoming.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/records/incoming/{doc.pk}/"
    assert doc.document_date == dt.date(2019, 9, 20) and doc.urgency == Urgency.KHAN and doc.files.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "trang-1.png" in page and "trang-2.png" in page and "Khẩn" in page
    assert "45/UBND-TH" in page and "Đã vào sổ" in page  # the history names the registration


def test_a_missing_field_is_named_beside_it(desk) -> None:  # noqa: F811
    response = signed_in(desk.clerk).post("/records/incoming/new/", _form(subject="", sender_name=""))
    html = response.content.decode()
    assert response.status_code == 400 and Incoming.objects.count() == 0
    assert 'id="id_subject-error"' in html and 'id="id_sender_name-error"' in html
    assert 'aria-invalid="true"' in html


def test_only_clerks_get_the_registration_page(desk) -> None:  # noqa: F811
    assert signed_in(desk.leader).get("/records/incoming/new/").status_code == 403
    assert signed_in(desk.outsider).get("/records/incoming/").status_code == 403


def test_the_list_filters_by_state_urgency_and_date(desk) -> None:  # noqa: F811
    a = register(desk, scans=[], subject="Thứ nhất thường")
    b = register(desk, scans=[], subject="Thứ hai khẩn", urgency=Urgency.KHAN)
    assign_incoming(actor=desk.leader, incoming=a, plan=AssignmentPlan(lead_person=desk.specialist))
    client = signed_in(desk.clerk)
    assigned = client.get("/records/incoming/?state=assigned").content.decode()
    assert a.subject in assigned and b.subject not in assigned
    urgent = client.get("/records/incoming/?urgency=1").content.decode()
    assert b.subject in urgent and a.subject not in urgent
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    old = client.get(f"/records/incoming/?date_to={yesterday}").content.decode()
    assert a.subject not in old and b.subject not in old
    wrong = client.get("/records/incoming/?date_from=31/02/2026")
    assert 'id="id_date_from-error"' in wrong.content.decode()


def test_the_list_pages_fifty_at_a_time(desk) -> None:  # noqa: F811
    for i in range(52):
        register(desk, scans=[], subject=f"Văn bản {i:02d}")
    client = signed_in(desk.clerk)
    first = client.get("/records/incoming/").content.decode()
    second = client.get("/records/incoming/?page=2").content.decode()
    assert "Văn bản 51" in first and "Văn bản 00" not in first
    assert "Văn bản 00" in second and "Văn bản 01" in second


def test_a_secret_document_is_not_found_by_someone_without_clearance(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[], confidentiality=Clearance.MAT, subject="Văn bản mật")
    assert signed_in(desk.colleague).get(f"/records/incoming/{doc.pk}/").status_code == 404
    assert "Văn bản mật" not in signed_in(desk.colleague).get("/records/incoming/").content.decode()
    assert signed_in(desk.specialist).get(f"/records/incoming/{doc.pk}/").status_code == 200


def test_a_scan_is_served_with_its_real_type_to_those_who_may_see_it(desk) -> None:  # noqa: F811
    from govoffice.records.files import Upload

    doc = register(desk, scans=[Upload("ban-chup.pdf", png())])
    f = doc.files.get()
    response = signed_in(desk.clerk).get(f"/records/incoming/{doc.pk}/files/{f.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.getvalue() == f.file.open("rb").read()
    secret = register(desk, scans=[Upload("mat.png", png())], confidentiality=Clearance.MAT)
    assert signed_in(desk.colleague).get(f"/records/incoming/{secret.pk}/files/{secret.files.get().pk}").status_code == 404


def test_the_clerk_presents_and_the_leader_assigns_on_the_pages(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    clerk = signed_in(desk.clerk)
    assert clerk.post(f"/records/incoming/{doc.pk}/present/", {"leader": desk.leader.pk}).status_code == 302
    assert Incoming.objects.get(pk=doc.pk).presented_to == desk.leader
    leader = signed_in(desk.leader)
    form = leader.get(f"/records/incoming/{doc.pk}/assign/")
    assert form.status_code == 200 and "Vụ Tổng hợp" in form.content.decode()
    response = leader.post(f"/records/incoming/{doc.pk}/assign/", {
        "lead_unit": desk.unit.pk, "lead_person": desk.specialist.pk, "coordinators": [desk.colleague.pk],
        "direction": "Đề nghị xử lý, báo cáo trước hạn.", "deadline_days": "5",
    })
    assert response.status_code == 302
    a = Assignment.objects.get(incoming=doc)
    assert a.deadline is not None and a.deadline > timezone.localdate()
    assert a.lead_person == desk.specialist and list(a.coordinators.all()) == [desk.colleague]
    page = leader.get(f"/records/incoming/{doc.pk}/").content.decode()
    assert "Đề nghị xử lý, báo cáo trước hạn." in page and f"{a.deadline:%d/%m/%Y}" in page


def test_the_assign_page_refuses_a_past_deadline_beside_the_field(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    response = signed_in(desk.leader).post(f"/records/incoming/{doc.pk}/assign/", {"lead_person": desk.specialist.pk, "deadline": yesterday})
    assert response.status_code == 422 and 'id="id_deadline-error"' in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_handler_marks_progress_on_the_page(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(lead_person=desk.specialist))
    client = signed_in(desk.specialist)
    page = client.get(f"/records/incoming/{doc.pk}/").content.decode()
    assert f"/records/incoming/{doc.pk}/processing/" in page
    assert client.post(f"/records/incoming/{doc.pk}/processing/").status_code == 302
    assert client.post(f"/records/incoming/{doc.pk}/done/", {"note": "Đã trả lời"}).status_code == 302
    assert Incoming.objects.get(pk=doc.pk).state == IncomingState.DONE


def test_a_returned_page_shows_the_reason_required_beside_the_field(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[])
    response = signed_in(desk.clerk).post(f"/records/incoming/{doc.pk}/return/", {"reason": ""})
    assert response.status_code == 422 and 'id="reason-error"' in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_document_page_lists_the_statuses_sent_and_the_history(desk, finance, signed, send) -> None:  # noqa: F811
    send(finance, signed(finance, [desk.agency.code]))
    doc = Incoming.objects.get()
    assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(lead_person=desk.specialist))
    html = signed_in(desk.leader).get(f"/records/incoming/{doc.pk}/").content.decode()
    for code in ("01", "03", "04"):
        assert f'<span class="code">{code}</span>' in html
    assert "Công văn 123.pdf" in html and "Phạm Thu Hà" in html and "Trần Văn Minh" in html


def test_each_persons_home_page_lists_what_waits_for_them(desk) -> None:  # noqa: F811
    waiting = register(desk, scans=[], subject="Chờ trình")
    to_assign = register(desk, scans=[], subject="Chờ phân công")
    present_incoming(actor=desk.clerk, incoming=to_assign, leader=desk.leader)
    handled = register(desk, scans=[], subject="Chờ xử lý")
    deadline = timezone.localdate() + dt.timedelta(days=9)
    assign_incoming(actor=desk.leader, incoming=handled, plan=AssignmentPlan(lead_unit=desk.unit, deadline=deadline))
    clerk = signed_in(desk.clerk).get("/").content.decode()
    assert waiting.subject in clerk and to_assign.subject not in clerk and handled.subject not in clerk
    leader = signed_in(desk.leader).get("/").content.decode()
    assert to_assign.subject in leader and waiting.subject in leader and handled.subject not in leader
    head = signed_in(desk.head).get("/").content.decode()
    assert handled.subject in head and f"{deadline:%d/%m/%Y}" in head and waiting.subject not in head
    assert handled.subject not in signed_in(desk.colleague).get("/").content.decode()


def test_the_home_page_asks_the_same_number_of_queries_for_many_documents(desk) -> None:  # noqa: F811
    def queries() -> int:
        client = signed_in(desk.specialist)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    def add(n: int) -> None:
        for _ in range(n):
            doc = register(desk, scans=[])
            assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(lead_person=desk.specialist, coordinators=[desk.head]))

    add(2)
    few = queries()
    add(10)
    assert queries() == few


@pytest.mark.browser
def test_the_pages_have_no_serious_accessibility_faults(page, desk) -> None:  # noqa: F811
    import re
    from urllib.parse import urlsplit

    from axe_playwright_python.sync_playwright import Axe

    doc = register(desk, scans=[], urgency=Urgency.HOA_TOC, subject="Về việc khắc phục hậu quả bão số 3")
    other = register(desk, scans=[])
    assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(lead_unit=desk.unit, lead_person=desk.specialist))
    page.goto("/login/")
    page.get_by_label(re.compile("Tên đăng nhập|Username")).fill("lanhdao")
    page.get_by_label(re.compile("Mật khẩu|Password")).fill("Mật-khẩu-thử-2026")
    page.get_by_role("button", name=re.compile("Đăng nhập|Sign in")).click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    faults = {}
    for url in ("/", "/records/incoming/", f"/records/incoming/{doc.pk}/", f"/records/incoming/{other.pk}/assign/",
                "/records/incoming/overdue/", "/records/register/", "/records/incoming/?date_from=99/99/2026"):
        page.goto(url)
        violations = Axe().run(page).response["violations"]
        faults[url] = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    assert faults == {url: [] for url in faults}
