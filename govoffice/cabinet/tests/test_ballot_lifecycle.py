"""Sending notifies every member (e-mail, SMS, home page); reminders before the deadline; closing at
the deadline counts and flags late members; the summary report and the decision draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from govoffice.cabinet.models import Ballot, BallotMember, BallotState
from govoffice.cabinet.services import ballots as flow
from govoffice.cabinet.tests.conftest import answers_for
from govoffice.lib.errors import DomainError
from govoffice.notify.models import Notice
from govoffice.records.models import Outgoing
from govoffice.testing import PASSWORD
from govoffice.web.worklist import sections_for

pytestmark = pytest.mark.django_db


def test_sending_notifies_every_member_by_email_and_sms(cabinet, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ballot = cabinet.opened()
    assert ballot.state == BallotState.OPEN and ballot.prime_minister == cabinet.pm
    notices = Notice.objects.filter(kind="cabinet.ballot", ref=f"ballot-{ballot.pk}")
    assert sorted(notices.values_list("channel", flat=True)) == sorted(["email", "sms"] * len(cabinet.members))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in cabinet.members)


def test_the_ballot_is_on_each_members_home_page_until_answered(cabinet) -> None:
    ballot = cabinet.opened()
    member = cabinet.members[1]
    titles = [i.title for s in sections_for(member) for i in s.items]
    assert ballot.title in titles
    flow.answer_ballot(actor=member, ballot=ballot, answers=answers_for(ballot), password=PASSWORD)
    assert ballot.title not in [i.title for s in sections_for(member) for i in s.items]


def test_reminders_go_once_to_those_who_have_not_answered(cabinet) -> None:
    ballot = cabinet.opened(deadline=timezone.now() + dt.timedelta(hours=5))
    flow.answer_ballot(actor=cabinet.members[1], ballot=ballot, answers=answers_for(ballot), password=PASSWORD)
    far = cabinet.opened(title="Còn xa", deadline=timezone.now() + dt.timedelta(days=5))
    assert flow.send_reminders(hours=24) == len(cabinet.members) - 1
    reminded = set(Notice.objects.filter(kind="cabinet.reminder", ref=f"ballot-{ballot.pk}").values_list("user_id", flat=True))
    assert reminded == {m.pk for m in cabinet.members if m != cabinet.members[1]}
    assert not Notice.objects.filter(kind="cabinet.reminder", ref=f"ballot-{far.pk}").exists()
    assert flow.send_reminders(hours=24) == 0


def test_the_deadline_closes_the_ballot_and_flags_late_members(cabinet) -> None:
    ballot = cabinet.opened()
    flow.answer_ballot(actor=cabinet.pm, ballot=ballot, answers=answers_for(ballot, "agree"), password=PASSWORD)
    flow.answer_ballot(actor=cabinet.members[1], ballot=ballot, answers=answers_for(ballot, "agree"), password=PASSWORD)
    Ballot.objects.filter(pk=ballot.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    assert flow.close_due_ballots() == 1
    ballot.refresh_from_db()
    assert ballot.state == BallotState.CLOSED and ballot.result["closed_because"] == "deadline"
    late = set(BallotMember.objects.filter(ballot=ballot, late=True).values_list("member__username", flat=True))
    assert late == {cabinet.members[2].username, cabinet.members[3].username}
    q = ballot.result["questions"][str(ballot.questions.get().pk)]
    # 2 of 4 agree: a tie, and the Prime Minister agreed
    assert q["for"] == 2 and q["denominator"] == 4 and q["adopted"] and q["reason"] == "tie_prime_minister"


def test_the_summary_report_is_a_pdf_and_the_decision_is_drafted_in_the_registry(cabinet) -> None:
    from govoffice.cabinet.report import render_pdf

    ballot = cabinet.opened()
    for m in cabinet.members:
        flow.answer_ballot(actor=m, ballot=ballot, answers=answers_for(ballot, "agree", "Nhất trí"), password=PASSWORD)
    ballot.refresh_from_db()
    pdf = render_pdf(ballot)
    assert pdf.startswith(b"%PDF-")
    flow.draft_decision(actor=cabinet.staff, ballot=ballot)
    ballot.refresh_from_db()
    doc = Outgoing.objects.get(pk=ballot.decision_id)
    assert doc.doc_type == "NQ" and doc.authority_short == "CP" and doc.state == "draft" and ballot.title in doc.subject
    with pytest.raises(DomainError) as err:
        flow.draft_decision(actor=cabinet.staff, ballot=ballot)
    assert err.value.code == "already_drafted"


def test_only_the_secretariat_prepares_sends_and_closes(cabinet) -> None:
    member = cabinet.members[1]
    with pytest.raises(DomainError) as err:
        flow.create_ballot(actor=member, data=flow.BallotIn(title="x", questions=["?"], deadline=timezone.now() + dt.timedelta(days=1)))
    assert err.value.code == "forbidden"
    ballot = cabinet.opened()
    with pytest.raises(DomainError):
        flow.close_ballot(actor=member, ballot=ballot)
    assert Ballot.objects.get(pk=ballot.pk).state == BallotState.OPEN


def test_a_ballot_with_bad_settings_is_not_created(cabinet) -> None:
    before = Ballot.objects.count()
    cases: list[tuple[dict[str, Any], str]] = [({"questions": []}, "required"), ({"deadline": timezone.now() - dt.timedelta(hours=1)}, "deadline_passed"),
                        ({"options": [{"code": "a", "label": "A", "counts_as": "for"}]}, "invalid_options"),
                        ({"non_answer": "whatever"}, "invalid_choice"), ({"prime_minister": "nobody"}, "not_a_member")]
    for extra, code in cases:
        with pytest.raises(DomainError) as err:
            cabinet.ballot(**extra)
        assert err.value.code == code
    assert Ballot.objects.count() == before
