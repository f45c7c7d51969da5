"""The search index follows its records: new words are found and old ones no longer, an
entry moves when its date changes, two records at the same moment keep two entries."""

from __future__ import annotations

import pytest
from django.db import connection

from govoffice.records.models import Incoming, SearchEntry
from govoffice.records.search import entry_key, reindex
from govoffice.records.tests.searchkit import at, desk, subjects  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_an_edit_replaces_the_old_words(desk, make_user) -> None:  # noqa: F811
    row = desk.incoming("Về việc sân bay Long Thành")
    reader = make_user("specialist")
    Incoming.objects.filter(pk=row.pk).update(subject="Về việc cảng Liên Chiểu")
    reindex("incoming", row.pk)
    assert subjects(reader, "lien chieu") == ["Về việc cảng Liên Chiểu"]
    assert subjects(reader, "long thanh") == []


def test_a_new_date_moves_the_entry_to_a_new_key(desk) -> None:  # noqa: F811
    row = desk.incoming("Thông báo kết luận", when=at("01/06/2025"))
    before = SearchEntry.objects.get(kind="incoming", object_id=row.pk).pk
    assert before == entry_key(at("01/06/2025"))
    Incoming.objects.filter(pk=row.pk).update(arrived_at=at("02/06/2025"))
    reindex("incoming", row.pk)
    assert SearchEntry.objects.filter(kind="incoming", object_id=row.pk).values_list("pk", flat=True).get() == entry_key(at("02/06/2025"))


def test_records_at_the_same_moment_get_keys_of_their_own(desk, make_user) -> None:  # noqa: F811
    moment = at("07/07/2025")
    for i in range(3):
        desk.incoming(f"Công điện khẩn {i}", when=moment)
    keys = sorted(SearchEntry.objects.values_list("pk", flat=True))
    assert keys == [entry_key(moment), entry_key(moment) + 1, entry_key(moment) + 2]
    assert len(subjects(make_user("specialist"), "cong dien khan")) == 3


def test_a_deleted_record_leaves_no_entry_and_no_words(desk, make_user) -> None:  # noqa: F811
    row = desk.incoming("Báo cáo thiệt hại do bão số 3")
    Incoming.objects.filter(pk=row.pk).delete()
    reindex("incoming", row.pk)
    assert not SearchEntry.objects.exists()
    assert subjects(make_user("specialist"), "bao so 3") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM records_searchentry_fts WHERE records_searchentry_fts MATCH '\"bao\"'")
            assert cursor.fetchone()[0] == 0


def test_folded_text_holds_every_part_and_head_the_title_parts(desk) -> None:  # noqa: F811
    row = desk.incoming("Kế hoạch Đà Nẵng", sender="Bộ Tài chính", number="9/KH-BTC", note="Ghi chú", text="Nội dung quét")
    entry = SearchEntry.objects.get(kind="incoming", object_id=row.pk)
    assert entry.head == "9 kh btc ke hoach da nang bo tai chinh"
    assert entry.folded == entry.head + " ghi chu noi dung quet"
    assert entry.number == 9
