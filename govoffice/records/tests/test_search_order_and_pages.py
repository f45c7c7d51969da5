"""Sorting (relevance, newest, oldest, number), pages and counts: a count stops at the limit
and says so; facets come with exact counts only."""

from __future__ import annotations

import pytest

from govoffice.records import search as engine
from govoffice.records.search import search
from govoffice.records.tests.searchkit import at, desk, subjects  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dated(desk):  # noqa: F811
    desk.incoming("Báo cáo về đất đai", number="5/BC-BTNMT", when=at("03/03/2025"))
    desk.incoming("Công văn số liệu", number="12/BTNMT-TCQLĐĐ", note="Phụ lục về đất đai", when=at("05/03/2025"))
    desk.incoming("Đất đai và nhà ở", number="7/TTr-BXD", when=at("01/03/2025"))
    return desk


def test_newest_and_oldest_first(dated, make_user) -> None:
    reader = make_user("specialist")
    newest = ["Công văn số liệu", "Báo cáo về đất đai", "Đất đai và nhà ở"]
    assert subjects(reader, "dat dai", sort="-date") == newest
    assert subjects(reader, "dat dai", sort="date") == newest[::-1]


def test_relevance_puts_the_words_in_the_subject_first_then_the_newest(dated, make_user) -> None:
    reader = make_user("specialist")
    assert subjects(reader, "dat dai") == ["Báo cáo về đất đai", "Đất đai và nhà ở", "Công văn số liệu"]
    assert search(reader, "dat dai").sort == "relevance"
    assert search(reader, "").sort == "-date"


def test_number_order_is_highest_first(dated, make_user) -> None:
    reader = make_user("specialist")
    assert subjects(reader, "", sort="number") == ["Công văn số liệu", "Đất đai và nhà ở", "Báo cáo về đất đai"]


def test_pages_follow_each_other_without_gaps_or_repeats(desk, make_user) -> None:  # noqa: F811
    for i in range(7):
        desk.incoming(f"Thông báo số {i}", when=at(f"{10 + i:02d}/04/2025"))
    reader = make_user("specialist")
    pages = [subjects(reader, "thong bao", sort="-date", offset=o, limit=3) for o in (0, 3, 6)]
    assert pages == [
        ["Thông báo số 6", "Thông báo số 5", "Thông báo số 4"],
        ["Thông báo số 3", "Thông báo số 2", "Thông báo số 1"],
        ["Thông báo số 0"],
    ]
    first = search(reader, "thong bao", limit=3)
    assert first.count == 7 and first.count_exact and first.has_next
    assert not search(reader, "thong bao", offset=6, limit=3).has_next


def test_a_count_past_the_limit_says_more_and_pages_go_on(desk, make_user, monkeypatch) -> None:  # noqa: F811
    monkeypatch.setattr(engine, "COUNT_LIMIT", 4)
    for i in range(7):
        desk.incoming(f"Giấy mời {i}", doc_type="GM", when=at(f"{10 + i:02d}/05/2025"))
    reader = make_user("specialist")
    found = search(reader, "giay moi", sort="-date", limit=3)
    assert (found.count, found.count_exact, found.facets) == (4, False, None)
    assert subjects(reader, "giay moi", sort="-date", offset=3, limit=3) == ["Giấy mời 3", "Giấy mời 2", "Giấy mời 1"]
    assert subjects(reader, "giay moi", sort="date", offset=0, limit=2) == ["Giấy mời 0", "Giấy mời 1"]
    assert subjects(reader, "giay moi", sort="number", limit=2) == ["Giấy mời 6", "Giấy mời 5"]
    assert engine.count(reader, "giay moi") == (4, False)


def test_facets_count_what_matched(dated, make_user) -> None:
    reader = make_user("specialist")
    facets = search(reader, "dat dai").facets
    assert facets is not None
    assert facets["doc_type"] == {"CV": 3}
    assert facets["kind"] == {"incoming": 3}
    assert facets["state"] == {"registered": 3}
