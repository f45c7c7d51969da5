"""Fixtures and helpers for the incoming register and its handling: the office with two units,
its clerk, leaders and handlers, scans made on the spot, and a snapshot of what a refused
request must leave unchanged.

Import the fixtures a test module needs from here (they build on conftest's office_hub/staff).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from govoffice.audit.models import Event
from govoffice.directory.models import Agency, AgencyKind, Clearance, Role, User
from govoffice.directory.services import create_agency
from govoffice.exchange.models import Kind, Message
from govoffice.records.files import Upload
from govoffice.records.models import Assignment, Incoming, RecordFile
from govoffice.records.services.incoming import PaperDocument, register_paper

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@dataclass
class Desk:
    agency: Agency
    unit: Agency
    other_unit: Agency
    clerk: User
    leader: User
    head: User
    specialist: User
    colleague: User
    outsider: User


@pytest.fixture
def desk(office_hub: Any, staff: Callable[..., User]) -> Desk:
    agency = office_hub.agency
    unit = create_agency(actor=None, code="000.00.01.G22", name_vi="Vụ Tổng hợp", kind=AgencyKind.UNIT, parent=agency)
    other = create_agency(actor=None, code="000.00.02.G22", name_vi="Vụ Pháp luật", kind=AgencyKind.UNIT, parent=agency)

    def person(username: str, full_name: str, *roles: str, **extra: Any) -> User:
        return staff(*roles, username=username, full_name=full_name, email=f"{username}@chinhphu.vn", **extra)

    return Desk(
        agency=agency, unit=unit, other_unit=other,
        clerk=person("vanthu", "Nguyễn Thị Lan", Role.CLERK, clearance=Clearance.MAT),
        leader=person("lanhdao", "Phạm Thu Hà", Role.OFFICE_LEADER, clearance=Clearance.TUYET_MAT),
        head=person("vutruong", "Lê Hoàng Đức", Role.DEPARTMENT_HEAD, unit=unit, clearance=Clearance.MAT),
        specialist=person("chuyenvien", "Trần Văn Minh", Role.SPECIALIST, unit=unit, clearance=Clearance.MAT),
        colleague=person("dongnghiep", "Đặng Thị Hồng", Role.SPECIALIST, unit=other),
        outsider=person("khach", "Người ngoài"),
    )


def png(text: str = "Mẫu", size: tuple[int, int] = (120, 40)) -> bytes:
    """A small PNG (with text when asked), made with Pillow."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((10, 10), text, fill="black", font=ImageFont.truetype(FONT, 16))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 30), "white").save(out, "JPEG")
    return out.getvalue()


def pdf() -> bytes:
    """A one-page PDF with a text layer (WeasyPrint)."""
    from weasyprint import HTML

    return bytes(HTML(string="<p>Công văn của Bộ Tài chính về việc báo cáo tình hình.</p>").write_pdf())


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200  # a Windows program's header


def paper(**overrides: Any) -> PaperDocument:
    fields: dict[str, Any] = {
        "sender_name": "Bộ Tài chính",
        "subject": "Về việc báo cáo tình hình thực hiện dự toán ngân sách năm 2019",
        "number_notation": "1234/BTC-NSNN",
        "doc_type": "CV",
    }
    fields.update(overrides)
    return PaperDocument(**fields)


def register(desk: Desk, **overrides: Any) -> Incoming:
    """A paper document registered by the clerk (with a PDF scan unless `scans` is given)."""
    if "scans" not in overrides:
        overrides["scans"] = [Upload("cong-van.pdf", pdf())]
    return register_paper(actor=desk.clerk, agency=desk.agency, doc=paper(**overrides))


def snapshot() -> dict[str, int]:
    """Counts a refused request must leave as they were."""
    return {
        "incoming": Incoming.objects.count(),
        "assignments": Assignment.objects.count(),
        "active_assignments": Assignment.objects.filter(active=True).count(),
        "files": RecordFile.objects.count(),
        "events": Event.objects.count(),
        "statuses": Message.objects.filter(kind=Kind.STATUS).count(),
        "states": hash(tuple(Incoming.objects.order_by("pk").values_list("state", flat=True))),
    }


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
