"""Bad input: every check the hub makes on a message refuses a crafted one with its own code, and stores nothing.

The checks run in the order the issue sets (first failure wins): safe, well-formed XML within
the size cap; the edXML structure; the sender is the API key's agency; every recipient exists
and is a member; no recipient twice; a valid signature by the sender's current certificate;
attachments that match the manifest.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from govoffice_agent import edxml, xmlsig
from lxml import etree

from govoffice.audit.models import Event
from govoffice.exchange.models import Delivery, Message
from govoffice.exchange.services.members import revoke_member
from govoffice.exchange.tests.conftest import Party, make_message, sign
from govoffice.exchange.validation import check_document
from govoffice.lib import pki
from govoffice.lib.errors import DomainError
from govoffice.signing.models import Certificate
from govoffice.signing.services import platform_ca, revoke_certificate

MESSAGES = "/api/v1/hub/messages"
STATUSES = "/api/v1/hub/statuses"
NOT_IN_DIRECTORY = "000.00.00.G99"
NOT_A_MEMBER = "000.00.00.G09"  # Bộ Nội vụ: in the directory, never enrolled
SUBJECT_TAIL = "nhiệm vụ năm 2019".encode()
DSIG = f"{{{xmlsig.DSIG_NS}}}"

Refused = Callable[..., dict[str, Any]]


def _stored() -> tuple[int, int, int]:
    return Message.objects.count(), Delivery.objects.count(), Event.objects.count()


@pytest.fixture
def refused(send: Callable[..., Any]) -> Refused:
    """Post `raw` as `party`; the answer must be `status` with error `code`, and nothing stored."""

    def post(party: Party, raw: bytes, code: str, status: int, path: str = MESSAGES, **headers: str) -> dict[str, Any]:
        before = _stored()
        response = send(party, raw, path, **headers)
        assert response.status_code == status, response.content[:400]
        assert response["Content-Type"].startswith("application/json")
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
        assert body["error"]["code"] == code, body
        assert body["error"]["message"]
        assert _stored() == before, "a refused message must leave no row and no audit event"
        return dict(body["error"])

    return post


# ---------------------------------------------------------------- crafting helpers


def q(tag: str) -> str:
    return edxml.q(tag)


def tree(party: Party, to: list[str], **overrides: Any) -> etree._Element:
    """An unsigned edXML tree from `party` (with the signature slot), to be changed and signed."""
    return edxml.build_message(make_message(party.code, to, **overrides))


def signed_after(party: Party, to: list[str], change: Callable[[etree._Element], object], **overrides: Any) -> bytes:
    """A message changed before it is signed: the signature is good, the content is not."""
    root = tree(party, to, **overrides)
    change(root)
    return sign(party, root)


def remove(root: etree._Element, tag: str, index: int = 0) -> None:
    el = root.findall(f".//{q(tag)}")[index]
    el.getparent().remove(el)


def set_text(tag: str, text: str, index: int = 0) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        root.findall(f".//{q(tag)}")[index].text = text

    return change


def tamper_subject(raw: bytes) -> bytes:
    assert raw.count(SUBJECT_TAIL) == 1
    return raw.replace(SUBJECT_TAIL, "nhiệm vụ năm 2020".encode())


def tamper_attachment(raw: bytes) -> bytes:
    """Change one byte of the first attachment, keeping valid base64 of the same length."""
    root = etree.fromstring(raw)
    el = root.find(f".//{q('ContentTransferEncoded')}")
    old = el.text or ""
    data = bytearray(base64.b64decode(old))
    data[len(data) // 2] ^= 0x01
    new = base64.b64encode(bytes(data)).decode("ascii")
    assert len(new) == len(old) and new != old
    out = raw.replace(old.encode("ascii"), new.encode("ascii"))
    assert out != raw
    return out


def with_certificate(raw: bytes, cert_pem: bytes) -> bytes:
    """Swap the certificate in KeyInfo for another one (the signature value stays)."""
    root = etree.fromstring(raw)
    el = root.find(f".//{DSIG}X509Certificate")
    el.text = "".join(line for line in cert_pem.decode("ascii").splitlines() if "CERTIFICATE" not in line)
    return edxml.to_bytes(root)


def own_key_pair(code: str, **issue: Any) -> tuple[bytes, bytes]:
    """A key and a certificate for `code` from a CA the hub does not know."""
    ca_key, ca_cert = pki.make_ca("rogue CA")
    key = pki.new_key()
    cert = pki.issue(ca_key, ca_cert, key.public_key(), "Bộ Tài chính", code, **issue)
    return pki.key_pem(key), pki.cert_pem(cert)


def platform_issued(party: Party, **issue: Any) -> Party:
    """A key pair for `party` from the platform CA, registered to its agency with any validity."""
    ca = platform_ca()
    assert isinstance(ca.key, rsa.RSAPrivateKey)
    key = pki.new_key()
    cert = pki.issue(ca.key, ca.cert, key.public_key(), party.agency.name_vi, party.code, **issue)
    Certificate.objects.create(
        agency=party.agency, serial=format(cert.serial_number, "x"), subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(), fingerprint=pki.fingerprint(cert), pem=pki.cert_pem(cert).decode("ascii"),
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
    )
    return Party(party.agency, party.api_key, pki.key_pem(key), pki.cert_pem(cert))


def in_utf16(text: str) -> bytes:
    raw = text.encode("utf-16")
    assert b"<!DOCTYPE" not in raw and b"<!ENTITY" not in raw  # the byte scan cannot see it
    return raw


# ---------------------------------------------------------------- 1. safe, well-formed XML


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"this is not XML",
        b"<edXML:edXML xmlns:edXML='http://www.mic.gov.vn/TBT/QCVN_102_2016'><unclosed>",
        b"<?xml version='1.0' encoding='UTF-8'?><a>\xff\xfe invalid UTF-8</a>",
        b"<a>&undeclared;</a>",
    ],
    ids=["empty", "text", "unclosed", "bad-utf8", "undeclared-entity"],
)
def test_malformed_xml_is_refused(finance, office, refused, raw) -> None:
    refused(finance, raw, "malformed_xml", 400)


def test_a_truncated_signed_message_is_malformed(finance, office, signed, refused) -> None:
    raw = signed(finance, [office.code])
    refused(finance, raw[: len(raw) // 2], "malformed_xml", 400)


BILLION_LAUGHS = """<?xml version="1.0" encoding="{enc}"?>
<!DOCTYPE edXML [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">&lol9;</edXML:edXML>"""

XXE = """<?xml version="1.0" encoding="{enc}"?>
<!DOCTYPE edXML [<!ENTITY passwd SYSTEM "file:///etc/passwd">]>
<edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">&passwd;</edXML:edXML>"""


def test_a_billion_laughs_document_is_refused(finance, office, refused) -> None:
    error = refused(finance, BILLION_LAUGHS.format(enc="UTF-8").encode(), "unsafe_xml", 400)
    assert "lollol" not in error["message"]


def test_an_external_entity_document_is_refused_without_reading_the_file(finance, office, send, refused) -> None:
    raw = XXE.format(enc="UTF-8").encode()
    error = refused(finance, raw, "unsafe_xml", 400)
    assert "root:" not in error["message"]
    assert b"root:" not in send(finance, raw).content


def test_a_doctype_without_entities_is_refused(finance, office, refused) -> None:
    refused(finance, b"<!DOCTYPE edXML SYSTEM 'http://example.org/edxml.dtd'><edXML/>", "unsafe_xml", 400)


def _signed_with_doctype(raw: bytes) -> str:
    body = raw.decode("utf-8").split("?>", 1)[1]
    return '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE edXML:edXML>' + body


@pytest.mark.parametrize("document", ["billion-laughs", "xxe", "signed-message"])
def test_a_utf16_document_with_a_doctype_is_caught_after_parsing(finance, office, signed, send, refused, document) -> None:
    if document == "billion-laughs":
        text = BILLION_LAUGHS.format(enc="UTF-16")
    elif document == "xxe":
        text = XXE.format(enc="UTF-16")
    else:
        text = _signed_with_doctype(signed(finance, [office.code]))
    raw = in_utf16(text)
    error = refused(finance, raw, "unsafe_xml", 400)
    assert error["message"] == "DTDs are not accepted"  # the check after parsing, not the byte scan
    assert b"root:" not in send(finance, raw).content


def test_a_utf16_message_without_a_doctype_gets_past_the_xml_checks(finance, office, signed, send) -> None:
    # The control for the test above: UTF-16 itself is not what is refused.
    text = signed(finance, [office.code]).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    response = send(finance, text.encode("utf-16"))
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    "change",
    [
        lambda raw: raw.replace(edxml.NS.encode(), b"http://example.org/not-edxml"),
        lambda raw: raw.replace(b"QCVN_102_2016", b"QCVN_102_2015"),
        lambda raw: b"<edXML><edXMLEnvelope/></edXML>",
        lambda raw: raw.replace(b"edXML:edXML", b"edXML:Document"),
    ],
    ids=["other-uri", "other-version", "no-namespace", "other-root"],
)
def test_a_document_in_another_namespace_is_refused(finance, office, signed, refused, change) -> None:
    refused(finance, change(signed(finance, [office.code])), "wrong_namespace", 400)


