"""The same queries find the same documents on SQLite and on PostgreSQL: whole folded words,
the last one also as a prefix while it is typed. One expected list, run on each backend."""

from __future__ import annotations

import pytest
from django.db import connection

from govoffice.records.tests.searchkit import desk  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

CORPUS = [
    ("Quyết định phê duyệt dự toán ngân sách nhà nước năm 2024", "Bộ Tài chính", "123/QĐ-BTC", ""),
    ("V/v giải phóng mặt bằng tại quận Đống Đa", "Ủy ban nhân dân thành phố Hà Nội", "4567/UBND-TH", ""),
    ("Báo cáo tình hình an toàn giao thông quý I", "Bộ Công an", "88/BC-BCA", ""),
    ("Kế hoạch triển khai chuyển đổi số quốc gia", "Bộ Thông tin và Truyền thông", "12/KH-BTTTT", ""),
    ("V/v đề nghị hỗ trợ kinh phí phòng, chống thiên tai", "Ủy ban nhân dân tỉnh Quảng Bình", "901/UBND-KT", ""),
    ("Giấy mời họp về dự án cầu Mỹ Thuận 2", "Bộ Giao thông vận tải", "45/GM-BGTVT", ""),
    ("Tờ trình về đề án đường Vành đai 4", "Bộ Kế hoạch và Đầu tư", "7/TTr-BKHĐT", "Ý kiến của Bộ Y tế về dự án"),
    ("Báo cáo kết quả kiểm tra", "Thanh tra Chính phủ", "66/BC-TTCP", ""),
]
OCR = "Căn cứ Nghị định số 30/2020/NĐ-CP về công tác văn thư; đoàn kiểm tra làm việc tại huyện Đông Anh."

# (query, subjects that must come back, in any order)
EXPECTED: list[tuple[str, set[int]]] = [
    ("quyet dinh", {0}),
    ("Quyết định", {0}),
    ("QUYẾT ĐỊNH", {0}),
    ("dong da", {1}),  # đ → d, and "da" is a whole word: "dan", "dau" do not count
    ("đống đa", {1}),
    ("ngan sach", {0}),
    ("123/QĐ-BTC", {0}),  # number and notation: its words 123, qd, btc
    ("123", {0}),
    ("12", {3}),  # a whole number: not 123, not 4567
    ("ubnd", {1, 4}),
    ("ha noi", {1}),  # the author agency
    ("bo y te", {6}),  # the note; "y" and "te" are whole words
    ("an", {2, 5, 6}),  # an toàn, Bộ Công an, dự án, đề án; never "ban", "toan", "Thuận"
    ("toan giao", {2}),
    ("giao thong", {2, 5}),  # Bộ Giao thông vận tải
    ("my thuan", {5}),
    ("dong anh", {7}),  # the documents' text (OCR)
    ("30 2020 nd cp", {7}),
    ("kiem tra", {7}),
    ("quye", {0}),  # typing: a prefix of three letters or more
    ("quyet din", {0}),
    ("ngan sac", {0}),
    ("quye ", set()),  # a space after it: the whole word, and there is no "quye"
    ("ngan s", set()),  # one letter: matched whole, not as a prefix
    ("dong d", set()),
    ("thuan thien tai", set()),  # every word must match: Mỹ Thuận and thiên tai are apart
    ("chuyen doi so", {3}),
    ("so chuyen doi", {3}),  # order does not matter
    ("Đống-Đa!!", {1}),  # punctuation separates words
    ("xyz", set()),
    ("", {0, 1, 2, 3, 4, 5, 6, 7}),
]


@pytest.mark.parametrize("expansion", [100, 0], ids=["prefix-as-words", "prefix-as-prefix"])
def test_the_same_queries_give_the_expected_documents_on_this_database(desk, make_user, monkeypatch, expansion) -> None:  # noqa: F811
    monkeypatch.setattr("govoffice.records.search.MAX_EXPANSION", expansion)
    for subject, sender, number, note in CORPUS[:-1]:
        desk.incoming(subject, sender=sender, number=number, note=note)
    subject, sender, number, note = CORPUS[-1]
    desk.incoming(subject, sender=sender, number=number, note=note, text=OCR)
    reader = make_user("specialist")
    from govoffice.records.search import search

    failures = []
    for query, expected in EXPECTED:
        found = {e.subject for e in search(reader, query, limit=50).entries}
        want = {CORPUS[i][0] for i in expected}
        if found != want:
            failures.append((query, sorted(want - found), sorted(found - want)))
    assert failures == [], f"on {connection.vendor}: (query, missing, unexpected) {failures}"


def test_an_outgoing_document_is_found_by_its_body_and_subject(desk, make_user) -> None:  # noqa: F811
    desk.outgoing("Công văn gửi các bộ về Tết Nguyên đán", body="Đề nghị các bộ tổ chức trực Tết tại Côn Đảo.")
    reader = make_user("specialist")
    from govoffice.records.search import search

    assert [e.kind for e in search(reader, "con dao").entries] == ["outgoing"]
    assert [e.kind for e in search(reader, "tet nguyen dan").entries] == ["outgoing"]
    assert search(reader, "tet nguyen dan").entries[0].sender_name == "Văn phòng Chính phủ"

