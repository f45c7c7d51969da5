"""XML-DSig for edXML: an enveloped RSA-SHA256 signature over the whole message.

The signature element sits in edXMLHeader (where the standard puts it) and its reference
URI is "" (the whole document less the signature), so it covers the header, the manifest
and every attachment. Signatures made here verify with xmlsec1.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from lxml import etree
from signxml import InvalidInput, InvalidSignature, SignatureConfiguration, XMLSigner, XMLVerifier
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod

from govoffice_agent.edxml import DSIG_NS, EdxmlError, q


def _load_xmlsec() -> ModuleType | None:
    """python-xmlsec (libxmlsec1): the same check at about half the CPU of signxml's, when installed."""
    try:
        return importlib.import_module("xmlsec")
    except Exception:  # not installed, or its libxml2 is not lxml's (it refuses to load then)
        return None


_xmlsec = _load_xmlsec()

C14N = CanonicalizationMethod.CANONICAL_XML_1_0
# Which library checks signatures: "xmlsec" where python-xmlsec loads, else "signxml". Both
# enforce the same profile (below); signing is always signxml's.
ENGINES: tuple[str, ...] = ("xmlsec", "signxml") if _xmlsec is not None else ("signxml",)
ENGINE = ENGINES[0]


def _signer() -> XMLSigner:
    return XMLSigner(
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=C14N,
    )


