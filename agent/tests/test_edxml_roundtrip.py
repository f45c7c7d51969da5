"""edXML round trips: whatever a message or status holds comes back the same after writing and reading.

Both spellings public implementations use are read (OrganInCharge and OrganizationInCharge;
ISO 8601 and `yyyy/MM/dd HH:mm:ss` timestamps); writing always uses OrganInCharge and ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from govoffice_agent import edxml, xmlsig
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

q = edxml.q
UTC = dt.UTC
ROUND_TRIPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A whole message is a big draw: fewer of them keep the file within seconds.
MESSAGE_TRIPS = settings(ROUND_TRIPS, max_examples=100)
FEW = settings(ROUND_TRIPS, max_examples=30)
ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}(:\d{2})?$")

# ---------------------------------------------------------------- strategies

# Vietnamese letters, precomposed and (some) decomposed, with the punctuation documents use.
VIETNAMESE = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
    "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬBCDĐEÈÉẺẼẸÊỀẾỂỄỆGHIÌÍỈĨỊKLMNOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢPQRSTUÙÚỦŨỤƯỪỨỬỮỰVXYỲÝỶỸỴ"
    "0123456789 ,.;:/-–()“”’&<>\"'\n\t" + "\u0300\u0301\u0303\u0309\u0323"
)
# Anything else XML 1.0 can carry (no controls, surrogates or the two non-characters).
ANY_XML_CHAR = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
# The reader trims each value, so values are written trimmed.
TEXT = st.one_of(st.text(st.sampled_from(VIETNAMESE), max_size=80), st.text(ANY_XML_CHAR, max_size=40)).map(str.strip)
REQUIRED_TEXT = TEXT.filter(bool)


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from("0123456789"), min_size=n, max_size=n)


ORGAN_ID = st.builds(lambda a, b, c, x, d: f"{a}.{b}.{c}.{x}{d}", digits(3), digits(2), digits(2), st.sampled_from("GH"), digits(2))
SMALL_INT = st.integers(-99_999_999, 999_999_999)
DATES = st.dates() | st.none()
# Offsets in whole minutes (as real time zones have them), or none at all: that means Vietnam time.
OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
ZONES: st.SearchStrategy[dt.tzinfo] = st.just(UTC) | OFFSETS


def datetimes(since: dt.datetime) -> st.SearchStrategy[dt.datetime]:
    """Naive (Vietnam time) or with an offset, whole seconds (what the format keeps)."""
    until = dt.datetime(9998, 12, 31)
    moments = st.datetimes(since, until) | st.datetimes(since, until, timezones=ZONES)
    return moments.map(lambda d: d.replace(microsecond=0))


TIMESTAMPS = datetimes(dt.datetime(2, 1, 1))
# Since 13/06/1975 Vietnam keeps +07:00 all year: before, a local time without an offset can
# name two instants, so the tests that write local times use these.
SINCE_1976 = datetimes(dt.datetime(1976, 1, 1))


def organizations(organ_id: st.SearchStrategy[str] = ORGAN_ID) -> st.SearchStrategy[edxml.Organization]:
    return st.builds(edxml.Organization, organ_id, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT)


STAFF = st.builds(edxml.StaffInfo, TEXT, TEXT, TEXT, TEXT)
RESPONSE_FOR = st.builds(edxml.ResponseFor, TEXT, TEXT, DATES, REQUIRED_TEXT)
CONTENT_ID = st.from_regex(r"[A-Za-z0-9._-]{1,24}", fullmatch=True)


@st.composite
def attachment_lists(draw: st.DrawFn) -> list[edxml.Attachment]:
    ids = draw(st.lists(CONTENT_ID, max_size=4, unique=True))
    return [
        edxml.Attachment(cid, draw(TEXT), draw(TEXT), draw(st.binary(max_size=3000)), draw(TEXT)) for cid in ids
    ]


@st.composite
def messages(draw: st.DrawFn, timestamps: st.SearchStrategy[dt.datetime] = TIMESTAMPS, min_traces: int = 0) -> edxml.Message:
    recipients = draw(st.lists(ORGAN_ID, min_size=1, max_size=6, unique=True))
    return edxml.Message(
        sender=draw(organizations()),
        to=[draw(organizations(st.just(code))) for code in recipients],
        code=edxml.Code(draw(TEXT), draw(TEXT)),
        subject=draw(TEXT),
        promulgation=edxml.PromulgationInfo(draw(TEXT), draw(DATES)),
        document_type=edxml.DocumentType(draw(SMALL_INT), draw(TEXT)),
        content=draw(TEXT),
        signer=edxml.SignerInfo(draw(TEXT), draw(TEXT), draw(TEXT)),
        due_date=draw(DATES),
        to_places=draw(st.lists(TEXT, max_size=4)),
        other=edxml.OtherInfo(
            draw(SMALL_INT), draw(TEXT), draw(TEXT), draw(SMALL_INT), draw(SMALL_INT), draw(st.lists(TEXT, max_size=3))
        ),
        steering_type=draw(SMALL_INT),
        response_for=draw(st.lists(RESPONSE_FOR, max_size=2)),
        traces=draw(st.lists(st.builds(edxml.TraceHeader, ORGAN_ID, timestamps), min_size=min_traces, max_size=3)),
        business=edxml.Business(
            doc_type=draw(st.sampled_from([edxml.DOC_NEW, edxml.DOC_REVOKE, edxml.DOC_UPDATE, edxml.DOC_REPLACE])),
            reason=draw(TEXT),
            paper=draw(SMALL_INT),
            staff_info=draw(STAFF),
            replaces=draw(st.lists(REQUIRED_TEXT, max_size=3)),
            receivers=draw(st.lists(ORGAN_ID, max_size=3)),
        ),
        attachments=draw(attachment_lists()),
    )


STATUSES = st.builds(
    edxml.Status,
    response_for=RESPONSE_FOR,
    sender=organizations(),
    status_code=st.sampled_from(sorted(edxml.STATUS_CODES)),
    timestamp=TIMESTAMPS,
    description=TEXT,
    staff_info=STAFF,
)


# ---------------------------------------------------------------- helpers


def instant(value: dt.datetime) -> dt.datetime:
    """A timestamp as the reader returns it denotes: naive ones are Vietnam time."""
    aware = value if value.tzinfo else value.replace(tzinfo=edxml.VN_TZ)
    return aware.astimezone(UTC)


def written_and_read(root: etree._Element) -> etree._Element:
    return edxml.parse_bytes(edxml.to_bytes(root))


def read_back(msg: edxml.Message) -> edxml.Message:
    root = written_and_read(edxml.build_message(msg))
    out = edxml.read_message(root)
    edxml.check_recipients(out)
    out.attachments = edxml.read_attachments(root)
    return out


def comparable(msg: edxml.Message) -> edxml.Message:
    """The message with its timestamps as instants (offsets may be spelled differently)."""
    return replace(msg, traces=[edxml.TraceHeader(t.organ_id, instant(t.timestamp)) for t in msg.traces])


def respell(raw: bytes, old: str, new: str) -> bytes:
    """The same document with one element renamed, as another implementation would write it."""
    root = etree.fromstring(raw)
    for el in root.iter(q(old)):
        el.tag = q(new)
    return edxml.to_bytes(root)


def texts(root: etree._Element, tag: str) -> list[str]:
    return [el.text or "" for el in root.iter(q(tag))]


# ---------------------------------------------------------------- round trips


@MESSAGE_TRIPS
@given(msg=messages())
def test_a_message_comes_back_as_it_was_written(msg: edxml.Message) -> None:
    back = read_back(msg)
    assert comparable(back) == comparable(msg)
    # attachments byte for byte, in their order (the dataclass equality says so too; this names it)
    assert [(a.content_id, a.data) for a in back.attachments] == [(a.content_id, a.data) for a in msg.attachments]


@ROUND_TRIPS
@given(status=STATUSES)
def test_a_status_comes_back_as_it_was_written(status: edxml.Status) -> None:
    back = edxml.read_status(written_and_read(edxml.build_status(status)))
    assert instant(back.timestamp) == instant(status.timestamp)
    assert replace(back, timestamp=status.timestamp) == status


@FEW
@given(msg=messages())
def test_a_message_and_a_status_are_told_apart(msg: edxml.Message) -> None:
    assert not edxml.is_status(written_and_read(edxml.build_message(msg)))
    status = edxml.Status(edxml.ResponseFor(document_id=msg.document_id), msg.to[0], "01", dt.datetime.now(UTC))
    assert edxml.is_status(written_and_read(edxml.build_status(status)))


def test_the_document_id_is_written_as_the_standard_says() -> None:
    msg = edxml.Message(
        sender=edxml.Organization("000.00.00.G22", "Văn phòng Chính phủ"),
        to=[edxml.Organization("000.00.00.H41")],
        code=edxml.Code("7816", "VPCP-TTĐT"),
        subject="Về việc triển khai Trục liên thông văn bản quốc gia",
        promulgation=edxml.PromulgationInfo("Hà Nội", dt.date(2018, 9, 20)),
    )
    assert msg.document_id == "000.00.00.G22,2018/09/20,7816/VPCP-TTĐT"
    assert read_back(msg).document_id == msg.document_id
    assert edxml.format_date(dt.date(999, 1, 2)) == "0999/01/02"


# ---------------------------------------------------------------- what is written


@MESSAGE_TRIPS
@given(msg=messages())
def test_writing_uses_organ_in_charge_and_iso_8601(msg: edxml.Message) -> None:
    root = edxml.build_message(msg)
    assert not list(root.iter(q("OrganizationInCharge")))
    parties = [*root.iter(q("From")), *root.iter(q("To"))]
    assert len(parties) == 1 + len(msg.to)
    assert all(party.find(q("OrganInCharge")) is not None for party in parties)
    assert all(ISO_8601.match(text) for text in texts(root, "Timestamp")), texts(root, "Timestamp")
    assert all(re.fullmatch(r"(\d{4}/\d{2}/\d{2})?", t) for tag in ("PromulgationDate", "DueDate") for t in texts(root, tag))


@ROUND_TRIPS
@given(status=STATUSES)
def test_a_status_is_written_with_organ_in_charge_and_iso_8601(status: edxml.Status) -> None:
    root = edxml.build_status(status)
    assert not list(root.iter(q("OrganizationInCharge")))
    assert root.find(f".//{q('From')}/{q('OrganInCharge')}") is not None
    [stamp] = texts(root, "Timestamp")
    assert ISO_8601.match(stamp) and instant(edxml.parse_time(stamp, "t")) == instant(status.timestamp)


# ---------------------------------------------------------------- what is read


@MESSAGE_TRIPS
@given(msg=messages())
def test_organization_in_charge_is_read_as_organ_in_charge(msg: edxml.Message) -> None:
    root = edxml.parse_bytes(respell(edxml.to_bytes(edxml.build_message(msg)), "OrganInCharge", "OrganizationInCharge"))
    back = edxml.read_message(root)
    assert back.sender.organ_in_charge == msg.sender.organ_in_charge
    assert [o.organ_in_charge for o in back.to] == [o.organ_in_charge for o in msg.to]
    # and it is written back the one way
    rewritten = edxml.build_message(back)
    assert not list(rewritten.iter(q("OrganizationInCharge")))
    assert texts(rewritten, "OrganInCharge") == [msg.sender.organ_in_charge, *(o.organ_in_charge for o in msg.to)]


@ROUND_TRIPS
@given(status=STATUSES)
def test_a_status_from_organization_in_charge_is_read(status: edxml.Status) -> None:
    raw = respell(edxml.to_bytes(edxml.build_status(status)), "OrganInCharge", "OrganizationInCharge")
    assert edxml.read_status(edxml.parse_bytes(raw)).sender == status.sender


def _slash_time(value: dt.datetime) -> str:
    """`yyyy/MM/dd HH:mm:ss` in Vietnam time, as the other public implementations write it."""
    local = instant(value).astimezone(edxml.VN_TZ)
    return f"{local.year:04d}/{local:%m/%d %H:%M:%S}"


@MESSAGE_TRIPS
@given(msg=messages(SINCE_1976, min_traces=1), spelling=st.sampled_from(["slashes", "iso-offset", "iso-z", "iso-naive"]))
def test_trace_timestamps_are_read_in_either_format(msg: edxml.Message, spelling: str) -> None:
    root = edxml.build_message(msg)
    for el, trace in zip(root.iter(q("Timestamp")), msg.traces, strict=True):
        moment = instant(trace.timestamp)
        el.text = {
            "slashes": _slash_time(trace.timestamp),
            "iso-offset": moment.astimezone(dt.timezone(dt.timedelta(hours=7))).isoformat(),
            "iso-z": moment.replace(tzinfo=None).isoformat() + "Z",
            "iso-naive": moment.astimezone(edxml.VN_TZ).replace(tzinfo=None).isoformat(),
        }[spelling]
    back = edxml.read_message(written_and_read(root))
    assert [instant(t.timestamp) for t in back.traces] == [instant(t.timestamp) for t in msg.traces]
    # and written back the one way
    assert all(ISO_8601.match(text) for text in texts(edxml.build_message(back), "Timestamp"))


@ROUND_TRIPS
@given(status=STATUSES, when=SINCE_1976, slashes=st.booleans())
def test_a_status_timestamp_is_read_in_either_format(status: edxml.Status, when: dt.datetime, slashes: bool) -> None:
    status = replace(status, timestamp=when)
    root = edxml.build_status(status)
    stamp = root.find(f".//{q('Timestamp')}")
    stamp.text = _slash_time(status.timestamp) if slashes else instant(status.timestamp).isoformat()
    back = edxml.read_status(written_and_read(root))
    assert instant(back.timestamp) == instant(status.timestamp)


OTHER_IMPLEMENTATION = """<?xml version="1.0" encoding="UTF-8"?>
<edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLEnvelope>
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From>
          <edXML:OrganId>000.00.00.H41</edXML:OrganId>
          <edXML:OrganName>Ủy ban nhân dân tỉnh Nghệ An</edXML:OrganName>
          <edXML:OrganizationInCharge>Văn phòng UBND tỉnh</edXML:OrganizationInCharge>
        </edXML:From>
        <edXML:To>
          <edXML:OrganId>000.00.00.G22</edXML:OrganId>
          <edXML:OrganizationInCharge>Vụ Tổng hợp</edXML:OrganizationInCharge>
        </edXML:To>
        <edXML:DocumentId>000.00.00.H41,2019/09/20,1234/UBND-TH</edXML:DocumentId>
        <edXML:Code><edXML:CodeNumber>1234</edXML:CodeNumber><edXML:CodeNotation>UBND-TH</edXML:CodeNotation></edXML:Code>
        <edXML:PromulgationInfo><edXML:Place>Nghệ An</edXML:Place><edXML:PromulgationDate>2019/09/20</edXML:PromulgationDate></edXML:PromulgationInfo>
        <edXML:Subject>Báo cáo tình hình khắc phục hậu quả bão số 4</edXML:Subject>
      </edXML:MessageHeader>
      <edXML:TraceHeaderList>
        <edXML:TraceHeader><edXML:OrganId>000.00.00.H41</edXML:OrganId><edXML:Timestamp>2019/09/20 08:30:15</edXML:Timestamp></edXML:TraceHeader>
        <edXML:TraceHeader><edXML:OrganId>000.00.00.H41</edXML:OrganId><edXML:Timestamp>2019-09-20T01:31:00Z</edXML:Timestamp></edXML:TraceHeader>
      </edXML:TraceHeaderList>
    </edXML:edXMLHeader>
  </edXML:edXMLEnvelope>
