"""The incoming register in the Decree 30 layout for any period: printed as a landscape A4 PDF
with its title, agency and year, and exported as CSV and XLSX with the same rows. A secret
document appears only for a reader whose clearance reaches it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess

import pytest
from django.utils import timezone

from govoffice.records.models import Clearance, Incoming
from govoffice.records.register import COLUMNS
from govoffice.records.services.handling import AssignmentPlan, assign_incoming
from govoffice.records.tests.incoming_people import desk, register, signed_in  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(desk):  # noqa: F811
    first = register(desk, scans=[], subject="Về việc báo cáo ngân sách", document_date=dt.date(2019, 9, 20))
    assign_incoming(actor=desk.leader, incoming=first, plan=AssignmentPlan(lead_unit=desk.unit, lead_person=desk.specialist))
    register(desk, scans=[], subject="Về việc tuyển dụng công chức mật", confidentiality=Clearance.MAT)
    register(desk, scans=[], sender_name="UBND tỉnh Nghệ An", subject="Về việc phòng chống lụt bão", doc_type="BC", urgency=2)
    return desk


def _csv(client, query: str = "") -> list[list[str]]:
    response = client.get(f"/records/register/so-den.csv{query}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_csv_has_the_decree_30_columns_and_one_row_per_document_in_number_order(book) -> None:
    rows = _csv(signed_in(book.clerk))
    assert rows[0] == list(COLUMNS)
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert [r[1] for r in rows[1:]] == ["1", "2", "3"]
    first = rows[1]
    assert first[0] == today and first[2] == "Bộ Tài chính" and first[3] == "1234/BTC-NSNN" and first[4] == "20/09/2019"
    assert first[5] == "Công văn: Về việc báo cáo ngân sách" and first[6] == "Vụ Tổng hợp – Trần Văn Minh" and first[7] == ""
    assert rows[3][5].startswith("Báo cáo:") and "Thượng khẩn" in rows[3][8]
    assert "Mật" in rows[2][8]


def test_a_reader_without_clearance_never_sees_the_secret_line(book) -> None:
    rows = _csv(signed_in(book.colleague))
    assert [r[1] for r in rows[1:]] == ["1", "3"]
    assert all("tuyển dụng" not in cell for r in rows for cell in r)
    pdf = signed_in(book.colleague).get("/records/register/so-den.pdf")
    assert pdf.status_code == 200


def test_the_period_chooses_the_lines(book) -> None:
    Incoming.objects.filter(arrival_number=1).update(arrived_at=timezone.now() - dt.timedelta(days=40))
    day = timezone.localdate()
    rows = _csv(signed_in(book.clerk), f"?date_from={day:%d/%m/%Y}&date_to={day:%d/%m/%Y}")
    assert [r[1] for r in rows[1:]] == ["2", "3"]


def test_the_xlsx_has_the_title_the_agency_and_the_same_rows(book) -> None:
    from openpyxl import load_workbook

    response = signed_in(book.colleague).get("/records/register/so-den.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "VĂN PHÒNG CHÍNH PHỦ" and values[1][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    assert values[2][0] == f"Năm: {timezone.localdate().year}"
    header = values.index(list(COLUMNS))
    lines = values[header + 1:]
    assert [r[1] for r in lines] == [1, 3]
    assert all("tuyển dụng" not in str(cell) for r in values for cell in r)
    assert isinstance(lines[0][0], dt.datetime) and lines[0][4] == dt.datetime(2019, 9, 20)
    assert sheet.page_setup.orientation == "landscape"


def test_the_printed_register_is_landscape_a4_with_title_agency_year_and_columns(book, tmp_path) -> None:
    from pypdf import PdfReader

    response = signed_in(book.clerk).get("/records/register/so-den.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595  # A4 landscape in points
    path = tmp_path / "so-den.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True).stdout.decode()
    for needle in ("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", "VĂN PHÒNG CHÍNH PHỦ", f"Năm: {timezone.localdate().year}"):
        assert needle in text, needle
    compact = "".join(text.split())  # a narrow column may wrap its words
    for needle in (*COLUMNS, "1234/BTC-NSNN", "UBND tỉnh Nghệ An", "tuyển dụng công chức mật"):
        assert "".join(needle.split()) in compact, needle


def test_the_api_exports_the_register_as_csv(book) -> None:
    response = signed_in(book.colleague).get("/api/v1/records/register/export?format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode().lstrip("\ufeff"))))
    assert rows[0] == list(COLUMNS) and [r[1] for r in rows[1:]] == ["1", "3"]


def test_a_period_that_ends_before_it_starts_is_refused_beside_the_field(book) -> None:
    page = signed_in(book.clerk).get("/records/register/?date_from=10/05/2026&date_to=01/05/2026")
    assert page.status_code == 400
    assert 'id="id_date_to-error"' in page.content.decode()
    api = signed_in(book.clerk).get("/api/v1/records/register/export?date_from=2026-05-10&date_to=2026-05-01")
    assert api.status_code == 422 and api.json()["error"]["field"] == "date_to"


def test_people_outside_the_office_get_no_register(book) -> None:
    assert signed_in(book.outsider).get("/records/register/so-den.csv").status_code == 403
    assert signed_in(book.outsider).get("/api/v1/records/register/export").status_code == 403
