"""Helpers shared by the dossier tests: filing through the API, a PAdES-signed PDF."""

from __future__ import annotations

import io
import json
from typing import Any

from django.test import Client

from govoffice.portal.tests.conftest import JUDICIAL, JUDICIAL_VALUES, PDF


def file_dossier(client: Client, *, values: dict[str, Any] | None = None, files: list[tuple[str, bytes]] | None = None,
                 procedure: str = JUDICIAL, key: str | None = None) -> Any:
    uploads = [_named(n, d) for n, d in (files if files is not None else [("to-khai.pdf", PDF)])]
    headers: dict[str, Any] = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/portal/dossiers", {"procedure": procedure, "values": json.dumps(values or JUDICIAL_VALUES),
                                                   "files": uploads}, **headers)


def _named(name: str, data: bytes) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def signed_pdf(user: Any) -> bytes:
    """A one-page PDF signed (PAdES) with the person's platform-issued signing key."""
    from weasyprint import HTML

    from govoffice.records.pdfsign import sign_pdf
    from govoffice.signing.people import issue_signer_key, signer_identity

    pdf = HTML(string="<p>Phiếu lý lịch tư pháp số 1</p>").write_pdf()
    issue_signer_key(actor=None, user=user)
    ident = signer_identity(user)
    return sign_pdf(pdf, ident.key, ident.cert, ident.ca_cert, reason="Kết quả giải quyết TTHC")