</edXML:edXML>
"""


def test_a_message_from_another_implementation_is_read_and_written_our_way() -> None:
    msg = edxml.read_message(edxml.parse_bytes(OTHER_IMPLEMENTATION.encode()))
    assert msg.sender.organ_in_charge == "Văn phòng UBND tỉnh" and msg.to[0].organ_in_charge == "Vụ Tổng hợp"
    vn = dt.timezone(dt.timedelta(hours=7))
    assert [t.timestamp for t in msg.traces] == [dt.datetime(2019, 9, 20, 8, 30, 15, tzinfo=vn), dt.datetime(2019, 9, 20, 8, 31, tzinfo=vn)]
    root = edxml.build_message(msg)
    assert texts(root, "OrganInCharge") == ["Văn phòng UBND tỉnh", "Vụ Tổng hợp"]
    assert texts(root, "Timestamp") == ["2019-09-20T08:30:15+07:00", "2019-09-20T01:31:00+00:00"]


def _strptime_date(text: str, where: str) -> dt.date | None:
    """parse_date as it was before its yyyy/MM/dd fast path: strptime in three formats."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y/%m/%d", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise edxml.EdxmlError("invalid_structure", f"{where}: '{text[:40]}' is not a date (yyyy/MM/dd)")


def _outcome(read: Any, text: str) -> tuple[str, Any]:
    try:
        return "date", read(text, "DueDate")
    except edxml.EdxmlError as exc:
        return "error", (exc.code, str(exc))


