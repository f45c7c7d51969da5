"""The issued document laid out as Decree 30/2020 (Appendix I) requires, rendered by WeasyPrint
as PDF/A-3b with its fonts embedded.

Decree 30 asks for Times New Roman; Liberation Serif (Debian fonts-liberation2, version 2 has
the Vietnamese letters) has the same metrics. DejaVu Serif (fonts-dejavu-core) is the fallback.
The font files are named explicitly so every machine embeds the same font.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.template.loader import render_to_string

from govoffice.directory.models import Clearance
from govoffice.records.models import UNABBREVIATED, DocType, Outgoing, Urgency

PDF_VARIANT = "pdf/a-3b"
FONT_SETS = [
    ("Liberation Serif", Path("/usr/share/fonts/truetype/liberation2"),
     {"regular": "LiberationSerif-Regular.ttf", "bold": "LiberationSerif-Bold.ttf",
      "italic": "LiberationSerif-Italic.ttf", "bolditalic": "LiberationSerif-BoldItalic.ttf"}),
    ("DejaVu Serif", Path("/usr/share/fonts/truetype/dejavu"),
     {"regular": "DejaVuSerif.ttf", "bold": "DejaVuSerif-Bold.ttf",
      "italic": "DejaVuSerif-Italic.ttf", "bolditalic": "DejaVuSerif-BoldItalic.ttf"}),
]
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# WeasyPrint logs each of its seven steps at INFO for every document: keep only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class LayoutError(RuntimeError):
    """The machine lacks what the layout needs (the fonts)."""


@cache
def fonts() -> dict[str, str]:
    """file:// URLs of the four faces of the first complete font set installed."""
    for _name, folder, faces in FONT_SETS:
        paths = {style: folder / file for style, file in faces.items()}
        if all(p.is_file() for p in paths.values()):
            return {style: p.as_uri() for style, p in paths.items()}
    raise LayoutError("No serif font with Vietnamese letters: install Debian's fonts-liberation2 (or fonts-dejavu-core)")


def vn_date(place: str, day: dt.date) -> str:
    """`Hà Nội, ngày 20 tháng 9 năm 2019`: days below 10 and the months 1 and 2 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass
class Page:
    """Everything printed on the document, in Decree 30's order."""

    superior: str  # the managing body above the issuer (cơ quan chủ quản), if any
    authority: str
    number_line: str  # Số: 123/QĐ-TTg
    date_line: str
    type_title: str  # QUYẾT ĐỊNH; empty for a công văn
    subject: str
    cong_van: bool
    paragraphs: list[str]
    competence: str  # TM. CHÍNH PHỦ
    title: str  # THỦ TƯỚNG
    signer_name: str
    recipients: list[str] = field(default_factory=list)
    secrecy: str = ""
    urgency: str = ""
    draft: bool = False
    fonts: dict[str, str] = field(default_factory=dict)


def recipients_of(doc: Outgoing) -> list[str]:
    """The "Nơi nhận" lines: the agencies it goes to, the drafter's extra lines, and the file copy."""
    lines = [f"- {a.name_vi};" for a in doc.recipients.order_by("code")] if doc.pk else []
    lines += [line.strip() for line in doc.recipient_places.splitlines() if line.strip()]
    if not any("Lưu" in line for line in lines):
        unit = doc.drafting_unit.short_name if doc.drafting_unit and doc.drafting_unit.short_name else ""
        lines.append(f"- Lưu: VT{', ' + unit if unit else ''}.")
    return lines


def page_for(doc: Outgoing, *, notation: str = "", day: dt.date | None = None) -> Page:
    """The page of an outgoing document; without a notation it is the draft (Số: blank, marked DỰ THẢO)."""
    is_cong_van = doc.doc_type in UNABBREVIATED
    if notation:
        number_line = f"Số: {notation}"
    else:
        tail = f"{doc.authority_short}" if is_cong_van else f"{doc.doc_type}-{doc.authority_short}"
        if is_cong_van and doc.drafting_unit and doc.drafting_unit.short_name:
            tail += f"-{doc.drafting_unit.short_name}"
        number_line = f"Số:       /{tail}"
    own = doc.authority_short == (doc.agency.short_name or doc.authority_short)
    superior = doc.agency.parent.name_vi.upper() if own and doc.agency.parent else ""
    signer = doc.signer
    name = (signer.full_name or signer.username) if signer else ""
    title = doc.signer_title or (signer.position.upper() if signer else "")
    competence = " ".join(p for p in (doc.signer_competence.strip(), doc.signer_on_behalf.strip().upper()) if p)
    paragraphs = [p.strip() for p in doc.body.replace("\r\n", "\n").split("\n") if p.strip()]
    subject = doc.subject.strip()
    if is_cong_van:  # printed after "V/v": a leading "Về việc" would say it twice
        subject = re.sub(r"^(về việc|v/v)\s*", "", subject, flags=re.IGNORECASE).strip() or subject
    return Page(
        superior=superior,
        authority=doc.authority_name.upper(),
        number_line=number_line,
        date_line=vn_date(doc.place, day) if day else f"{doc.place}, ngày      tháng      năm",
        type_title="" if is_cong_van else DocType(doc.doc_type).label.upper(),
        subject=subject,
        cong_van=is_cong_van,
        paragraphs=paragraphs,
        competence=competence,
        title=title.upper(),
        signer_name=name,
        recipients=recipients_of(doc),
        secrecy=Clearance(doc.confidentiality).label.upper() if doc.confidentiality else "",
        urgency=Urgency(doc.urgency).label.upper() if doc.urgency else "",
        draft=not notation,
        fonts=fonts(),
    )


def render_html(page: Page) -> str:
    return render_to_string("records/pdf/document.html", {"page": page, "nation": NATIONAL_TITLE, "motto": MOTTO})


def render_pdf(page: Page) -> bytes:
    """The page as PDF/A-3b, fonts embedded (WeasyPrint)."""
    from weasyprint import HTML

    pdf = HTML(string=render_html(page)).write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None
    return bytes(pdf)
