"""Fixtures for the hub: enrolled members with real keys, signed edXML, an API client per member."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from govoffice_agent import edxml, xmlsig

from govoffice.directory.models import Agency
from govoffice.directory.services import create_agency
from govoffice.exchange.services.members import enroll_member

AGENCIES = {
    "000.00.00.G22": ("Văn phòng Chính phủ", "ministerial_agency"),
    "000.00.00.G12": ("Bộ Tài chính", "ministry"),
    "000.00.00.G09": ("Bộ Nội vụ", "ministry"),
    "000.00.00.H41": ("Ủy ban nhân dân tỉnh Nghệ An", "province"),
    "000.00.00.H29": ("Ủy ban nhân dân Thành phố Hồ Chí Minh", "province"),
}


@dataclass
class Party:
    agency: Agency
    api_key: str
    key_pem: bytes
    cert_pem: bytes

    @property
    def code(self) -> str:
        return self.agency.code

    def headers(self, **extra: str) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.api_key}", **extra}


@pytest.fixture
def agencies(db: Any) -> dict[str, Agency]:
    return {code: create_agency(actor=None, code=code, name_vi=name, kind=kind) for code, (name, kind) in AGENCIES.items()}


@pytest.fixture
def enroll(agencies: dict[str, Agency]) -> Callable[[str], Party]:
    def make(code: str, push_url: str = "") -> Party:
        e = enroll_member(actor=None, agency=agencies[code], push_url=push_url)
        assert e.private_key_pem is not None
        return Party(agencies[code], e.api_key, e.private_key_pem, e.certificate.pem.encode())

    return make


@pytest.fixture
def finance(enroll: Callable[[str], Party]) -> Party:
    return enroll("000.00.00.G12")


@pytest.fixture
def office(enroll: Callable[[str], Party]) -> Party:
    return enroll("000.00.00.G22")


@pytest.fixture
def nghe_an(enroll: Callable[[str], Party]) -> Party:
    return enroll("000.00.00.H41")


def make_message(sender: str, to: list[str], number: str = "123", **overrides: Any) -> edxml.Message:
    attachments = overrides.pop("attachments", None)
    if attachments is None:
        attachments = [edxml.Attachment("att1", "application/pdf", "Công văn 123.pdf", b"%PDF-1.7 " + "nội dung".encode() * 100)]
    fields: dict[str, Any] = {
        "sender": edxml.Organization(sender, AGENCIES.get(sender, ("", ""))[0]),
        "to": [edxml.Organization(code, AGENCIES.get(code, ("", ""))[0]) for code in to],
        "code": edxml.Code(number, "BTC-VP"),
        "subject": "Về việc báo cáo tình hình thực hiện nhiệm vụ năm 2019",
        "promulgation": edxml.PromulgationInfo("Hà Nội", dt.date(2019, 9, 20)),
        "document_type": edxml.DocumentType(1, "Công văn"),
        "signer": edxml.SignerInfo("Bộ trưởng", "Bộ trưởng", "Đinh Tiến Dũng"),
        "attachments": attachments,
        **overrides,
    }
    return edxml.Message(**fields)


def sign(party: Party, root: Any) -> bytes:
    return edxml.to_bytes(xmlsig.sign(root, party.key_pem, party.cert_pem))


@pytest.fixture
def signed(db: Any) -> Callable[..., bytes]:
    def make(party: Party, to: list[str], **overrides: Any) -> bytes:
        return sign(party, edxml.build_message(make_message(party.code, to, **overrides)))

    return make


@pytest.fixture
def send(client: Client) -> Callable[..., Any]:
    def post(party: Party, raw: bytes, path: str = "/api/v1/hub/messages", **headers: str) -> Any:
        extra: dict[str, Any] = party.headers(**headers)
        return client.post(path, data=raw, content_type="application/xml", **extra)

    return post


@pytest.fixture
def status_of(db: Any) -> Callable[..., bytes]:
    def make(party: Party, document_id: str, code: str, description: str = "") -> bytes:
        status = edxml.Status(
            response_for=edxml.ResponseFor(document_id=document_id),
            sender=edxml.Organization(party.code),
            status_code=code,
            timestamp=dt.datetime.now(dt.UTC),
            description=description,
        )
        return sign(party, edxml.build_status(status))

    return make
