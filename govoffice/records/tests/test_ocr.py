"""Scans get their text by OCR with Tesseract's Vietnamese model, in the background, for search:
a PNG and an image-only PDF rendered here from a Vietnamese sentence are read back, and the
document is then found by those words with or without accents."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw, ImageFont

from govoffice.lib.vntext import fold
from govoffice.records.extract import tools_missing
from govoffice.records.files import Upload
from govoffice.records.models import Incoming, RecordFile
from govoffice.records.search import search
from govoffice.records.tests.incoming_people import FONT, desk, register  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(bool(tools_missing()), reason=f"needs {tools_missing()} (tesseract-ocr, tesseract-ocr-vie, poppler-utils)"),
]

SENTENCE = ["Bộ Tài chính đề nghị", "Văn phòng Chính phủ báo cáo", "tình hình giải ngân vốn đầu tư công"]
KEY_WORDS = ["tai chinh", "van phong chinh phu", "giai ngan", "dau tu cong"]


def _scan() -> Image.Image:
    image = Image.new("L", (1400, 330), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 56)
    for i, line in enumerate(SENTENCE):
        draw.text((40, 30 + i * 95), line, fill=0, font=font)
    return image


def _bytes(fmt: str) -> bytes:
    out = io.BytesIO()
    _scan().save(out, fmt, **({"resolution": 200.0} if fmt == "PDF" else {}))
    return out.getvalue()


def test_a_png_scan_is_read_in_vietnamese(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[Upload("cong-van.png", _bytes("PNG"))], subject="Công văn giấy")
    scan = RecordFile.objects.get(incoming=doc)
    assert scan.ocr_state == "done"
    text = fold(Incoming.objects.get(pk=doc.pk).text)
    for words in KEY_WORDS:
        assert words in text, (words, text)


def test_an_image_only_pdf_is_read_by_ocr(desk) -> None:  # noqa: F811
    raw = _bytes("PDF")
    doc = register(desk, scans=[Upload("ban-quet.pdf", raw)], subject="Công văn giấy")
    assert RecordFile.objects.get(incoming=doc).content_type == "application/pdf"
    text = fold(Incoming.objects.get(pk=doc.pk).text)
    assert "giai ngan" in text and "dau tu cong" in text


def test_the_document_is_found_by_the_words_of_its_scan(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[Upload("cong-van.png", _bytes("PNG"))], subject="Công văn giấy")
    assert [e.object_id for e in search(desk.clerk, "giải ngân vốn").entries] == [doc.pk]
    assert [e.object_id for e in search(desk.clerk, "giai ngan von").entries] == [doc.pk]


def test_the_text_of_every_scan_is_kept(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[Upload("trang-1.png", _bytes("PNG")), Upload("trang-2.pdf", _bytes("PDF"))], subject="Hai trang")
    text = fold(Incoming.objects.get(pk=doc.pk).text)
    assert text.count("giai ngan") == 2
