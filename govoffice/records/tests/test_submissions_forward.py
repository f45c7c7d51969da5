"""A reviewer forwards the decision to a named person at this step or a later one, never lower."""

from __future__ import annotations

import pytest

from govoffice.directory.models import Role
from govoffice.lib.errors import DomainError
from govoffice.records.services.submissions import (
    approve_submission,
    create_submission,
    forward_submission,
    submit_submission,
)
from govoffice.records.tests.office_people import vpcp  # noqa: F401  (fixture)
from govoffice.records.tests.test_submissions_flow import draft

pytestmark = pytest.mark.django_db


def _at_vice(vpcp):  # noqa: F811
    row = submit_submission(actor=vpcp.specialist, submission=create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft()))
    return approve_submission(actor=vpcp.head, submission=row, next_reviewer=vpcp.vice)


def test_a_vice_chairman_forwards_to_another_vice_chairman_at_the_same_step(vpcp, staff) -> None:  # noqa: F811
    other = staff(Role.OFFICE_LEADER, username="phochunhiem2", full_name="Mai Tiến Dũng", position="Phó Chủ nhiệm Văn phòng Chính phủ")
    row = forward_submission(actor=vpcp.vice, submission=_at_vice(vpcp), to=other, comment="Đồng chí phụ trách lĩnh vực")
    assert (row.step, row.current_reviewer) == (1, other)
    last = row.actions.last()
    assert last is not None and (last.action, last.forwarded_to) == ("forward", other)
    row = approve_submission(actor=other, submission=row)
    assert row.current_reviewer == vpcp.chairman


def test_forwarding_to_the_prime_minister_skips_to_the_last_step(vpcp) -> None:  # noqa: F811
    row = forward_submission(actor=vpcp.vice, submission=_at_vice(vpcp), to=vpcp.pm)
    assert (row.step, row.current_reviewer) == (3, vpcp.pm)


def test_it_cannot_be_forwarded_down_or_to_someone_outside_the_chain(vpcp) -> None:  # noqa: F811
    row = _at_vice(vpcp)
    for person in (vpcp.specialist, vpcp.head, vpcp.clerk):
        with pytest.raises(DomainError) as err:
            forward_submission(actor=vpcp.vice, submission=row, to=person)
        assert err.value.code == "not_eligible" and err.value.field == "to"
    row.refresh_from_db()
    assert (row.step, row.current_reviewer, row.actions.count()) == (1, vpcp.vice, 3)


def test_only_the_person_it_waits_for_decides(vpcp) -> None:  # noqa: F811
    row = _at_vice(vpcp)
    for person in (vpcp.chairman, vpcp.pm, vpcp.specialist):
        with pytest.raises(DomainError) as err:
            approve_submission(actor=person, submission=row)
        assert err.value.status == 403
        with pytest.raises(DomainError):
            forward_submission(actor=person, submission=row, to=vpcp.pm)
    row.refresh_from_db()
    assert row.current_reviewer == vpcp.vice
