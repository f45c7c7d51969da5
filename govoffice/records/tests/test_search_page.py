"""The search page: a GET form that works without JavaScript, results with the matched words
marked on the server (and everything else escaped), pages, messages beside the fields, CSV."""

from __future__ import annotations

import csv
import io
import re

import pytest

from govoffice.records.tests.searchkit import at, desk  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(make_user, client):
    user = make_user("specialist", full_name="Trần Văn Minh")
    client.force_login(user)
    return user


def test_the_empty_page_is_a_plain_get_form(reader, client) -> None:
    html = client.get("/records/search/").content.decode()
    assert 'method="get"' in html and 'role="search"' in html and 'name="q"' in html
    assert "<script" not in html


def test_matched_words_are_marked_with_and_without_diacritics(desk, reader, client) -> None:  # noqa: F811
    desk.incoming("Quyết định về quận Đống Đa", number="15/QĐ-UBND")
    html = client.get("/records/search/", {"q": "quyet dinh dong da"}).content.decode()
    assert "<mark>Quyết</mark> <mark>định</mark> về quận <mark>Đống</mark> <mark>Đa</mark>" in html
    assert 'id="search-count"' in html


def test_a_subject_is_escaped_not_run(desk, reader, client) -> None:  # noqa: F811
    desk.incoming("<script>alert(1)</script> ngân sách")
    html = client.get("/records/search/", {"q": "ngan sach"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>ngân</mark> <mark>sách</mark>" in html


def test_a_match_in_the_text_shows_a_marked_snippet(desk, reader, client) -> None:  # noqa: F811
    desk.incoming("Công văn số liệu", text="Đề nghị cung cấp số liệu về xâm nhập mặn tại Bến Tre.")
    html = client.get("/records/search/", {"q": "xam nhap man"}).content.decode()
    assert '<p class="hit-snippet">' in html and "<mark>xâm</mark> <mark>nhập</mark> <mark>mặn</mark>" in html


def test_results_link_to_the_documents_and_pages_link_on(desk, reader, client) -> None:  # noqa: F811
    for i in range(22):
        desk.incoming(f"Thông báo lịch họp {i}", when=at("01/08/2025", hour=8) if i == 0 else None)
    first = client.get("/records/search/", {"q": "thong bao", "sort": "-date"}).content.decode()
    assert 'rel="next"' in first and "page=2" in first and 'href="/records/incoming/' in first
    second = client.get("/records/search/", {"q": "thong bao", "sort": "-date", "page": 2}).content.decode()
    assert 'rel="prev"' in second and 'rel="next"' not in second and 'start="21"' in second


def test_a_bad_date_gets_its_message_beside_the_field(reader, client) -> None:
    response = client.get("/records/search/", {"q": "x", "date_from": "31/02/2025"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_date_from-error"' in html and 'aria-invalid="true"' in html


def test_an_end_before_the_start_is_refused_beside_the_end(reader, client) -> None:
    html = client.get("/records/search/", {"date_from": "10/01/2025", "date_to": "01/01/2025"}).content.decode()
    assert 'id="id_date_to-error"' in html


def test_filters_and_facets_appear_when_the_count_is_exact(desk, reader, client) -> None:  # noqa: F811
    desk.incoming("Báo cáo tháng", doc_type="BC")
    desk.incoming("Công văn tháng")
    html = client.get("/records/search/", {"q": "thang"}).content.decode()
    assert 'class="facets"' in html and "doc_type=BC" in html
    only = re.sub(r"<[^>]+>", "", client.get("/records/search/", {"q": "thang", "doc_type": "BC"}).content.decode())
    assert "Báo cáo tháng" in only and "Công văn tháng" not in only


def test_the_csv_export_has_the_results_and_a_bom(desk, reader, client) -> None:  # noqa: F811
    desk.incoming("Kế hoạch năm 2026", number="3/KH-BTC", doc_type="KH", urgency=1, when=at("05/01/2026"))
    response = client.get("/records/search/ket-qua.csv", {"q": "ke hoach"})
    assert response["Content-Type"].startswith("text/csv") and response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][1:6] == ["3/KH-BTC", "05/01/2026", "Kế hoạch", "Kế hoạch năm 2026", "Bộ Tài chính"]


def test_people_outside_the_staff_are_refused(make_user, client) -> None:
    client.force_login(make_user("citizen"))
    assert client.get("/records/search/").status_code == 403
    assert client.get("/records/search/ket-qua.csv").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get("/records/search/")
    assert response.status_code == 302 and "/login/" in response["Location"]