DATE_EDGES = ["", "  ", "2026/1/5", "2026/01/05", "0000/01/01", "2026/02/29", "2024/02/29", "2026/13/01", "2026/00/10",
              "2026/1/ 5", " 2026/12/31 ", "2026/001/01", "2026/01/001", "12/05/2026", "2026-05-12", "2026/01-05",
              "99999/01/01", "2026/1/32", "\u0662\u0660\u0662\u0666/01/01", "2026/\u0660\u0661/01", "2026/1/5x"]


@st.composite
def date_texts(draw: st.DrawFn) -> str:
    """Real dates written with any zero-padding, separator and order, some with a character changed."""
    day = draw(st.dates(min_value=dt.date(1, 1, 1)))
    y, m, d = (f"{part:0{draw(st.integers(0, 4))}d}" for part in (day.year, day.month, day.day))
    sep = draw(st.sampled_from("/-."))
    text = draw(st.sampled_from([f"{y}{sep}{m}{sep}{d}", f"{d}{sep}{m}{sep}{y}"]))
    if text and draw(st.booleans()):
        i = draw(st.integers(0, len(text) - 1))
        text = text[:i] + draw(st.sampled_from(["0", "9", " ", "\u0661", "/", ""])) + text[i + 1 :]
    return text


@ROUND_TRIPS
@given(text=st.one_of(st.sampled_from(DATE_EDGES), date_texts(), st.from_regex(r"\A[0-9]{1,5}/[0-9]{1,3}/[0-9]{1,3}\Z")))
def test_a_date_is_read_as_strptime_reads_it(text: str) -> None:
    assert _outcome(edxml.parse_date, text) == _outcome(_strptime_date, text)


