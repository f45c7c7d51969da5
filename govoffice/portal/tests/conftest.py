"""Fixtures of the portal: the real directory, the seed catalogue, a citizen, a business, officers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache

from govoffice.demo.loader import AGENCIES_CSV
from govoffice.directory.models import Agency, Role, User
from govoffice.directory.services import create_user, import_agencies
from govoffice.portal import visits
from govoffice.portal.catalogue import load_seed
from govoffice.portal.models import AccountKind, PortalAccount, Procedure
from govoffice.testing import PASSWORD

CITIZEN_ID = "001090123456"  # Hà Nội, male, born 1990
TAX_CODE = "0100109106"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    visits.discard()
    yield
    cache.clear()


@pytest.fixture
def directory(db: Any) -> dict[str, Agency]:
    import_agencies(AGENCIES_CSV.read_text(encoding="utf-8"))
    return {a.code: a for a in Agency.objects.all()}


@pytest.fixture
def catalogue(directory: dict[str, Agency]) -> dict[str, Procedure]:
    load_seed()
    return {p.code: p for p in Procedure.objects.all()}


def make_applicant(kind: str, number: str, name: str, email: str) -> User:
    role = Role.CITIZEN if kind == AccountKind.CITIZEN else Role.BUSINESS
    user = create_user(actor=None, username=number, password=PASSWORD, agency=None, roles=[role], full_name=name, email=email)
    PortalAccount.objects.create(user=user, kind=kind, number=number, display_name=name)
    return user


@pytest.fixture
def citizen(db: Any) -> User:
    return make_applicant(AccountKind.CITIZEN, CITIZEN_ID, "Nguyễn Văn An", "an@example.vn")


@pytest.fixture
def other_citizen(db: Any) -> User:
    return make_applicant(AccountKind.CITIZEN, "040195000123", "Trần Thị Bình", "binh@example.vn")


@pytest.fixture
def business(db: Any) -> User:
    return make_applicant(AccountKind.BUSINESS, TAX_CODE, "Công ty Cổ phần Ví dụ", "info@example.vn")


@pytest.fixture
def officer(directory: dict[str, Agency]) -> Callable[..., User]:
    counter = iter(range(1, 100))

    def make(code: str = "000.00.00.G15", *roles: str) -> User:
        return create_user(actor=None, username=f"officer{next(counter)}", password=PASSWORD, agency=directory[code],
                           roles=[Role.PORTAL_OFFICER, *roles], full_name="Cán bộ một cửa", email="motcua@example.vn")

    return make


# The "Phiếu lý lịch tư pháp" procedure (Ministry of Justice) and a valid filing of it.
JUDICIAL = "2.000488"
JUDICIAL_VALUES = {"full_name": "Nguyễn Văn An", "birth_date": "1990-05-17", "identity_number": CITIZEN_ID,
                   "slip_kind": "Phiếu số 1", "purpose": "Bổ sung hồ sơ xin việc", "copies": "1"}
