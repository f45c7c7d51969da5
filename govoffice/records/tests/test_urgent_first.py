"""Urgent documents (Khẩn, Thượng khẩn, Hỏa tốc) stand out with a written label and come first:
in the register's list, in the API's list and in every home-page worklist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govoffice.records.models import Urgency
from govoffice.records.services.handling import AssignmentPlan, assign_incoming, complete_incoming
from govoffice.records.tests.incoming_people import desk, register, signed_in  # noqa: F401
from govoffice.records.worklist import (
    documents_to_assign,
    documents_to_handle,
    documents_to_present,
)

pytestmark = pytest.mark.django_db


def _three(desk):  # noqa: F811
    normal = register(desk, scans=[], subject="Văn bản thường")
    fire = register(desk, scans=[], subject="Văn bản hỏa tốc", urgency=Urgency.HOA_TOC)
    urgent = register(desk, scans=[], subject="Văn bản khẩn", urgency=Urgency.KHAN)
    newest = register(desk, scans=[], subject="Văn bản thường mới nhất")
    return normal, fire, urgent, newest


def test_the_register_list_puts_waiting_urgent_documents_first_with_a_label(desk) -> None:  # noqa: F811
    normal, fire, urgent, newest = _three(desk)
    page = signed_in(desk.clerk).get("/records/incoming/")
    html = page.content.decode().split('id="incoming"')[1]
    order = [html.index(f">Công văn: {d.subject}<") for d in (fire, urgent, newest, normal)]
    assert order == sorted(order)
    assert 'class="tag urgency-3">Hỏa tốc</span>' in html and 'class="tag urgency-1">Khẩn</span>' in html


def test_an_urgent_document_that_is_done_no_longer_jumps_the_queue(desk) -> None:  # noqa: F811
    normal, fire, urgent, newest = _three(desk)
    assign_incoming(actor=desk.leader, incoming=fire, plan=AssignmentPlan(lead_person=desk.specialist))
    complete_incoming(actor=desk.specialist, incoming=fire)
    items = signed_in(desk.clerk).get("/api/v1/records/incoming").json()["items"]
    assert [i["id"] for i in items] == [urgent.pk, newest.pk, fire.pk, normal.pk]


def test_the_api_list_puts_urgent_documents_first(desk) -> None:  # noqa: F811
    normal, fire, urgent, newest = _three(desk)
    items = signed_in(desk.leader).get("/api/v1/records/incoming").json()["items"]
    assert [i["id"] for i in items] == [fire.pk, urgent.pk, newest.pk, normal.pk]


def test_the_clerk_and_the_leader_see_urgent_documents_first(desk) -> None:  # noqa: F811
    normal, fire, urgent, newest = _three(desk)
    for section in (documents_to_present(desk.clerk), documents_to_assign(desk.leader)):
        assert section is not None
        assert [i.title.split(" · ")[-1] for i in section.items] == [fire.subject, urgent.subject, normal.subject, newest.subject]
        assert [i.urgent for i in section.items] == [True, True, False, False]
        assert section.items[0].note == "Hỏa tốc"


def test_the_handler_sees_urgent_documents_first_then_the_nearest_deadline(desk) -> None:  # noqa: F811
    normal, fire, urgent, newest = _three(desk)
    today = timezone.localdate()
    for doc, days in ((normal, 3), (fire, 20), (urgent, 30), (newest, 1)):
        assign_incoming(actor=desk.leader, incoming=doc, plan=AssignmentPlan(lead_person=desk.specialist, deadline=today + dt.timedelta(days=days)))
    section = documents_to_handle(desk.specialist)
    assert section is not None
    assert [i.url for i in section.items] == [f"/records/incoming/{d.pk}/" for d in (fire, urgent, newest, normal)]


def test_the_home_page_shows_the_urgent_label_in_words(desk) -> None:  # noqa: F811
    _three(desk)
    html = signed_in(desk.clerk).get("/").content.decode()
    assert "Văn bản hỏa tốc" in html
    first_item = html.split('<ul class="work">')[1].split("</li>")[0]
    assert 'class="tag"' in first_item and "Hỏa tốc" in first_item
