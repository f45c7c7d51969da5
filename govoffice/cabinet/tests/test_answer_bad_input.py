"""Bad answers get a clear error and change nothing: late, non-member, second answer where changes
are not allowed, unknown option, broken signature (and a wrong password, a missing question)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from govoffice.audit.models import Event
from govoffice.cabinet import signatures
from govoffice.cabinet.models import Answer, Ballot, BallotMember
from govoffice.cabinet.services import ballots as flow
from govoffice.cabinet.tests.conftest import answers_for
from govoffice.directory.models import Role
from govoffice.lib.errors import DomainError
from govoffice.signing.people import signer_identity
from govoffice.testing import PASSWORD

pytestmark = pytest.mark.django_db


def state(ballot: Ballot) -> tuple[Any, ...]:
    return (
        list(Answer.objects.filter(ballot=ballot).values_list("member_id", "revision", "current", "choices")),
        list(BallotMember.objects.filter(ballot=ballot).values_list("member_id", "answered_at")),
        Event.objects.filter(action__startswith="cabinet.answer").count(),
    )


def refused(ballot: Ballot, code: str, call: Callable[[], Any]) -> DomainError:
    before = state(ballot)
    with pytest.raises(DomainError) as err:
        call()
    assert err.value.code == code, err.value.message
    assert err.value.message
    assert state(ballot) == before
    return err.value


def test_an_answer_after_the_deadline_is_refused(cabinet) -> None:
    ballot = cabinet.opened()
    Ballot.objects.filter(pk=ballot.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    ballot.refresh_from_db()
    err = refused(ballot, "deadline_passed", lambda: flow.answer_ballot(
        actor=cabinet.members[1], ballot=ballot, answers=answers_for(ballot), password=PASSWORD))
    assert err.status == 409


def test_an_answer_from_someone_the_ballot_was_not_sent_to_is_refused(cabinet, make_member, make_user) -> None:
    ballot = cabinet.opened()
    newcomer = make_member("botruongmoi")  # became a member after the ballot went out
    err = refused(ballot, "not_a_member", lambda: flow.answer_ballot(
        actor=newcomer, ballot=ballot, answers=answers_for(ballot), password=PASSWORD))
    assert err.status == 403
    clerk = make_user(Role.CLERK)
    refused(ballot, "not_a_member", lambda: flow.answer_ballot(actor=clerk, ballot=ballot, answers=answers_for(ballot), password=PASSWORD))


def test_a_second_answer_is_refused_where_changes_are_not_allowed(cabinet) -> None:
    ballot = cabinet.opened(allow_change=False)
    member = cabinet.members[1]
    flow.answer_ballot(actor=member, ballot=ballot, answers=answers_for(ballot, "agree"), password=PASSWORD)
    err = refused(ballot, "already_answered", lambda: flow.answer_ballot(
        actor=member, ballot=ballot, answers=answers_for(ballot, "disagree"), password=PASSWORD))
    assert err.status == 409


def test_an_option_the_ballot_does_not_offer_is_refused(cabinet) -> None:
    ballot = cabinet.opened()
    err = refused(ballot, "unknown_option", lambda: flow.answer_ballot(
        actor=cabinet.members[1], ballot=ballot, answers=answers_for(ballot, "maybe"), password=PASSWORD))
    assert err.field == "answers" and "maybe" in err.message


def test_a_broken_signature_is_refused(cabinet) -> None:
    ballot = cabinet.opened()
    member, other = cabinet.members[1], cabinet.members[2]
    choices = answers_for(ballot)
    payload = flow.answer_payload(ballot, member, choices)
    good = signatures.sign(signer_identity(member).key, payload)
    flipped = good[:10] + ("A" if good[10] != "A" else "B") + good[11:]
    for bad in (flipped, "not base64!", signatures.sign(signer_identity(other).key, payload),
                signatures.sign(signer_identity(member).key, payload.replace(b"agree", b"disagree"))):
        def attempt(bad: str = bad) -> Any:
            return flow.answer_ballot(actor=member, ballot=ballot, answers=choices, signature=bad)

        err = refused(ballot, "invalid_signature", attempt)
        assert err.field == "signature"


def test_a_wrong_password_signs_nothing(cabinet) -> None:
    ballot = cabinet.opened()
    refused(ballot, "wrong_password", lambda: flow.answer_ballot(
        actor=cabinet.members[1], ballot=ballot, answers=answers_for(ballot), password="sai-mat-khau"))
    refused(ballot, "wrong_password", lambda: flow.answer_ballot(actor=cabinet.members[1], ballot=ballot, answers=answers_for(ballot)))


def test_every_question_needs_an_answer(cabinet) -> None:
    ballot = cabinet.opened(questions=["Câu một?", "Câu hai?"])
    first = ballot.questions.first()
    assert first is not None
    refused(ballot, "missing_answer", lambda: flow.answer_ballot(
        actor=cabinet.members[1], ballot=ballot, answers={str(first.pk): {"option": "agree"}}, password=PASSWORD))
    refused(ballot, "unknown_question", lambda: flow.answer_ballot(
        actor=cabinet.members[1], ballot=ballot, answers={**answers_for(ballot), "999999": {"option": "agree"}}, password=PASSWORD))


def test_a_member_without_a_signing_key_is_told_how_to_get_one(cabinet, make_member) -> None:
    keyless = make_member("botruongkhongkhoa", key=False)
    ballot = cabinet.opened()
    err = refused(ballot, "no_signing_key", lambda: flow.answer_ballot(
        actor=keyless, ballot=ballot, answers=answers_for(ballot), password=PASSWORD))
    assert "govoffice signer issue" in err.message
