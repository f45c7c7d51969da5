"""The rules as a matrix of role × object × action (deny by default)."""

from __future__ import annotations

from typing import Any

import pytest

from govoffice.directory.models import Role
from govoffice.directory.permissions import may
from govoffice.portal.feedback.models import Feedback, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def piece(agencies: Any, file_one: Any) -> Feedback:
    row = file_one()
    Feedback.objects.filter(pk=row.pk).update(forwarded_to=agencies["000.00.00.G12"], state=State.FORWARDED)
    row.refresh_from_db()
    return row


@pytest.mark.parametrize(("role", "code", "expected"), [
    (Role.PORTAL_OFFICER, "000.00.00.G22", {"feedback.triage", "feedback.moderate", "feedback.view", "feedback.statistics"}),
    (Role.PORTAL_OFFICER, "000.00.00.G12", {"feedback.view", "feedback.answer"}),
    (Role.SPECIALIST, "000.00.00.G12", {"feedback.view", "feedback.answer"}),
    (Role.SPECIALIST, "000.00.00.H41", set()),
    (Role.SPECIALIST, "000.00.00.G22", set()),
    (Role.CITIZEN, "000.00.00.G22", set()),
    (Role.AGENCY_SYSTEM, "000.00.00.G12", set()),
    (Role.AUDITOR, "000.00.00.G22", {"feedback.statistics"}),
])
def test_who_may_do_what(person: Any, piece: Feedback, role: str, code: str, expected: set[str]) -> None:
    user = person(role, code=code)
    actions = ("feedback.triage", "feedback.moderate", "feedback.view", "feedback.answer", "feedback.statistics")
    assert {a for a in actions if may(user, a, piece)} == expected


def test_an_answered_piece_can_no_longer_be_answered(person: Any, piece: Feedback) -> None:
    Feedback.objects.filter(pk=piece.pk).update(state=State.ANSWERED)
    piece.refresh_from_db()
    assert not may(person(Role.SPECIALIST, code="000.00.00.G12"), "feedback.answer", piece)


def test_nobody_anonymous_or_inactive_may_anything(person: Any, piece: Feedback) -> None:
    from django.contrib.auth.models import AnonymousUser

    officer = person(Role.PORTAL_OFFICER)
    officer.is_active = False
    assert not may(officer, "feedback.triage", piece) and not may(AnonymousUser(), "feedback.view", piece)
