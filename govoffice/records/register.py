"""The incoming register (sổ đăng ký văn bản đến) in the layout of Decree 30/2020 (Appendix IV):
its rows for any period, printed as a landscape A4 PDF and exported as CSV and XLSX.

Every row comes through records.permissions.visible_to: a secret document appears only in the
register of a reader whose clearance reaches it, in all three formats alike.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from govoffice.directory.models import Agency, Clearance, User
from govoffice.lib.errors import DomainError
from govoffice.records.models import DocType, Incoming, IncomingState, Urgency
from govoffice.records.permissions import visible_to

# The columns of the register as Decree 30 names them; the printed register is always Vietnamese.
COLUMNS = (
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ký nhận",
    "Ghi chú",
)
TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
MAX_PDF_ROWS = 10_000  # beyond this a printed register is split by period (a month is ~10,000 here)
MAX_PERIOD_DAYS = 366 * 5


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, start: dt.date | None, end: dt.date | None, today: dt.date | None = None) -> Period:
        """The period asked for; by default the current year up to today."""
        today = today or timezone.localdate()
        start = start or (dt.date(end.year, 1, 1) if end else dt.date(today.year, 1, 1))
        end = end or max(today, start)
        if end < start:
            raise DomainError("invalid_period", _("The end of the period is before its start"), field="date_to", status=422)
        if (end - start).days > MAX_PERIOD_DAYS:
            raise DomainError("invalid_period", _("A period is at most five years"), field="date_to", status=422)
        return cls(start, end)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware datetimes: local midnight of the first day, local midnight after the last."""
        zone = timezone.get_current_timezone()
        first = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return first, after

    @property
    def years(self) -> str:
        return str(self.start.year) if self.start.year == self.end.year else f"{self.start.year}–{self.end.year}"


@dataclass(frozen=True)
class RegisterRow:
    arrival_date: dt.date
    arrival_number: int
    author: str
    number_notation: str
    document_date: dt.date | None
    type_and_summary: str
    receiver: str
    signature: str
    notes: str
    urgent: bool
    pk: int

    def cells(self) -> list[str]:
        """The row as text, dates as dd/mm/yyyy."""
        return [
            f"{self.arrival_date:%d/%m/%Y}", str(self.arrival_number), self.author, self.number_notation,
            f"{self.document_date:%d/%m/%Y}" if self.document_date else "", self.type_and_summary,
            self.receiver, self.signature, self.notes,
        ]


def register_lines(user: User, agency: Agency, period: Period) -> QuerySet[Incoming]:
    """The register's documents for the period, in arrival-number order, that `user` may see."""
    first, after = period.bounds()
    return (
        Incoming.objects.filter(visible_to(user))
        .filter(agency=agency, arrival_number__isnull=False, arrived_at__gte=first, arrived_at__lt=after)
        .select_related("receiving_unit", "receiving_person", "presented_to")
        .order_by("year", "arrival_number")
    )


_TYPE_LABELS = dict(DocType.choices)
_URGENCY_LABELS = dict(Urgency.choices)
_CLEARANCE_LABELS = dict(Clearance.choices)


def row_of(doc: Incoming) -> RegisterRow:
    receiver = " – ".join(
        p for p in (
            doc.receiving_unit.name_vi if doc.receiving_unit else "",
            str(doc.receiving_person) if doc.receiving_person else "",
        ) if p
    )
    if not receiver and doc.presented_to is not None:
        receiver = str(doc.presented_to)
    notes = []
    if doc.urgency:
        notes.append(str(_URGENCY_LABELS[doc.urgency]))
    if doc.confidentiality:
        notes.append(str(_CLEARANCE_LABELS[doc.confidentiality]))
    if doc.state == IncomingState.RETURNED:
        notes.append(f"Đã trả lại: {doc.return_reason}")
    if doc.note:
        notes.append(doc.note)
    assert doc.arrival_number is not None
    return RegisterRow(
        arrival_date=timezone.localtime(doc.arrived_at).date(), arrival_number=doc.arrival_number,
        author=doc.sender_name, number_notation=doc.number_notation, document_date=doc.document_date,
        type_and_summary=f"{_TYPE_LABELS.get(doc.doc_type, doc.doc_type)}: {doc.subject}", receiver=receiver,
        signature="", notes="; ".join(notes), urgent=doc.urgency > 0, pk=doc.pk,
    )


def rows(user: User, agency: Agency, period: Period) -> Iterator[RegisterRow]:
    for doc in register_lines(user, agency, period).iterator(chunk_size=2000):
        yield row_of(doc)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(user: User, agency: Agency, period: Period) -> Iterator[str]:
    """The register as CSV, one line at a time (UTF-8 with a BOM so spreadsheets read the accents)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(COLUMNS)
    for row in rows(user, agency, period):
        yield writer.writerow(row.cells())


def as_csv(user: User, agency: Agency, period: Period) -> str:
    return "".join(csv_lines(user, agency, period))


def as_xlsx(user: User, agency: Agency, period: Period) -> bytes:
    """The register as an XLSX workbook in the Decree 30 layout (title, agency, period, columns)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"Sổ đến {period.years}")
    for letter, width in zip("ABCDEFGHI", (12, 8, 28, 16, 12, 60, 28, 12, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4 (ECMA-376 paper size code)
    bold = Font(bold=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")

    def cell(value: object, *, font: Font | None = None, border: bool = False, fmt: str = "") -> WriteOnlyCell:
        c = WriteOnlyCell(sheet, value=value)
        if font is not None:
            c.font = font
        if border:
            c.border = box
            c.alignment = wrap
        if fmt:
            c.number_format = fmt
        return c

    sheet.append([cell(agency.name_vi.upper(), font=bold)])
    sheet.append([cell(TITLE, font=Font(bold=True, size=14))])
    sheet.append([cell(f"Năm: {period.years}")])
    sheet.append([cell(f"Từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}")])
    sheet.append([])
    sheet.append([cell(name, font=bold, border=True) for name in COLUMNS])
    for row in rows(user, agency, period):
        sheet.append([
            cell(row.arrival_date, border=True, fmt="DD/MM/YYYY"), cell(row.arrival_number, border=True),
            cell(row.author, border=True), cell(row.number_notation, border=True),
            cell(row.document_date, border=True, fmt="DD/MM/YYYY"), cell(row.type_and_summary, border=True),
            cell(row.receiver, border=True), cell(row.signature, border=True), cell(row.notes, border=True),
        ])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_pdf(user: User, agency: Agency, period: Period) -> bytes:
    """The register printed as Decree 30 lays it out: landscape A4, title, agency, year, columns."""
    from weasyprint import HTML

    lines = register_lines(user, agency, period)
    if lines.count() > MAX_PDF_ROWS:
        raise DomainError(
            "too_many_rows", _("More than %(max)s documents: print a shorter period") % {"max": f"{MAX_PDF_ROWS:,}".replace(",", ".")},
            field="date_to", status=422,
        )
    body = [row_of(doc) for doc in lines]
    html = render_to_string("records/register/register_pdf.html", {
        "agency": agency, "parent": agency.parent, "title": TITLE, "period": period, "columns": COLUMNS, "rows": body,
        "first": body[0].arrival_number if body else None, "last": body[-1].arrival_number if body else None,
    })
    return bytes(HTML(string=html).write_pdf())
