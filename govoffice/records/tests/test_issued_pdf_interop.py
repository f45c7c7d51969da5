"""An issued PDF passes poppler's pdfsig and pyHanko's validation, and pdftotext reads the
number, the date, the subject and the signer's name from it (Debian's poppler-utils)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from govoffice.records.layout import vn_date
from govoffice.records.models import Outgoing, OutgoingState
from govoffice.records.pdfsign import check_pdf
from govoffice.records.services.outgoing import issue_outgoing, issued_file
from govoffice.records.tests.office_people import (  # noqa: F401  (fixtures)
    decision_draft,
    letter_draft,
    signers,
    to_state,
    vpcp,
)
from govoffice.signing.services import platform_ca

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("pdfsig") is None, reason="needs Debian's poppler-utils"),
]


def _issued_pdf(signers, draft, tmp_path: Path) -> tuple[Outgoing, Path]:  # noqa: F811
    doc = issue_outgoing(actor=signers.clerk, outgoing=to_state(signers, draft, OutgoingState.SIGNED))
    file = issued_file(doc)
    assert file is not None
    path = tmp_path / "issued.pdf"
    with file.file.open("rb") as fh:
        path.write_bytes(fh.read())
    return doc, path


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, check=False, timeout=60).stdout.decode("utf-8", "replace")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_pdfsig_finds_one_valid_signature_by_the_signer(signers, tmp_path) -> None:  # noqa: F811
    _, path = _issued_pdf(signers, decision_draft(signers), tmp_path)
    out = _run("pdfsig", str(path))
    assert out.count("Signature #") == 1
    assert "Signature is Valid" in out
    assert "Vũ Đức Thắng" in out
    assert "Total document signed" in out


def test_pyhanko_finds_the_signature_intact_valid_and_trusted_by_the_platform_ca(signers, tmp_path) -> None:  # noqa: F811
    doc, path = _issued_pdf(signers, decision_draft(signers), tmp_path)
    [check] = check_pdf(path.read_bytes(), [platform_ca().cert])
    assert check.intact and check.valid and check.trusted and check.whole_document
    assert check.signer == "Vũ Đức Thắng"
    assert doc.signer_certificate is not None and check.fingerprint == doc.signer_certificate.fingerprint


def test_another_ca_does_not_vouch_for_the_signature(signers, tmp_path) -> None:  # noqa: F811
    from govoffice.lib import pki

    _, path = _issued_pdf(signers, decision_draft(signers), tmp_path)
    _, stranger = pki.make_ca("some other CA")
    [check] = check_pdf(path.read_bytes(), [stranger])
    assert check.intact and check.valid and not check.trusted


def test_pdftotext_reads_number_date_subject_and_signer_of_a_decision(signers, tmp_path) -> None:  # noqa: F811
    doc, path = _issued_pdf(signers, decision_draft(signers), tmp_path)
    text = _flat(_run("pdftotext", "-enc", "UTF-8", str(path), "-"))
    assert doc.notation == "01/QĐ-TTg"
    assert "Số: 01/QĐ-TTg" in text
    assert vn_date("Hà Nội", timezone.localdate(doc.issued_at)) in text
    assert "QUYẾT ĐỊNH" in text
    assert "Về việc phê duyệt Đề án đổi mới phương thức điều hành đồng bộ" in text
    assert "THỦ TƯỚNG" in text and "Vũ Đức Thắng" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Nơi nhận:" in text and "Bộ Tài chính" in text


def test_pdftotext_reads_a_letter_with_the_drafting_unit_and_the_competence(signers, tmp_path) -> None:  # noqa: F811
    doc, path = _issued_pdf(signers, letter_draft(signers), tmp_path)
    text = _flat(_run("pdftotext", "-enc", "UTF-8", str(path), "-"))
    assert doc.notation == "01/VPCP-TTĐT"
    assert "Số: 01/VPCP-TTĐT" in text
    assert "V/v kết nối Trục liên thông văn bản quốc gia" in text
    assert "KT. BỘ TRƯỞNG, CHỦ NHIỆM" in text and "PHÓ CHỦ NHIỆM" in text and "Phạm Thu Hà" in text
    assert "Lưu: VT, TTĐT." in text


def test_the_issued_pdf_declares_pdf_a_and_embeds_its_fonts(signers, tmp_path) -> None:  # noqa: F811
    _, path = _issued_pdf(signers, decision_draft(signers), tmp_path)
    root: Any = PdfReader(path).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    # PDF/A-3b survives the signature's incremental update (pyHanko rewrites the XMP, keeping pdfaid).
    assert re.search(rb'pdfaid:part(="|>)3', xmp) and re.search(rb'pdfaid:conformance(="|>)B', xmp)
    fonts = _run("pdffonts", str(path)).splitlines()
    header, rows = fonts[0], [line for line in fonts[2:] if line.strip()]
    emb = header.index("emb")
    assert rows and all(row[emb : emb + 3].strip() == "yes" for row in rows)