def test_a_status_message_sent_as_a_document_is_refused(finance, office, status_of, refused) -> None:
    raw = status_of(finance, "000.00.00.G22,2019/09/20,1/VPCP", "03")
    error = refused(finance, raw, "invalid_structure", 422)
    assert "/api/v1/hub/statuses" in error["message"]


def test_a_document_sent_as_a_status_is_refused(finance, office, signed, refused) -> None:
    refused(finance, signed(finance, [office.code]), "invalid_structure", 422, path=STATUSES)


# ---------------------------------------------------------------- 2. structure


@pytest.mark.parametrize(
    "change",
    [
        lambda root: remove(root, "MessageHeader"),
        lambda root: remove(root, "From"),
        lambda root: remove(root, "DocumentId"),
        set_text("OrganId", "Bộ Tài chính"),
        set_text("PromulgationDate", "ngày 20 tháng 9"),
        set_text("DueDate", "2019-13-45"),
        set_text("Type", "một"),
        set_text("Type", "99999999999999999999"),
        set_text("Priority", "٣"),  # an Arabic-Indic digit: int() takes it, the standard does not
        set_text("BussinessDocType", "7"),
    ],
    ids=[
        "no-header", "no-from", "no-document-id", "bad-organ-id", "bad-date", "impossible-date",
        "type-not-a-number", "type-out-of-range", "non-ascii-digit", "unknown-business-type",
    ],
)
def test_a_broken_structure_is_refused(finance, office, refused, change) -> None:
    refused(finance, signed_after(finance, [office.code], change), "invalid_structure", 422)


