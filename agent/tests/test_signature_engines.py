"""Both signature engines (python-xmlsec where it loads, signxml always) hold the same profile.

The xmlsec cases run where python-xmlsec is installed (its libxml2 must be lxml's); signxml's
run everywhere. No Django, no hub: real keys made here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from govoffice_agent import edxml, xmlsig
from signxml import XMLSigner
from signxml.algorithms import DigestAlgorithm, SignatureMethod

ENGINES = list(xmlsig.ENGINES)


def _identity(name: str) -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem, cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def me() -> tuple[bytes, bytes]:
    return _identity("Bộ Tài chính")


@pytest.fixture(scope="module")
def stranger() -> tuple[bytes, bytes]:
    return _identity("someone else")


def _message(number: str = "1") -> edxml.Message:
    return edxml.Message(
        sender=edxml.Organization("000.00.00.G12"),
        to=[edxml.Organization("000.00.00.G22")],
        code=edxml.Code(number, "BTC-VP"),
        subject="Về việc báo cáo năm 2019",
        promulgation=edxml.PromulgationInfo("Hà Nội", dt.date(2019, 9, 20)),
        document_type=edxml.DocumentType(1, "Công văn"),
        attachments=[edxml.Attachment("att1", "application/pdf", "a.pdf", b"%PDF-1.7 " + bytes(range(256)) * 20)],
    )


def _signed(identity: tuple[bytes, bytes], **signer: object) -> bytes:
    root = edxml.build_message(_message())
    if signer:
        key = xmlsig._signing_key(identity[0])
        made = XMLSigner(c14n_algorithm=xmlsig.C14N, **signer).sign(  # type: ignore[arg-type]
            root, key=key, cert=identity[1].decode(), always_add_key_value=False
        )
        return edxml.to_bytes(made)
    return edxml.to_bytes(xmlsig.sign(root, *identity))


def _verify(raw: bytes, engine: str, cert_pem: bytes | None = None) -> None:
    root = edxml.parse_bytes(raw)
    cert = x509.load_pem_x509_certificate(cert_pem) if cert_pem else xmlsig.embedded_certificate(root)
    xmlsig.verify(root, cert, engine=engine)


def test_the_faster_engine_is_chosen_where_it_loads() -> None:
    try:
        import xmlsec  # noqa: F401
    except Exception:
        assert xmlsig.ENGINE == "signxml"
    else:
        assert xmlsig.ENGINE == "xmlsec"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_good_signature_verifies(me, engine) -> None:
    _verify(_signed(me), engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_tampered_subject_is_refused(me, engine) -> None:
    raw = _signed(me).replace("năm 2019".encode(), "năm 2020".encode(), 1)
    with pytest.raises(edxml.EdxmlError) as caught:
        _verify(raw, engine)
    assert caught.value.code == "bad_signature"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_tampered_attachment_is_refused(me, engine) -> None:
    raw = _signed(me)
    start = raw.index(b"ContentTransferEncoded>") + len(b"ContentTransferEncoded>")
    flipped = b"B" if raw[start + 10 : start + 11] != b"B" else b"C"
    with pytest.raises(edxml.EdxmlError, match="signature"):
        _verify(raw[: start + 10] + flipped + raw[start + 11 :], engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_signature_by_another_key_is_refused(me, stranger, engine) -> None:
    with pytest.raises(edxml.EdxmlError) as caught:
        _verify(_signed(stranger), engine, cert_pem=me[1])
    assert caught.value.code == "bad_signature"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("signature", "digest"),
    [(SignatureMethod.RSA_SHA384, DigestAlgorithm.SHA384), (SignatureMethod.RSA_SHA256, DigestAlgorithm.SHA384)],
)
def test_algorithms_outside_the_profile_are_refused(me, engine, signature, digest) -> None:
    raw = _signed(me, signature_algorithm=signature, digest_algorithm=digest)
    with pytest.raises(edxml.EdxmlError) as caught:
        _verify(raw, engine)
    assert caught.value.code == "bad_signature"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_signature_over_a_fragment_is_refused(me, engine) -> None:
    raw = _signed(me).replace(b'URI=""', b'URI="#x"', 1)
    with pytest.raises(edxml.EdxmlError) as caught:
        _verify(raw, engine)
    assert caught.value.code == "bad_signature"


def test_only_usual_sized_certificates_are_remembered() -> None:
    import base64
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from govoffice_agent.xmlsig import DSIG_NS, _certificate, embedded_certificate
    from lxml import etree

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "padded")])

    def carrying(names: int) -> etree._Element:
        sans = x509.SubjectAlternativeName([x509.DNSName(f"host{n:05d}.example.vn") for n in range(names)])
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(names + 1).not_valid_before(dt.datetime(2020, 1, 1)).not_valid_after(dt.datetime(2030, 1, 1))
                .add_extension(sans, critical=False).sign(key, hashes.SHA256()))
        root = etree.Element("edXML")
        el = etree.SubElement(etree.SubElement(root, f"{{{DSIG_NS}}}KeyInfo"), f"{{{DSIG_NS}}}X509Certificate")
        el.text = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
        return root

    before = _certificate.cache_info().currsize
    embedded_certificate(carrying(2))
    assert _certificate.cache_info().currsize == before + 1
    giant = carrying(1500)  # some 40 KB of base64: read, but not kept
    assert embedded_certificate(giant).subject == name
    assert _certificate.cache_info().currsize == before + 1
