"""The XML signatures the agent makes (documents and statuses) verify with Debian's xmlsec1,
against the signer's certificate and up the chain to the platform CA; tampered ones do not."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govoffice.exchange.models import Message
from govoffice.exchange.tests.conftest import Party
from govoffice.lib import pki
from govoffice.signing.services import platform_ca


@pytest.fixture
def xmlsec1() -> str:
    path = shutil.which("xmlsec1")
    if path is None:
        message = "xmlsec1 is not installed (Debian package xmlsec1: apt-get install xmlsec1)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def verify(xmlsec1: str, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    def run(raw: bytes, *, cert: bytes | None = None, trusted: bytes | None = None) -> subprocess.CompletedProcess[str]:
        document = tmp_path / "message.xml"
        document.write_bytes(raw)
        args = []
        if cert is not None:
            (tmp_path / "cert.pem").write_bytes(cert)
            args += ["--pubkey-cert-pem", str(tmp_path / "cert.pem")]
        if trusted is not None:
            (tmp_path / "ca.pem").write_bytes(trusted)
            args += ["--trusted-pem", str(tmp_path / "ca.pem")]
        return subprocess.run([xmlsec1, "--verify", *args, str(document)], capture_output=True, text=True, timeout=60)

    return run


def _verified(result: subprocess.CompletedProcess[str]) -> bool:
    return result.returncode == 0 and "SignedInfo References (ok/all): 1/1" in result.stderr


def _stored_document(finance: Party, nghe_an: Party, signed: Callable[..., bytes], send: Callable[..., Any]) -> bytes:
    """A document signed by the agent's code, accepted by the hub, as the hub keeps it."""
    body = send(finance, signed(finance, [nghe_an.code])).json()
    return bytes(Message.objects.get(id=body["message_id"]).raw)


def test_a_signed_document_verifies_with_xmlsec1_against_the_signers_certificate(finance, nghe_an, signed, send, verify) -> None:
    raw = _stored_document(finance, nghe_an, signed, send)
    result = verify(raw, cert=finance.cert_pem)
    assert _verified(result), result.stderr


def test_a_signed_document_verifies_with_xmlsec1_up_the_chain_to_the_platform_ca(finance, nghe_an, signed, send, verify) -> None:
    raw = _stored_document(finance, nghe_an, signed, send)
    # Only the CA is given: xmlsec1 takes the signer's certificate from KeyInfo and checks its chain.
    result = verify(raw, trusted=pki.cert_pem(platform_ca().cert))
    assert _verified(result), result.stderr


def test_a_signed_status_verifies_with_xmlsec1_both_ways(finance, nghe_an, signed, send, status_of, verify) -> None:
    document = send(finance, signed(finance, [nghe_an.code])).json()
    document_id = Message.objects.get(id=document["message_id"]).document_id
    answer = send(nghe_an, status_of(nghe_an, document_id, "03", "Đã vào sổ văn bản đến, số 1234"), path="/api/v1/hub/statuses")
    assert answer.status_code == 201, answer.json()
    raw = bytes(Message.objects.get(id=answer.json()["message_id"]).raw)
    assert _verified(verify(raw, cert=nghe_an.cert_pem))
    assert _verified(verify(raw, trusted=pki.cert_pem(platform_ca().cert)))


def test_xmlsec1_rejects_a_tampered_subject(finance, nghe_an, signed, verify) -> None:
    raw = signed(finance, [nghe_an.code])
    tampered = raw.replace("<edXML:Subject>Về".encode(), "<edXML:Subject>Vế".encode(), 1)
    assert tampered != raw
    assert _verified(verify(raw, cert=finance.cert_pem))
    result = verify(tampered, cert=finance.cert_pem)
    assert result.returncode != 0
    assert "data and digest do not match" in result.stderr


def test_xmlsec1_rejects_a_tampered_attachment(finance, nghe_an, signed, verify) -> None:
    raw = signed(finance, [nghe_an.code])
    start = raw.index(b"<edXML:ContentTransferEncoded>") + len(b"<edXML:ContentTransferEncoded>")
    flipped = b"B" if raw[start + 10 : start + 11] != b"B" else b"C"
    tampered = raw[: start + 10] + flipped + raw[start + 11 :]
    result = verify(tampered, trusted=pki.cert_pem(platform_ca().cert))
    assert result.returncode != 0


def test_xmlsec1_rejects_another_members_certificate_and_an_unknown_ca(finance, nghe_an, signed, verify) -> None:
    raw = signed(finance, [nghe_an.code])
    assert verify(raw, cert=nghe_an.cert_pem).returncode != 0
    _, stranger = pki.make_ca("another CA")
    assert verify(raw, trusted=pki.cert_pem(stranger)).returncode != 0