def test_a_document_id_longer_than_the_hub_keeps_is_refused(finance, office, refused) -> None:
    raw = signed_after(finance, [office.code], set_text("DocumentId", "000.00.00.G12,2019/09/20," + "9" * 300 + "/BTC"))
    error = refused(finance, raw, "invalid_structure", 422)
    assert error["field"] == "DocumentId"


def test_a_message_without_a_recipient_is_refused(finance, office, refused) -> None:
    def drop_every_to(root: etree._Element) -> None:
        for el in root.findall(f".//{q('To')}"):
            el.getparent().remove(el)

    refused(finance, signed_after(finance, [office.code], drop_every_to), "missing_recipient", 422)


@pytest.mark.parametrize(
    "change",
    [
        set_text("OrganId", "", index=1),  # index 0 is From's
        set_text("OrganId", "   ", index=1),
        lambda root: remove(root, "OrganId", index=1),
        lambda root: [root.find(f".//{q('To')}").remove(child) for child in list(root.find(f".//{q('To')}"))],
    ],
    ids=["empty-organ-id", "blank-organ-id", "no-organ-id", "empty-element"],
)
def test_a_message_with_an_empty_recipient_is_refused(finance, office, refused, change) -> None:
    error = refused(finance, signed_after(finance, [office.code], change), "missing_recipient", 422)
    assert error["field"] == "To"


# ---------------------------------------------------------------- 3. the sender


def test_a_sender_other_than_the_keys_agency_is_refused(finance, office, signed, refused) -> None:
    # Finance's own signed message, posted with the Government Office's API key.
    error = refused(office, signed(finance, [office.code]), "sender_mismatch", 403)
    assert finance.code in error["message"] and office.code in error["message"]


def test_a_revoked_member_cannot_send(finance, office, signed, refused) -> None:
    raw = signed(finance, [office.code])
    revoke_member(actor=None, agency=finance.agency, reason="kiểm thử")
    refused(finance, raw, "not_a_member", 403)


# ---------------------------------------------------------------- 4-5. the recipients


@pytest.mark.parametrize(
    ("code", "why"),
    [(NOT_IN_DIRECTORY, "is not in the directory"), (NOT_A_MEMBER, "is not a member of the hub")],
    ids=["not-in-directory", "not-a-member"],
)
def test_a_recipient_that_is_not_a_member_is_refused(finance, office, signed, refused, code, why) -> None:
    error = refused(finance, signed(finance, [office.code, code]), "unknown_recipient", 422)
    assert error["message"].endswith(why) and code in error["message"] and error["field"] == "To"


