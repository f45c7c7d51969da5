"""Fixtures for submissions and outgoing documents: the Government Office with a unit, its
people along the approval chain, a signer with a certificate from the platform CA.

Import the fixtures a test module needs from here (they build on conftest's office_hub/staff).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from govoffice.directory.models import Agency, AgencyKind, Clearance, Role, User
from govoffice.directory.services import create_agency
from govoffice.records.models import ApprovalChain, DocType, Outgoing, OutgoingState
from govoffice.records.services.outgoing import (
    OutgoingDraft,
    approve_outgoing,
    create_outgoing,
    send_for_review,
    sign_outgoing,
)
from govoffice.records.services.submissions import seed_chains
from govoffice.signing.people import issue_signer_key


@dataclass
class Office:
    agency: Agency
    unit: Agency
    chain: ApprovalChain
    specialist: User
    head: User
    vice: User
    chairman: User
    pm: User
    deputy_pm: User
    clerk: User
    ministry: Agency


@pytest.fixture
def vpcp(office_hub: Any, staff: Callable[..., User], agencies: dict[str, Agency]) -> Office:
    agency = office_hub.agency
    agency.short_name = "VPCP"
    agency.save(update_fields=["short_name"])
    unit = create_agency(actor=None, code="000.00.18.G22", name_vi="Cổng Thông tin điện tử Chính phủ",
                         short_name="TTĐT", kind=AgencyKind.UNIT, parent=agency)
    def person(username: str, full_name: str, position: str, *roles: str, **extra: Any) -> User:
        return staff(*roles, username=username, full_name=full_name, position=position, email=f"{username}@vpcp.gov.vn", **extra)

    return Office(
        agency=agency,
        unit=unit,
        chain=seed_chains(agency),
        specialist=person("chuyenvien", "Trần Văn Minh", "Chuyên viên", Role.SPECIALIST, unit=unit, clearance=Clearance.MAT),
        head=person("vutruong", "Lê Hoàng Đức", "Vụ trưởng", Role.DEPARTMENT_HEAD, unit=unit, clearance=Clearance.MAT),
        vice=person("phochunhiem", "Phạm Thu Hà", "Phó Chủ nhiệm Văn phòng Chính phủ", Role.OFFICE_LEADER, clearance=Clearance.TOI_MAT),
        chairman=person("chunhiem", "Đỗ Quang Vinh", "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ", Role.OFFICE_LEADER, clearance=Clearance.TUYET_MAT),
        pm=person("thutuong", "Vũ Đức Thắng", "Thủ tướng Chính phủ", Role.GOVERNMENT_LEADER, clearance=Clearance.TUYET_MAT),
        deputy_pm=person("phothutuong", "Hoàng Minh Tuấn", "Phó Thủ tướng Chính phủ", Role.GOVERNMENT_LEADER, clearance=Clearance.TUYET_MAT),
        clerk=person("vanthu", "Nguyễn Thị Lan", "Văn thư", Role.CLERK, clearance=Clearance.MAT),
        ministry=agencies["000.00.00.G12"],
    )


def decision_draft(office: Office, **overrides: Any) -> OutgoingDraft:
    """A Prime Minister's decision (QĐ-TTg) to the Ministry of Finance."""
    fields: dict[str, Any] = {
        "doc_type": DocType.QUYET_DINH,
        "authority": "TTg",
        "subject": "Về việc phê duyệt Đề án đổi mới phương thức điều hành đồng bộ",
        "body": "Điều 1. Phê duyệt Đề án.\nĐiều 2. Quyết định này có hiệu lực kể từ ngày ký.",
        "recipients": [office.ministry.code],
        "recipient_places": "- Như Điều 2;",
        "signer": office.pm.username,
        "signer_competence": "",
        "signer_title": "Thủ tướng",
    }
    fields.update(overrides)
    return OutgoingDraft(**fields)


def letter_draft(office: Office, **overrides: Any) -> OutgoingDraft:
    """An office letter (công văn 7816/VPCP-TTĐT) signed by a vice-chairman for the chairman."""
    fields: dict[str, Any] = {
        "doc_type": DocType.CONG_VAN,
        "subject": "Về việc kết nối Trục liên thông văn bản quốc gia",
        "body": "Văn phòng Chính phủ đề nghị các bộ, cơ quan hoàn thành kết nối trước ngày 31 tháng 12.",
        "drafting_unit": office.unit.code,
        "recipients": [office.ministry.code],
        "signer": office.vice.username,
        "signer_competence": "KT.",
        "signer_on_behalf": "Bộ trưởng, Chủ nhiệm",
        "signer_title": "Phó Chủ nhiệm",
    }
    fields.update(overrides)
    return OutgoingDraft(**fields)


@pytest.fixture
def signers(vpcp: Office) -> Office:
    """The Government Office whose signing leaders hold current certificates."""
    for person in (vpcp.pm, vpcp.vice, vpcp.chairman):
        issue_signer_key(actor=None, user=person)
    return vpcp


def to_state(office: Office, draft: OutgoingDraft, state: str) -> Outgoing:
    """A document drafted by the specialist and taken as far as `state` (approved by the head, signed by its signer)."""
    doc = create_outgoing(actor=office.specialist, agency=office.agency, draft=draft)
    if state == OutgoingState.DRAFT:
        return doc
    doc = send_for_review(actor=office.specialist, outgoing=doc, reviewer=office.head)
    if state == OutgoingState.REVIEW:
        return doc
    doc = approve_outgoing(actor=office.head, outgoing=doc)
    if state == OutgoingState.APPROVED:
        return doc
    assert doc.signer is not None
    return sign_outgoing(actor=doc.signer, outgoing=doc)


def outsider(office: Office) -> User:
    """A specialist of the Ministry of Finance: staff, but of another agency."""
    from govoffice.directory.services import create_user

    return create_user(actor=None, username="btc-chuyenvien", password="Mật-khẩu-thử-2026", agency=office.ministry,
                       roles=[Role.SPECIALIST], clearance=Clearance.TUYET_MAT)
