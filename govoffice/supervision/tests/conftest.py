"""Fixtures of supervision: the office's supervision officer, people of two ministries, a task maker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from govoffice.directory.models import Agency, AgencyKind, User
from govoffice.directory.services import create_agency
from govoffice.supervision.models import Task
from govoffice.supervision.services.tasks import TaskDraft, create_task


@pytest.fixture
def home_affairs(db: Any) -> Agency:
    return create_agency(actor=None, code="000.00.00.G09", name_vi="Bộ Nội vụ", short_name="BNV", kind=AgencyKind.MINISTRY)


@pytest.fixture
def nghe_an(db: Any) -> Agency:
    return create_agency(actor=None, code="000.00.00.H41", name_vi="Ủy ban nhân dân tỉnh Nghệ An", kind=AgencyKind.PROVINCE)


@pytest.fixture
def officer(make_user: Callable[..., User], office: Agency) -> User:
    return make_user("supervision_officer", agency=office, username="giamsat", full_name="Nguyễn Thị Giám Sát",
                     email="giamsat@vpcp.gov.vn")


@pytest.fixture
def finance_staff(make_user: Callable[..., User], ministry: Agency) -> User:
    return make_user("specialist", agency=ministry, username="btc.chuyenvien", full_name="Lê Văn Tài",
                     email="chuyenvien@mof.gov.vn")


@pytest.fixture
def assign(officer: User, ministry: Agency) -> Callable[..., Task]:
    """assign(content=..., deadline=..., assigned_on=..., lead=code): a task made by the officer."""

    def make(content: str = "Hoàn thiện dự thảo Nghị định về quản lý nợ công", *, lead: str | None = None,
             deadline: dt.date | None = None, assigned_on: dt.date | None = None, **extra: Any) -> Task:
        draft = TaskDraft(content=content, assigner=extra.pop("assigner", "prime_minister"), lead_agency=lead or ministry.code,
                          deadline=deadline, assigned_on=assigned_on, source=extra.pop("source", "document"),
                          source_ref=extra.pop("source_ref", "123/QĐ-TTg"), **extra)
        return create_task(actor=officer, draft=draft)

    return make
