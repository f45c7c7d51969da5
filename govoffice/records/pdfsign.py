"""PAdES signatures on issued PDFs (pyHanko): signed with the signer's key and certificate
from the platform CA, checked against the platform's trusted CAs.

The signature is invisible (no widget): the page already prints the signer's competence,
position and name where Decree 30 puts them, and an invisible signature never overlaps a
body of any length. Level PAdES B-B (no timestamp authority is configured); the incremental
update keeps the PDF/A file intact.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from govoffice.lib import pki

FIELD_NAME = "ChuKySo"


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _sign_pdf(pdf: bytes, key: pki.SigningKey, cert: x509.Certificate, ca_cert: x509.Certificate, *,
             reason: str = "", location: str = "", name: str = "") -> bytes:
    """The PDF with a PAdES signature by `cert`'s holder appended (the chain to `ca_cert` embedded)."""
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(ca_cert)]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None, location=location or None, name=name or None,
    )
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), output=out)
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str  # the certificate's subject common name
    fingerprint: str
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptographic signature verifies
    trusted: bool  # the certificate chains to a trusted CA
    whole_document: bool  # nothing was changed after signing
    signed_at: str

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.whole_document


def _check_pdf(pdf: bytes, trust_roots: list[x509.Certificate] | tuple[x509.Certificate, ...]) -> list[SignatureCheck]:
    """Every signature of a PDF, validated against `trust_roots`."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    context = ValidationContext(trust_roots=[_asn1_cert(c) for c in trust_roots])
    out = []
    for embedded in reader.embedded_signatures:
        status = validate_pdf_signature(embedded, context)
        cert = status.signing_cert
        signed = status.signer_reported_dt
        out.append(SignatureCheck(
            field=embedded.field_name,
            signer=cert.subject.native.get("common_name", ""),
            fingerprint=cert.sha256.hex(),
            intact=status.intact,
            valid=status.valid,
            trusted=status.trusted,
            whole_document=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
            signed_at=signed.isoformat() if signed else "",
        ))
    return out


T = TypeVar("T")


def _outside_event_loop(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """pyHanko's synchronous API calls asyncio.run(), which fails in a thread that already runs
    an event loop (an async server, a browser test driver): run it on a fresh thread then."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def sign_pdf(*args: Any, **kwargs: Any) -> bytes:
    """Sign a PDF as PAdES B-B with the signer's key and certificate (see _sign_pdf)."""
    return _outside_event_loop(_sign_pdf, *args, **kwargs)


def check_pdf(*args: Any, **kwargs: Any) -> list[SignatureCheck]:
    """Every signature of a PDF, validated against the trust roots (see _check_pdf)."""
    return _outside_event_loop(_check_pdf, *args, **kwargs)
