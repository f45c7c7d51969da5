"""The index hands out exactly the matches a plain scan would, in key (date) order, however
the matches are spread in time: dense, sparse, in bursts, across long stretches without any
document. On PostgreSQL this walks every path of records.search_pg (the window, the bucket
spans, the steps, the rest at once), made small so that a few dozen documents reach them."""

from __future__ import annotations

import datetime as dt

import pytest

from govoffice.records import search as engine
from govoffice.records import search_pg
from govoffice.records.search import Filters, criteria_for, fetch
from govoffice.records.search_text import parse_query
from govoffice.records.tests.searchkit import at, desk  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
QUERIES = ["kiem tra", "ke hoach", "phong chay", "kiem", "quyet dinh ", "ve viec", "khong co tu nay"]


@pytest.fixture
def spread(desk, monkeypatch):  # noqa: F811
    monkeypatch.setattr(search_pg, "WINDOW", 4)
    monkeypatch.setattr(search_pg, "DENSE", 2)
    monkeypatch.setattr(search_pg, "STEP", 2)
    monkeypatch.setattr(search_pg, "MAX_READS", 6)
    start = at("01/01/2024")
    days = [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 90, 91, 92, 200, 201, 202, 203, 204, 205, 380, 381, 382, 383]
    for i, day in enumerate(days):
        words = ["Về việc"]
        if i % 2 == 0:
            words.append("kiểm tra công vụ")
        if i % 5 == 0:
            words.append("kế hoạch phòng cháy")
        if i % 7 == 3:
            words.append("quyết định")
        desk.incoming(" ".join(words) + f" số {i}", when=start + dt.timedelta(days=day, hours=i % 5))
    return desk


def plain_scan(c: engine.Criteria, n: int, newest: bool) -> list[int]:
    return list(c.like_qs().order_by("-id" if newest else "id").values_list("id", flat=True)[:n])


@pytest.mark.parametrize("q", QUERIES)
def test_the_index_gives_what_a_plain_scan_gives_in_date_order(spread, make_user, q) -> None:
    reader = make_user("specialist", clearance=3)
    c = criteria_for(reader, parse_query(q), Filters())
    if c is None:  # a prefix no indexed word starts with: nothing can match
        assert q == "khong co tu nay"
        return
    for newest in (True, False):
        for n in (1, 3, 7, 50):
            assert [m.id for m in fetch(c, n, newest=newest)] == plain_scan(c, n, newest), (q, n, newest)


def test_dates_narrow_the_walk_to_their_range(spread, make_user) -> None:
    reader = make_user("specialist", clearance=3)
    c = criteria_for(reader, parse_query("kiem tra"), Filters(date_from=dt.date(2024, 1, 3), date_to=dt.date(2024, 7, 20)))
    assert c is not None
    for newest in (True, False):
        got = [m.id for m in fetch(c, 50, newest=newest)]
        assert got == plain_scan(c, 50, newest) and len(got) > 3
