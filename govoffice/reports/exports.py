"""Dashboards and the annual report as CSV and XLSX: the same tables the pages show."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[Sequence[Any]] = field(default_factory=list)


def as_csv(tables: list[Table]) -> str:
    """UTF-8 with a BOM (spreadsheets then read the accents); one table after another, each under its title."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    for i, table in enumerate(tables):
        if i:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def _sheet_name(title: str, taken: set[str]) -> str:
    name = "".join(c for c in title if c not in '[]:*?/\\')[:28] or "Sheet"
    base, n = name, 2
    while name in taken:
        name = f"{base[:25]} {n}"
        n += 1
    taken.add(name)
    return name


def as_xlsx(tables: list[Table]) -> bytes:
    """One sheet per table, the title on top, bold column names, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    taken: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, taken))

        def cell(value: Any, *, font: Font | None = None, sheet: Any = sheet) -> WriteOnlyCell:
            c = WriteOnlyCell(sheet, value=value)
            if font is not None:
                c.font = font
            if hasattr(value, "year") and not hasattr(value, "hour"):
                c.number_format = "DD/MM/YYYY"
            return c

        sheet.append([cell(table.title, font=Font(bold=True, size=13))])
        sheet.append([cell(name, font=bold) for name in table.columns])
        for row in table.rows:
            sheet.append([cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
