"""Mật, Tối mật and Tuyệt mật documents reach only readers cleared for them, on every
surface of search: the page, the API, counts and facet counts, the CSV export. A matrix of
clearance x level, incoming and outgoing; with words and without."""

from __future__ import annotations

import csv
import io
import re

import pytest

from govoffice.records import search as engine
from govoffice.records.tests.searchkit import desk  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

LEVELS = (0, 1, 2, 3)
SURFACES = ("page", "api", "count", "export")


def subject(kind: str, level: int) -> str:
    return f"Ma trận bảo mật {kind} cấp {level}"


@pytest.fixture
def secrets(desk):  # noqa: F811
    for level in LEVELS:
        desk.incoming(subject("incoming", level), secret=level, doc_type="CV")
        desk.outgoing(subject("outgoing", level), secret=level, doc_type="CV")
    return desk


def seen_on(surface: str, client, user, q: str) -> tuple[set[str], int]:
    """The subjects a surface shows the reader, and the count it gives."""
    if surface == "page":
        response = client.get("/records/search/", {"q": q, "kind": ""})
        assert response.status_code == 200
        html = re.sub(r"<[^>]+>", "", response.content.decode())  # matched words are in <mark>
        shown = {subject(k, n) for k in ("incoming", "outgoing") for n in LEVELS if subject(k, n) in html}
        return shown, len(shown)
    if surface == "api":
        body = client.get("/api/v1/records/search", {"q": q, "limit": 100}).json()
        assert body["count_exact"]
        facet_total = sum(body["facets"]["kind"].values())
        assert facet_total == body["count"] == sum(body["facets"]["doc_type"].values())
        return {i["subject"] for i in body["items"]}, body["count"]
    if surface == "count":
        n, exact = engine.count(user, q)
        assert exact
        results = engine.search(user, q, limit=100)
        assert results.facets is not None and sum(results.facets["urgency"].values()) == n
        return {e.subject for e in results.entries}, n
    response = client.get("/records/search/ket-qua.csv", {"q": q})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    return {r[4] for r in rows}, len(rows)


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("clearance", LEVELS)
@pytest.mark.parametrize("q", ["ma tran bao mat", ""])
def test_a_reader_sees_exactly_the_levels_their_clearance_reaches(secrets, make_user, client, surface, clearance, q) -> None:
    reader = make_user("specialist", clearance=clearance)
    client.force_login(reader)
    shown, count = seen_on(surface, client, reader, q)
    allowed = {subject(k, n) for k in ("incoming", "outgoing") for n in LEVELS if n <= clearance}
    assert shown == allowed
    assert count == len(allowed)


def test_a_secret_word_alone_finds_nothing_for_an_uncleared_reader(secrets, make_user, client) -> None:
    reader = make_user("specialist", clearance=0)
    client.force_login(reader)
    assert engine.count(reader, "cap 3") == (0, True)
    body = client.get("/api/v1/records/search", {"q": "cap 3"}).json()
    assert (body["count"], body["items"], body["facets"]["kind"]) == (0, [], {})
    assert "cấp 3" not in client.get("/records/search/", {"q": "cap 3"}).content.decode()


@pytest.mark.parametrize("clearance", LEVELS)
def test_with_visibility_words_in_the_index_the_same_levels_show(secrets, make_user, monkeypatch, clearance) -> None:
    monkeypatch.setattr(engine, "VISIBILITY_IN_INDEX", True)
    reader = make_user("specialist", clearance=clearance)
    allowed = {subject(k, n) for k in ("incoming", "outgoing") for n in LEVELS if n <= clearance}
    for q in ("ma tran bao mat", "", "cap"):
        assert {e.subject for e in engine.search(reader, q, limit=100).entries} == allowed
        assert engine.count(reader, q) == (len(allowed), True)
