"""An agency that read a piece before the office sent it on elsewhere may no longer answer it:
the right is checked again on the locked row, and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest

from govoffice.directory.models import Role
from govoffice.lib.errors import Forbidden
from govoffice.portal.feedback.models import Feedback, State
from govoffice.portal.feedback.services.replies import answer_feedback


def test_an_answer_from_the_agency_it_was_taken_from_is_refused(agencies: Any, file_one: Any, person: Any) -> None:
    row = file_one()
    Feedback.objects.filter(pk=row.pk).update(forwarded_to=agencies["000.00.00.G12"], state=State.FORWARDED)
    finance_staff = person(Role.SPECIALIST, code="000.00.00.G12")
    read_before = Feedback.objects.select_related("forwarded_to").get(pk=row.pk)
    Feedback.objects.filter(pk=row.pk).update(forwarded_to=agencies["000.00.00.H41"])  # sent on to Nghệ An meanwhile
    with pytest.raises(Forbidden):
        answer_feedback(actor=finance_staff, feedback=read_before, text="Bộ Tài chính trả lời")
    after = Feedback.objects.get(pk=row.pk)
    assert after.state == State.FORWARDED and after.answer_text == ""