def test_a_revoked_member_cannot_receive(finance, office, nghe_an, signed, refused) -> None:
    revoke_member(actor=None, agency=nghe_an.agency)
    error = refused(finance, signed(finance, [office.code, nghe_an.code]), "unknown_recipient", 422)
    assert nghe_an.code in error["message"]


def test_a_recipient_named_twice_is_refused(finance, office, nghe_an, signed, refused) -> None:
    error = refused(finance, signed(finance, [office.code, nghe_an.code, office.code]), "duplicate_recipient", 422)
    assert office.code in error["message"]


# ---------------------------------------------------------------- 6. the signature


@pytest.mark.parametrize("how", ["no-slot", "placeholder", "removed-after-signing"])
def test_an_unsigned_message_is_refused(finance, office, signed, refused, how) -> None:
    if how == "no-slot":
        raw = edxml.to_bytes(edxml.build_message(make_message(finance.code, [office.code]), signature_slot=False))
    elif how == "placeholder":
        raw = edxml.to_bytes(tree(finance, [office.code]))
    else:
        root = etree.fromstring(signed(finance, [office.code]))
        sig = root.find(f".//{DSIG}Signature")
        sig.getparent().remove(sig)
        raw = edxml.to_bytes(root)
    refused(finance, raw, "missing_signature", 422)


def test_a_signature_with_another_members_certificate_is_refused(finance, office, refused) -> None:
    # Finance's message signed with the Government Office's own valid key and certificate.
    raw = sign(office, tree(finance, [office.code]))
    refused(finance, raw, "unknown_certificate", 422)


def test_a_signature_with_a_self_made_certificate_is_refused(finance, office, refused) -> None:
    key_pem, cert_pem = own_key_pair(finance.code)
    rogue = Party(finance.agency, finance.api_key, key_pem, cert_pem)
    refused(finance, sign(rogue, tree(finance, [office.code])), "unknown_certificate", 422)


def test_a_signature_by_another_key_under_the_senders_certificate_is_refused(finance, office, refused) -> None:
    # Signed with the Office's key, then dressed in Finance's registered certificate.
    raw = with_certificate(sign(office, tree(finance, [office.code])), finance.cert_pem)
    refused(finance, raw, "bad_signature", 422)


def test_an_unreadable_certificate_is_refused(finance, office, signed, refused) -> None:
    root = etree.fromstring(signed(finance, [office.code]))
    root.find(f".//{DSIG}X509Certificate").text = base64.b64encode(b"not a certificate").decode()
    refused(finance, edxml.to_bytes(root), "bad_signature", 422)


def test_a_subject_changed_after_signing_is_refused(finance, office, signed, refused) -> None:
    refused(finance, tamper_subject(signed(finance, [office.code])), "bad_signature", 422)


def test_an_attachment_changed_after_signing_is_refused(finance, office, signed, refused) -> None:
    refused(finance, tamper_attachment(signed(finance, [office.code])), "bad_signature", 422)


def test_a_recipient_added_after_signing_is_refused(finance, office, nghe_an, signed, refused) -> None:
    root = etree.fromstring(signed(finance, [office.code]))
    to = root.find(f".//{q('To')}")
    extra = etree.fromstring(etree.tostring(to))
    extra.find(q("OrganId")).text = nghe_an.code
    to.addnext(extra)
    refused(finance, edxml.to_bytes(root), "bad_signature", 422)


def test_a_signature_wrapped_around_a_hidden_copy_is_refused(finance, office, refused) -> None:
    """A signature over a referenced copy tucked inside the message must not vouch for the rest."""
    original = tree(finance, [office.code])
    original.set("Id", "original")
    key = xmlsig.load_private_key(finance.key_pem)
    assert isinstance(key, rsa.RSAPrivateKey)
    genuine = xmlsig._signer().sign(
        original, key=key, cert=finance.cert_pem.decode("ascii"), reference_uri="#original", always_add_key_value=False
    )
    forged = tree(finance, [office.code], number="999", subject="Văn bản giả mạo")
    header = forged.find(f".//{q('edXMLHeader')}")
    header.replace(header.find(f"{DSIG}Signature"), etree.fromstring(etree.tostring(genuine.find(f".//{DSIG}Signature"))))
    hidden = etree.fromstring(etree.tostring(genuine))
    hidden_sig = hidden.find(f".//{DSIG}Signature")
    hidden_sig.getparent().remove(hidden_sig)
    forged.find(q("AttachmentEncoded")).append(hidden)
    refused(finance, edxml.to_bytes(forged), "bad_signature", 422)


