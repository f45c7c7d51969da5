"""A small office with hub members and the demo cast, and a tiny generated year."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from govoffice.demo.year.context import YearContext
from govoffice.directory.models import Agency, AgencyKind, Clearance, Role, User
from govoffice.directory.services import create_agency
from govoffice.exchange.models import Member

MEMBERS = [
    ("000.00.00.G12", "Bộ Tài chính", "BTC", AgencyKind.MINISTRY),
    ("000.00.00.G09", "Bộ Nội vụ", "BNV", AgencyKind.MINISTRY),
    ("000.00.00.G05", "Bộ Giáo dục và Đào tạo", "BGDĐT", AgencyKind.MINISTRY),
    ("000.00.00.H41", "UBND tỉnh Nghệ An", "Nghệ An", AgencyKind.PROVINCE),
    ("000.00.00.H29", "UBND thành phố Hà Nội", "Hà Nội", AgencyKind.PROVINCE),
]


@dataclass
class Cast:
    office: Agency
    unit: Agency
    members: list[Agency]
    clerk: User
    specialist: User
    head: User
    leader: User
    pm: User
    auditor: User
    admin: User

    def people(self) -> dict[str, User]:
        return {u.username: u for u in (self.clerk, self.specialist, self.head, self.leader, self.pm, self.auditor, self.admin)}


@pytest.fixture
def cast(office: Agency, make_user: Callable[..., User]) -> Cast:
    office.short_name = "VPCP"
    office.save(update_fields=["short_name"])
    unit = create_agency(actor=None, code="000.00.01.G22", name_vi="Vụ Tổng hợp", short_name="TH", kind=AgencyKind.UNIT, parent=office)
    members = [office]
    for code, name, short, kind in MEMBERS:
        members.append(create_agency(actor=None, code=code, name_vi=name, short_name=short, kind=kind, code_official=True))
    for agency in members:
        Member.objects.create(agency=agency)

    def person(username: str, *roles: str, **extra: Any) -> User:
        return make_user(*roles, username=username, full_name=username.title(), **extra)

    return Cast(
        office=office, unit=unit, members=members,
        clerk=person("vanthu", Role.CLERK, clearance=Clearance.MAT),
        specialist=person("chuyenvien", Role.SPECIALIST, unit=unit),
        head=person("vutruong", Role.DEPARTMENT_HEAD, unit=unit, clearance=Clearance.MAT),
        leader=person("phochunhiem", Role.OFFICE_LEADER, clearance=Clearance.TOI_MAT, position="Phó Chủ nhiệm Văn phòng Chính phủ"),
        pm=person("thutuong", Role.GOVERNMENT_LEADER, clearance=Clearance.TUYET_MAT, position="Thủ tướng Chính phủ"),
        auditor=person("kiemtoan", Role.AUDITOR),
        admin=person("quantri", Role.ADMINISTRATOR),
    )


@pytest.fixture
def year_context(cast: Cast) -> Callable[..., YearContext]:
    def make(year: int = 2019, scale: float = 0.001, seed: int = 7) -> YearContext:
        return YearContext(year=year, scale=scale, seed=seed, office=cast.office, members=list(cast.members), people=cast.people())

    return make
