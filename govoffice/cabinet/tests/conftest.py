"""Fixtures of the e-cabinet: the secretariat, government members with signing keys, a ballot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from govoffice.cabinet.models import Ballot
from govoffice.cabinet.services import ballots as flow
from govoffice.directory.models import Role, User
from govoffice.signing.people import issue_signer_key


@dataclass
class Cabinet:
    staff: User
    pm: User
    members: list[User]  # the Prime Minister first

    def ballot(self, **extra: Any) -> Ballot:
        data = flow.BallotIn(title=extra.pop("title", "Dự thảo Nghị quyết về hỗ trợ doanh nghiệp"),
                             questions=extra.pop("questions", ["Đồng chí có đồng ý thông qua dự thảo không?"]),
                             deadline=extra.pop("deadline", timezone.now() + dt.timedelta(days=3)), **extra)
        return flow.create_ballot(actor=self.staff, data=data)

    def opened(self, **extra: Any) -> Ballot:
        return flow.open_ballot(actor=self.staff, ballot=self.ballot(**extra))


@pytest.fixture
def make_member(make_user: Callable[..., User]) -> Callable[..., User]:
    def make(username: str, position: str = "Bộ trưởng", *roles: str, key: bool = True) -> User:
        user = make_user(Role.GOVERNMENT_MEMBER, *roles, username=username, full_name=username.title(), position=position,
                         email=f"{username}@chinhphu.vn", phone="0912345678")
        if key:
            issue_signer_key(actor=None, user=user)
        return user

    return make


@pytest.fixture
def cabinet(make_user: Callable[..., User], make_member: Callable[..., User], ministry: Any) -> Cabinet:
    staff = make_user(Role.CABINET_STAFF, Role.SPECIALIST, username="thuky", full_name="Thư ký Chính phủ", email="thuky@chinhphu.vn")
    pm = make_member("thutuong", "Thủ tướng Chính phủ", Role.GOVERNMENT_LEADER)
    others = [make_member(f"botruong{i}") for i in range(1, 4)]
    return Cabinet(staff=staff, pm=pm, members=[pm, *others])


def answers_for(ballot: Ballot, option: str = "agree", comment: str = "") -> dict[str, dict[str, str]]:
    return {str(q.pk): {"option": option, "comment": comment} for q in ballot.questions.all()}