def test_an_expired_certificate_is_refused(finance, office, refused) -> None:
    expired = platform_issued(finance, not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=10), days=1)
    refused(finance, sign(expired, tree(finance, [office.code])), "certificate_expired", 422)


def test_a_certificate_not_yet_valid_is_refused(finance, office, refused) -> None:
    early = platform_issued(finance, not_before=dt.datetime.now(dt.UTC) + dt.timedelta(days=1), days=30)
    refused(finance, sign(early, tree(finance, [office.code])), "certificate_not_yet_valid", 422)


def test_a_revoked_certificate_is_refused_at_once(finance, office, signed, send, refused) -> None:
    assert send(finance, signed(finance, [office.code], number="1")).status_code == 201
    revoke_certificate(actor=None, certificate=Certificate.objects.get(agency=finance.agency), reason="lộ khóa")
    refused(finance, signed(finance, [office.code], number="2"), "certificate_revoked", 422)


# ---------------------------------------------------------------- 7. the attachments


def _two_attachments() -> list[edxml.Attachment]:
    return [
        edxml.Attachment("att1", "application/pdf", "Công văn.pdf", b"%PDF-1.7 " + bytes(range(256))),
        edxml.Attachment("att2", "application/pdf", "Phụ lục.pdf", b"%PDF-1.7 phu luc"),
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda root: remove(root, "Attachment", index=1),
        lambda root: remove(root, "Reference", index=1),
        set_text("ContentTransferEncoded", "không phải base64!"),
        set_text("ContentType", "text/html", index=1),  # index 0 is the manifest's
        set_text("ContentId", "cid:att1", index=1),
        lambda root: [ref.getparent().remove(ref) for ref in root.findall(f".//{q('Reference')}")],
    ],
    ids=["manifest-names-a-missing-attachment", "attachment-not-in-manifest", "bad-base64", "type-differs",
         "duplicate-content-id", "no-manifest-entries"],
)
def test_attachments_that_do_not_match_the_manifest_are_refused(finance, office, refused, change) -> None:
    raw = signed_after(finance, [office.code], change, attachments=_two_attachments())
    refused(finance, raw, "attachment_mismatch", 422)


# ---------------------------------------------------------------- 1. the size cap


def test_an_oversized_message_is_refused(finance, office, signed, refused, settings) -> None:
    settings.EXCHANGE = {**settings.EXCHANGE, "max_message_bytes": 4096}
    raw = signed(finance, [office.code], attachments=[edxml.Attachment("a", "application/pdf", "lớn.pdf", b"x" * 8192)])
    error = refused(finance, raw, "too_large", 413)
    assert "4096" in error["message"]


def test_a_declared_length_over_the_cap_is_refused_before_reading(finance, office, signed, refused) -> None:
    # The body is small; the Content-Length claims a terabyte (the default cap applies).
    refused(finance, signed(finance, [office.code]), "too_large", 413, CONTENT_LENGTH=str(10**12))


def test_the_parser_keeps_its_own_cap(finance, office, signed, settings) -> None:
    # Behind the view's Content-Length check, the parser refuses an oversized body by itself.
    settings.EXCHANGE = {**settings.EXCHANGE, "max_message_bytes": 1024}
    with pytest.raises(DomainError) as caught:
        check_document(signed(finance, [office.code]), finance.agency)
    assert (caught.value.code, caught.value.status) == ("too_large", 413)


# ---------------------------------------------------------------- the order of the checks


