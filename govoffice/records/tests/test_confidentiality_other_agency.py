"""A reader of another agency sees nothing of this agency's documents in search, whatever
their clearance, on the page, the API, counts and exports; their own agency's they do."""

from __future__ import annotations

import re

import pytest

from govoffice.records import search as engine
from govoffice.records.tests.searchkit import make_desk

pytestmark = pytest.mark.django_db


def test_another_agencys_reader_finds_only_their_own_agencys_documents(office, ministry, make_user, client) -> None:
    ours = make_desk(office, make_user)
    theirs = make_desk(ministry, make_user)
    for level in (0, 3):
        ours.incoming(f"Văn bản của văn phòng mức {level}", secret=level)
        ours.outgoing(f"Văn bản đi của văn phòng mức {level}", secret=level)
    theirs.incoming("Văn bản của bộ")
    outsider = make_user("department_head", agency=ministry, clearance=3)
    client.force_login(outsider)

    assert [e.subject for e in engine.search(outsider, "van ban").entries] == ["Văn bản của bộ"]
    assert engine.count(outsider, "van ban") == (1, True)
    assert engine.count(outsider, "van phong") == (0, True)
    body = client.get("/api/v1/records/search", {"q": "van ban"}).json()
    assert [i["subject"] for i in body["items"]] == ["Văn bản của bộ"]
    assert body["facets"]["kind"] == {"incoming": 1}
    page = re.sub(r"<[^>]+>", "", client.get("/records/search/", {"q": "van"}).content.decode())
    assert "Văn bản của bộ" in page and "phòng mức" not in page
    export = client.get("/records/search/ket-qua.csv", {"q": ""}).content.decode("utf-8-sig")
    assert "Văn bản của bộ" in export and "phòng mức" not in export


def test_a_filter_on_this_agency_as_author_reveals_nothing_to_an_outsider(office, ministry, make_user) -> None:
    ours = make_desk(office, make_user)
    ours.outgoing("Công văn gửi bộ")
    outsider = make_user("specialist", agency=ministry, clearance=3)
    found = engine.search(outsider, "", engine.Filters(sender=office.code))
    assert (found.count, found.entries) == (0, [])