@lru_cache(maxsize=16)
def _signing_key(key_pem: bytes) -> rsa.RSAPrivateKey:
    # Loading checks the RSA key's consistency, ~50 ms: once per key, not once per message.
    key = serialization.load_pem_private_key(key_pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("edXML signatures are made with an RSA key")
    return key


def sign(root: etree._Element, key_pem: bytes, cert_pem: bytes) -> etree._Element:
    """Sign an edXML tree that has a signature placeholder; returns the signed tree."""
    key = _signing_key(key_pem)
    signed: etree._Element = _signer().sign(root, key=key, cert=cert_pem.decode("ascii"), always_add_key_value=False)
    return signed


@dataclass
class Verified:
    certificate: x509.Certificate
    fingerprint: str


_CONFIG = SignatureConfiguration(
    require_x509=True,
    location="./*/*/",  # edXML/edXMLEnvelope/edXMLHeader/Signature
    expect_references=1,
    signature_methods=frozenset({SignatureMethod.RSA_SHA256, SignatureMethod.RSA_SHA512}),
    digest_algorithms=frozenset({DigestAlgorithm.SHA256, DigestAlgorithm.SHA512}),
)


def embedded_certificate(root: etree._Element) -> x509.Certificate:
    """The signer's certificate carried in KeyInfo/X509Data (not yet trusted)."""
    el = root.find(f".//{{{DSIG_NS}}}X509Certificate")
    if el is None or not (el.text or "").strip():
        raise EdxmlError("missing_signature", "the message has no XML signature with an X.509 certificate")
    body = "".join((el.text or "").split())
    # Only certificates of a usual size are remembered: anyone with an API key can send a
    # certificate the hub will refuse, and a cache of padded giants would fill the memory.
    return _certificate(body) if len(body) <= MAX_CACHED_CERTIFICATE else _certificate.__wrapped__(body)


MAX_CACHED_CERTIFICATE = 16_384  # base64 characters; an agency's certificate is about 1,500


# A hub reads the same few hundred certificates over and over: parsed once each (a certificate
# object is immutable). Keyed by the base64 text itself, so a different byte is a different entry.
@lru_cache(maxsize=1024)
def _certificate(body: str) -> x509.Certificate:
    pem = f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n".encode("ascii")
    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise EdxmlError("bad_signature", "the certificate in the signature cannot be read") from exc


def _check_placement(root: etree._Element) -> None:
    """One signature, in edXMLHeader, whose one reference is the whole document.

    signxml checks that what a reference points at is unchanged, not that it is the message
    the hub reads: a signature over `#id` could vouch for a copy tucked away inside a forged
    message (signature wrapping). So the reference must be "" (or the Id of the root itself).
    """
    signatures = list(root.iter(f"{{{DSIG_NS}}}Signature"))
    if not signatures:
        raise EdxmlError("missing_signature", "the message is not signed")
    if len(signatures) > 1:
        raise EdxmlError("bad_signature", "the message carries more than one signature")
    header = signatures[0].getparent()
    envelope = header.getparent() if header is not None else None
    if header is None or header.tag != q("edXMLHeader") or envelope is None or envelope.getparent() is not root:
        raise EdxmlError("bad_signature", "the signature must sit in edXMLEnvelope/edXMLHeader")
    uris = [ref.get("URI") for ref in signatures[0].iterfind(f"{{{DSIG_NS}}}SignedInfo/{{{DSIG_NS}}}Reference")]
    allowed = {""}
    root_id = root.get("Id") or root.get("ID")
    if root_id and sum(1 for el in root.iter() if root_id in (el.get("Id"), el.get("ID"))) == 1:
        allowed.add(f"#{root_id}")
    if len(uris) != 1 or uris[0] not in allowed:
        raise EdxmlError("bad_signature", 'the signature must cover the whole message (one Reference, URI="")')


def verify(root: etree._Element, cert: x509.Certificate, *, engine: str | None = None) -> None:
    """Check the signature was made by `cert`'s key over the whole document; EdxmlError if not.

    The profile: one enveloped signature in edXMLHeader, one reference to the whole document,
    RSA-SHA256/512 over C14N, SHA-256/512 digests; anything else is refused by either engine.
    """
    _check_placement(root)
    if (engine or ENGINE) == "xmlsec":
        _verify_xmlsec(root, cert)
        return
    pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
    try:
        result = XMLVerifier().verify(root, x509_cert=pem, expect_config=_CONFIG)
    except InvalidSignature as exc:
        raise EdxmlError("bad_signature", f"the signature does not verify: {exc}") from exc
    except (InvalidInput, etree.LxmlError, ValueError, KeyError, TypeError) as exc:
        # signxml lets lxml's schema check of ds:Signature (DocumentInvalid) and some lookups
        # on unknown algorithms escape as they are: all of them mean an unusable signature.
        raise EdxmlError("bad_signature", f"the signature is not usable: {exc}") from exc
    signed = result.signed_xml if not isinstance(result, list) else result[0].signed_xml
    # The one reference must be the whole document, not some fragment of it.
    if signed is None or etree.QName(signed).localname != "edXML":
        raise EdxmlError("bad_signature", "the signature does not cover the whole message")


def _verify_xmlsec(root: etree._Element, cert: x509.Certificate) -> None:
    if _xmlsec is None:
        raise RuntimeError("python-xmlsec is not installed")
    c = _xmlsec.constants
    node = root.find(f"{q('edXMLEnvelope')}/{q('edXMLHeader')}/{{{DSIG_NS}}}Signature")
    if node is None:  # _check_placement has made sure it is there
        raise EdxmlError("missing_signature", "the message is not signed")
    ctx = _xmlsec.SignatureContext()
    # Only these algorithms, as signxml's SignatureConfiguration allows: no SHA-1, no XPath or
    # XSLT transforms, no HMAC. The key is the certificate's, never one from KeyInfo.
    for transform in (c.TransformRsaSha256, c.TransformRsaSha512, c.TransformInclC14N, c.TransformInclC14NWithComments,
                      c.TransformExclC14N, c.TransformExclC14NWithComments, c.TransformInclC14N11):
        ctx.enable_signature_transform(transform)
    for transform in (c.TransformEnveloped, c.TransformInclC14N, c.TransformInclC14NWithComments, c.TransformExclC14N,
                      c.TransformExclC14NWithComments, c.TransformInclC14N11, c.TransformSha256, c.TransformSha512):
        ctx.enable_reference_transform(transform)
    if (root.get("Id") or root.get("ID")) is not None:
        _xmlsec.tree.add_ids(root, ["Id", "ID"])  # a reference "#<the root's Id>" (_check_placement allows it)
    try:
        ctx.key = _xmlsec_key(cert)  # the context takes a copy
        ctx.verify(node)
    except _xmlsec.VerificationError as exc:
        raise EdxmlError("bad_signature", f"the signature does not verify: {exc}") from exc
    except (_xmlsec.Error, ValueError, TypeError) as exc:
        raise EdxmlError("bad_signature", f"the signature is not usable: {exc}") from exc


@lru_cache(maxsize=1024)
def _xmlsec_key(cert: x509.Certificate) -> object:
    """The certificate's public key as libxmlsec1 holds it, loaded once per certificate."""
    assert _xmlsec is not None
    public = cert.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return _xmlsec.Key.from_memory(public, _xmlsec.constants.KeyDataFormatPem)


def load_private_key(pem: bytes) -> PrivateKeyTypes:
    return serialization.load_pem_private_key(pem, password=None)
