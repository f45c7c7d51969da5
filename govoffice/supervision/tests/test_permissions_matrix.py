"""Who may do what: officers see all; an agency's people their agency's tasks; others nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govoffice.directory.models import User
from govoffice.directory.permissions import may
from govoffice.directory.services import issue_api_key
from govoffice.supervision.models import Task
from govoffice.supervision.permissions import visible_tasks

ACTIONS = ("supervision.view", "supervision.report", "supervision.manage", "supervision.inspections")
# person → (view, report, manage, inspections) for a task led by Finance, co-ordinated by Home Affairs
MATRIX = {
    "officer": (True, False, True, True),
    "office_clerk": (False, False, False, False),
    "ministry_supervision_officer": (True, True, False, False),  # the role outside the office is only a Finance person
    "lead_specialist": (True, True, False, False),
    "lead_system": (True, True, False, False),
    "coordinating_leader": (True, False, False, False),
    "other_province": (False, False, False, False),
    "citizen": (False, False, False, False),
    "inactive_officer": (False, False, False, False),
}


@pytest.fixture
def people(officer, make_user, office, ministry, home_affairs, nghe_an) -> dict[str, User]:
    inactive = make_user("supervision_officer", agency=office)
    inactive.is_active = False
    inactive.save()
    key, _raw = issue_api_key(actor=None, agency=ministry, name="hệ thống")
    return {
        "officer": officer,
        "office_clerk": make_user("clerk", agency=office),
        "ministry_supervision_officer": make_user("supervision_officer", agency=ministry),
        "lead_specialist": make_user("specialist", agency=ministry),
        "lead_system": key.user,
        "coordinating_leader": make_user("department_head", agency=home_affairs),
        "other_province": make_user("office_leader", agency=nghe_an),
        "citizen": make_user("citizen", agency=None),
        "inactive_officer": inactive,
    }


@pytest.fixture
def task(assign, home_affairs) -> Task:
    return assign(deadline=timezone.localdate() + dt.timedelta(days=5), coordinating_agencies=[home_affairs.code])


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_each_person_may_do_exactly_what_the_matrix_says(people, task, who) -> None:
    person = people[who]
    got = tuple(may(person, action, task) for action in ACTIONS)
    assert got == MATRIX[who]
    listed = Task.objects.filter(visible_tasks(person)).filter(pk=task.pk).exists() if person.is_active else False
    assert listed == MATRIX[who][0]


def test_an_agency_reads_the_rate_of_its_own_agency_only(people, ministry, home_affairs) -> None:
    assert may(people["lead_specialist"], "supervision.rate", ministry)
    assert not may(people["lead_specialist"], "supervision.rate", home_affairs)
    assert not may(people["lead_specialist"], "supervision.rate", None)
    assert may(people["officer"], "supervision.rate", None)
    assert not may(people["citizen"], "supervision.rate", None)
