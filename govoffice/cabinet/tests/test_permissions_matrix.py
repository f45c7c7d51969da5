"""Who may do what in the e-cabinet, as a matrix of role x object x action (deny by default)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govoffice.cabinet.services import ballots as ballot_flow
from govoffice.cabinet.services import meetings as meeting_flow
from govoffice.cabinet.tests.conftest import answers_for
from govoffice.directory.models import Role
from govoffice.directory.permissions import may
from govoffice.testing import PASSWORD

pytestmark = pytest.mark.django_db

# who: staff, seated member (sent the ballot / invited), other member (not sent / not invited), each other role
OTHER_ROLES = [Role.CLERK, Role.SPECIALIST, Role.DEPARTMENT_HEAD, Role.OFFICE_LEADER, Role.GOVERNMENT_LEADER, Role.AUDITOR,
               Role.ADMINISTRATOR, Role.AGENCY_SYSTEM, Role.CITIZEN, Role.PORTAL_OFFICER, Role.SUPERVISION_OFFICER]
EXPECTED = {
    #                         staff  seated  other-member  other roles
    ("cabinet.manage", "none"): (True, False, False, False),
    ("cabinet.view_ballot", "ballot"): (True, True, False, False),
    ("cabinet.view_ballot", "draft"): (True, False, False, False),
    ("cabinet.answer", "ballot"): (False, True, False, False),
    ("cabinet.view_results", "ballot"): (True, False, False, False),
    ("cabinet.view_answer", "own_answer"): (True, True, False, False),
    ("cabinet.view_answer", "someone_elses_answer"): (True, False, False, False),
    ("cabinet.view_meeting", "meeting"): (True, True, False, False),
    ("cabinet.mark_position", "meeting"): (False, True, False, False),
    ("cabinet.unknown_action", "ballot"): (False, False, False, False),
}


@pytest.fixture
def world(cabinet, make_member, make_user, ministry):
    outsider = make_member("botruongngoai")
    ballot = ballot_flow.create_ballot(actor=cabinet.staff, data=ballot_flow.BallotIn(
        title="Phiếu", questions=["?"], deadline=timezone.now() + dt.timedelta(days=2)))
    ballot = ballot_flow.open_ballot(actor=cabinet.staff, ballot=ballot, members=[m.username for m in cabinet.members])
    draft = cabinet.ballot(title="Nháp")
    seated = cabinet.members[1]
    own = ballot_flow.answer_ballot(actor=seated, ballot=ballot, answers=answers_for(ballot), password=PASSWORD)
    elses = ballot_flow.answer_ballot(actor=cabinet.members[2], ballot=ballot, answers=answers_for(ballot), password=PASSWORD)
    meeting = meeting_flow.create_meeting(actor=cabinet.staff, data=meeting_flow.MeetingIn(
        kind="regular", title="Phiên họp", starts_at=timezone.now() + dt.timedelta(days=1), place="Hà Nội", chair=cabinet.pm.username,
        members=[seated.username]))
    objects = {"none": None, "ballot": ballot, "draft": draft, "own_answer": own, "someone_elses_answer": elses, "meeting": meeting}
    people = {"staff": [cabinet.staff], "seated": [seated], "other_member": [outsider],
              "other": [make_user(r) for r in OTHER_ROLES]}
    return objects, people


def test_the_matrix(world) -> None:
    objects, people = world
    for (action, obj_name), expected in EXPECTED.items():
        for who, allowed in zip(("staff", "seated", "other_member", "other"), expected, strict=True):
            for person in people[who]:
                got = may(person, action, objects[obj_name])
                assert got == allowed, f"{action} on {obj_name} by {who} ({person.role_set}): {got}"


def test_nobody_inactive_or_anonymous_gets_anything(world, cabinet) -> None:
    from django.contrib.auth.models import AnonymousUser

    objects, _people = world
    cabinet.staff.is_active = False
    for action, obj_name in EXPECTED:
        assert not may(AnonymousUser(), action, objects[obj_name])
        assert not may(cabinet.staff, action, objects[obj_name])
