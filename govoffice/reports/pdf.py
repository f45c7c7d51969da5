"""The annual report as a PDF (WeasyPrint, PDF/A-3b, the records layout's embedded serif fonts)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from govoffice.records.layout import PDF_VARIANT, fonts
from govoffice.reports.annual import AnnualReport
from govoffice.reports.figures import office_agencies
from govoffice.reports.tables import annual_table


def annual_pdf(report: AnnualReport) -> bytes:
    """A4 portrait: the office's name, the title, one line per figure with its key, the definition used."""
    from weasyprint import HTML

    with translation.override("vi"):  # an official report of the office: in Vietnamese
        table = annual_table(report)
        offices = office_agencies()
        html = render_to_string("reports/annual_pdf.html", {
            "report": report, "table": table, "fonts": fonts(), "agency": offices[0] if offices else None,
            "generated": timezone.localtime(),
        })
    pdf = HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None
    return bytes(pdf)