def _order_cases() -> list[Any]:
    """(name, build(finance, office) -> (poster, raw), expected code): two problems, the earlier check answers."""

    def unsigned(p: Party, to: list[str], change: Callable[[etree._Element], object] | None = None, **kw: Any) -> bytes:
        root = edxml.build_message(make_message(p.code, to, **kw), signature_slot=False)
        if change:
            change(root)
        return edxml.to_bytes(root)

    attachments = {"attachments": _two_attachments()}
    drop_attachment: Callable[[etree._Element], None] = lambda root: remove(root, "Attachment", index=1)  # noqa: E731
    cases: list[tuple[str, Callable[[Party, Party], tuple[Party, bytes]], str]] = [
        ("doctype-before-namespace", lambda f, o: (f, b"<!DOCTYPE x><x/>"), "unsafe_xml"),
        ("namespace-before-signature", lambda f, o: (f, unsigned(f, [o.code]).replace(edxml.NS.encode(), b"urn:x")), "wrong_namespace"),
        ("structure-before-sender", lambda f, o: (o, signed_after(f, [o.code], set_text("DueDate", "mai"))), "invalid_structure"),
        ("missing-to-before-sender", lambda f, o: (o, signed_after(f, [o.code], lambda r: remove(r, "To"))), "missing_recipient"),
        ("sender-before-unknown-recipient", lambda f, o: (o, sign(f, tree(f, [NOT_IN_DIRECTORY]))), "sender_mismatch"),
        ("unknown-before-duplicate", lambda f, o: (f, sign(f, tree(f, [o.code, o.code, NOT_A_MEMBER]))), "unknown_recipient"),
        ("unknown-recipient-before-bad-signature", lambda f, o: (f, tamper_subject(sign(f, tree(f, [o.code, NOT_IN_DIRECTORY])))), "unknown_recipient"),
        ("unknown-recipient-before-missing-signature", lambda f, o: (f, unsigned(f, [NOT_A_MEMBER])), "unknown_recipient"),
        ("duplicate-before-bad-signature", lambda f, o: (f, tamper_subject(sign(f, tree(f, [o.code, o.code])))), "duplicate_recipient"),
        ("duplicate-before-foreign-certificate", lambda f, o: (f, sign(o, tree(f, [o.code, o.code]))), "duplicate_recipient"),
        ("missing-signature-before-attachments", lambda f, o: (f, unsigned(f, [o.code], drop_attachment, **attachments)), "missing_signature"),
        ("foreign-certificate-before-attachments", lambda f, o: (f, sign(o, _changed(tree(f, [o.code], **attachments), drop_attachment))), "unknown_certificate"),
        ("bad-signature-before-attachments", lambda f, o: (f, tamper_subject(signed_after(f, [o.code], drop_attachment, **attachments))), "bad_signature"),
        ("tampered-attachment-is-a-bad-signature-first", lambda f, o: (f, tamper_attachment(signed_after(f, [o.code], set_text("ContentType", "x/y", 1), **attachments))), "bad_signature"),
    ]
    return [pytest.param(build, code, id=name) for name, build, code in cases]


def _changed(root: etree._Element, change: Callable[[etree._Element], object]) -> etree._Element:
    change(root)
    return root


@pytest.mark.parametrize(("build", "code"), _order_cases())
def test_the_first_failing_check_answers(finance, office, refused, build, code) -> None:
    poster, raw = build(finance, office)
    status = {"unsafe_xml": 400, "wrong_namespace": 400, "sender_mismatch": 403}.get(code, 422)
    refused(poster, raw, code, status)


def test_the_size_cap_comes_before_everything(finance, office, refused, settings) -> None:
    settings.EXCHANGE = {**settings.EXCHANGE, "max_message_bytes": 256}
    refused(finance, b"<!DOCTYPE x>" + b"<" * 1024, "too_large", 413)


def test_a_revoked_certificate_answers_before_the_signature_is_checked(finance, office, signed, refused) -> None:
    raw = tamper_subject(signed(finance, [office.code]))
    revoke_certificate(actor=None, certificate=Certificate.objects.get(agency=finance.agency))
    refused(finance, raw, "certificate_revoked", 422)


def test_a_good_message_still_gets_through_after_the_bad_ones(finance, office, signed, send, refused) -> None:
    refused(finance, tamper_subject(signed(finance, [office.code])), "bad_signature", 422)
    response = send(finance, signed(finance, [office.code]))
    assert response.status_code == 201
    assert Message.objects.count() == 1 and Delivery.objects.count() == 1


# ---------------------------------------------------------------- bad headers (found by fuzzing)
# Each of these once ended in an exception (a 500 behind a server).


def test_a_content_length_of_other_digits_is_refused_cleanly(finance, office, signed, send) -> None:
    response = send(finance, signed(finance, [office.code]), CONTENT_LENGTH="²")
    assert 400 <= response.status_code < 500 and "error" in response.json()


def test_an_api_key_with_a_non_ascii_secret_is_refused_cleanly(finance, office, client) -> None:
    prefix = finance.api_key.split("_")[1]
    response = client.get("/api/v1/hub/inbox", HTTP_AUTHORIZATION=f"Bearer gok_{prefix}_ñ")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


def test_an_idempotency_key_with_a_nul_is_refused(finance, office, signed, refused) -> None:
    refused(finance, signed(finance, [office.code]), "invalid_idempotency_key", 422, HTTP_IDEMPOTENCY_KEY="k\x00")