SAMPLE = edxml.Message(
    sender=edxml.Organization("000.00.01.H01", organ_name="UBND tỉnh"),
    to=[edxml.Organization("000.00.00.G01")],
    code=edxml.Code("12", "UBND-VP"),
    subject="",
    promulgation=edxml.PromulgationInfo("Hà Nội", dt.date(2026, 11, 30)),
    other=edxml.OtherInfo(priority=2),
)


def test_header_fields_are_read_from_their_first_element_among_others() -> None:
    """Comments, processing instructions, same-named elements of other namespaces: skipped; the first one counts."""
    root = edxml.build_message(replace(SAMPLE, subject="Thứ nhất"))
    mh = root.find(f"{q('edXMLEnvelope')}/{q('edXMLHeader')}/{q('MessageHeader')}")
    subject = mh.find(q("Subject"))
    strangers = [etree.Comment(" ghi chú "), etree.ProcessingInstruction("note", "x"),
                 etree.Element("{urn:other}Subject"), etree.Element("Subject")]
    for el in strangers:
        el.text = el.text or "Giả mạo"
        subject.addprevious(el)
    second = etree.Element(q("Subject"))
    second.text = "Thứ hai"
    subject.addnext(second)
    sender = mh.find(q("From"))
    sender.find(q("OrganName")).addprevious(etree.Element("{urn:other}OrganName"))
    sender.addnext(etree.fromstring(etree.tostring(sender).replace(b"000.00.01.H01", b"000.00.02.H02")))
    priority = mh.find(f"{q('OtherInfo')}/{q('Priority')}")
    priority.addnext(etree.fromstring(etree.tostring(priority).replace(b">2<", b">3<")))
    msg = edxml.read_message(edxml.parse_bytes(etree.tostring(root)))
    assert msg.subject == "Thứ nhất" and msg.sender == SAMPLE.sender and msg.code == SAMPLE.code
    assert msg.other.priority == 2


# ---------------------------------------------------------------- signed round trips


def _key_and_certificate() -> tuple[bytes, bytes, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bộ Tài chính")])
    now = dt.datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return key_pem, cert.public_bytes(serialization.Encoding.PEM), cert


KEY_PEM, CERT_PEM, CERT = _key_and_certificate()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(msg=messages())
def test_a_signed_message_verifies_and_reads_back(msg: edxml.Message) -> None:
    raw = edxml.to_bytes(xmlsig.sign(edxml.build_message(msg), KEY_PEM, CERT_PEM))
    root, back = edxml.parse_message(raw)
    xmlsig.verify(root, xmlsig.embedded_certificate(root))
    assert comparable(back) == comparable(msg)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(status=STATUSES)
def test_a_signed_status_verifies_and_reads_back(status: edxml.Status) -> None:
    root = edxml.parse_bytes(edxml.to_bytes(xmlsig.sign(edxml.build_status(status), KEY_PEM, CERT_PEM)))
    xmlsig.verify(root, CERT)
    assert edxml.read_status(root).sender == status.sender
