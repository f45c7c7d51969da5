"""Every filter narrows the search the same way on both databases: type, author agency,
dates (office time, both ends included), urgency, status, handler, register."""

from __future__ import annotations

import datetime as dt

import pytest

from govoffice.records.models import Incoming, IncomingState
from govoffice.records.search import Filters, reindex
from govoffice.records.tests.searchkit import at, desk, subjects  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(desk, ministry):  # noqa: F811
    desk.incoming("Quyết định về ngân sách", doc_type="QĐ", sender_code=ministry.code, when=at("02/01/2025"))
    desk.incoming("Công văn về ngân sách", urgency=3, when=at("15/01/2025", hour=23))
    desk.incoming("Báo cáo ngân sách", doc_type="BC", urgency=1, when=at("31/01/2025", hour=6))
    desk.outgoing("Công văn trả lời về ngân sách", when=at("20/01/2025"))
    return desk


def test_a_type_filter_keeps_that_type(documents, make_user) -> None:
    reader = make_user("specialist")
    assert subjects(reader, "ngan sach", filters=Filters(doc_type="QĐ")) == ["Quyết định về ngân sách"]
    assert subjects(reader, "", filters=Filters(doc_type="BC")) == ["Báo cáo ngân sách"]


def test_an_author_filter_takes_the_organisation_code(documents, make_user, ministry) -> None:
    reader = make_user("specialist")
    assert subjects(reader, "", filters=Filters(sender=ministry.code)) == ["Quyết định về ngân sách"]
    assert subjects(reader, "", filters=Filters(sender="999.99.99.G99")) == []


def test_dates_are_office_days_with_both_ends_included(documents, make_user) -> None:
    reader = make_user("specialist")
    jan15 = Filters(date_from=dt.date(2025, 1, 15), date_to=dt.date(2025, 1, 15))
    # 23:00 office time on 15/01 is 16:00 UTC: still the 15th.
    assert subjects(reader, "", filters=jan15) == ["Công văn về ngân sách"]
    late = Filters(date_from=dt.date(2025, 1, 16), date_to=dt.date(2025, 1, 31))
    assert subjects(reader, "ngan sach", filters=late, sort="-date") == ["Báo cáo ngân sách", "Công văn trả lời về ngân sách"]
    assert subjects(reader, "", filters=Filters(date_to=dt.date(2025, 1, 1))) == []


def test_urgency_status_and_register_filters(documents, make_user) -> None:
    reader = make_user("specialist")
    assert subjects(reader, "", filters=Filters(urgency=3)) == ["Công văn về ngân sách"]
    assert subjects(reader, "ngan sach", filters=Filters(kind="outgoing")) == ["Công văn trả lời về ngân sách"]
    assert subjects(reader, "", filters=Filters(state="draft")) == ["Công văn trả lời về ngân sách"]
    assert len(subjects(reader, "", filters=Filters(kind="incoming", state=IncomingState.REGISTERED))) == 3


def test_a_handler_filter_follows_the_assignment(documents, make_user) -> None:
    reader = make_user("specialist")
    handler = make_user("specialist", full_name="Trần Văn Minh")
    row = Incoming.objects.get(subject="Báo cáo ngân sách")
    assert subjects(reader, "", filters=Filters(handler_id=handler.pk)) == []
    from django.utils import timezone

    from govoffice.records.models import Assignment

    Assignment.objects.create(incoming=row, lead_person=handler, assigned_by=reader, assigned_at=timezone.now())
    reindex("incoming", row.pk)
    assert subjects(reader, "", filters=Filters(handler_id=handler.pk)) == ["Báo cáo ngân sách"]


def test_filters_combine_with_words(documents, make_user) -> None:
    reader = make_user("specialist")
    both = Filters(kind="incoming", urgency=1, date_from=dt.date(2025, 1, 1))
    assert subjects(reader, "bao cao ngan", filters=both) == ["Báo cáo ngân sách"]
    assert subjects(reader, "quyet dinh", filters=both) == []
