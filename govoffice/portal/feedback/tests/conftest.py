"""Fixtures for feedback: the office and a ministry enrolled on this hub (real keys), the
office's portal officer, a ministry's specialist, and a helper that files feedback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache

from govoffice.directory.models import Role, User
from govoffice.directory.services import create_user
from govoffice.exchange.tests.conftest import (  # noqa: F401  (shared hub fixtures)
    AGENCIES,
    Party,
    agencies,
    enroll,
    finance,
    make_message,
    nghe_an,
    send,
    sign,
    signed,
    status_of,
)
from govoffice.portal.feedback.files import Upload
from govoffice.portal.feedback.models import Feedback, Via
from govoffice.portal.feedback.services.intake import NewFeedback, submit_feedback
from govoffice.records.tests.conftest import office_hub  # noqa: F401

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


_n = iter(range(1, 10_000))


@pytest.fixture
def person(agencies: dict[str, Any]) -> Callable[..., User]:  # noqa: F811
    def make(*roles: str, code: str = "000.00.00.G22", **extra: Any) -> User:
        return create_user(actor=None, username=extra.pop("username", f"p{next(_n)}"), password=None,
                           agency=agencies[code], roles=roles, email=extra.pop("email", "staff@example.vn"), **extra)

    return make


@pytest.fixture
def officer(person: Callable[..., User]) -> User:
    return person(Role.PORTAL_OFFICER, full_name="Cán bộ Cổng")


@pytest.fixture
def finance_specialist(person: Callable[..., User]) -> User:
    return person(Role.SPECIALIST, code="000.00.00.G12", full_name="Chuyên viên Bộ Tài chính")


def new(**overrides: Any) -> NewFeedback:
    fields: dict[str, Any] = {
        "source": "citizen", "name": "Nguyễn Văn An", "email": "an@example.vn", "phone": "",
        "subject": "Thủ tục đăng ký thuế còn rườm rà",
        "content": "Đề nghị bỏ yêu cầu nộp bản sao chứng thực khi đăng ký mã số thuế cá nhân.",
        **overrides,
    }
    return NewFeedback(**fields)


@pytest.fixture
def file_one(agencies: dict[str, Any]) -> Callable[..., Feedback]:  # noqa: F811
    def make(**overrides: Any) -> Feedback:
        row, _ = submit_feedback(new=new(**overrides), via=Via.API)
        return row

    return make


def upload(name: str, data: bytes) -> Upload:
    return Upload(name, data)
