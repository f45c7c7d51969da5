"""A member answers a ballot and signs; the signature is kept and verifies; changes are new revisions."""

from __future__ import annotations

import json

import pytest

from govoffice.audit.models import Event
from govoffice.cabinet import signatures
from govoffice.cabinet.models import Answer, BallotMember, BallotState
from govoffice.cabinet.services import ballots as flow
from govoffice.cabinet.tests.conftest import answers_for
from govoffice.signing.people import signer_identity
from govoffice.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_member_signs_with_their_password_and_the_signature_verifies(cabinet) -> None:
    ballot = cabinet.opened()
    member = cabinet.members[1]
    answer = flow.answer_ballot(actor=member, ballot=ballot, answers=answers_for(ballot, "agree", "Nhất trí"), password=PASSWORD)
    assert answer.signed_by_server and answer.revision == 1
    assert signatures.verify_answer(answer)
    body = json.loads(answer.payload)
    assert body == {"ballot": ballot.pk, "member": member.username, "revision": 1, "answers": answer.choices}
    assert answer.certificate == signer_identity(member).row.certificate
    assert BallotMember.objects.get(ballot=ballot, member=member).answered_at is not None
    assert Event.objects.filter(action="cabinet.answer_given", object_id=str(answer.pk)).exists()


def test_a_member_may_send_their_own_signature(cabinet) -> None:
    ballot = cabinet.opened()
    member = cabinet.members[2]
    choices = answers_for(ballot, "other", "Cần làm rõ nguồn kinh phí")
    payload = flow.answer_payload(ballot, member, choices)
    own = signatures.sign(signer_identity(member).key, payload)
    answer = flow.answer_ballot(actor=member, ballot=ballot, answers=choices, signature=own)
    assert not answer.signed_by_server and answer.signature == own and signatures.verify_answer(answer)


def test_a_tampered_kept_answer_no_longer_verifies(cabinet) -> None:
    ballot = cabinet.opened()
    answer = flow.answer_ballot(actor=cabinet.members[1], ballot=ballot, answers=answers_for(ballot), password=PASSWORD)
    Answer.objects.filter(pk=answer.pk).update(choices={k: {"option": "disagree", "comment": ""} for k in answer.choices})
    assert not signatures.verify_answer(Answer.objects.get(pk=answer.pk))


def test_changing_an_answer_keeps_the_history_and_audits_the_change(cabinet) -> None:
    ballot = cabinet.opened()
    member = cabinet.members[1]
    flow.answer_ballot(actor=member, ballot=ballot, answers=answers_for(ballot, "agree"), password=PASSWORD)
    second = flow.answer_ballot(actor=member, ballot=ballot, answers=answers_for(ballot, "disagree", "Đổi ý"), password=PASSWORD)
    rows = list(Answer.objects.filter(ballot=ballot, member=member).order_by("revision"))
    assert [(a.revision, a.current) for a in rows] == [(1, False), (2, True)]
    assert second.choices[str(ballot.questions.get().pk)]["option"] == "disagree"
    change = Event.objects.get(action="cabinet.answer_changed")
    assert change.data["before"] == {str(ballot.questions.get().pk): "agree"}
    assert all(signatures.verify_answer(a) for a in rows)


def test_the_ballot_closes_when_every_member_has_answered(cabinet) -> None:
    ballot = cabinet.opened()
    for m in cabinet.members:
        flow.answer_ballot(actor=m, ballot=ballot, answers=answers_for(ballot), password=PASSWORD)
    ballot.refresh_from_db()
    assert ballot.state == BallotState.CLOSED and ballot.result["adopted"] and ballot.result["closed_because"] == "all_answered"


def test_custom_options_are_offered_and_counted(cabinet) -> None:
    options = [{"code": "yes", "label": "Tán thành", "counts_as": "for"}, {"code": "no", "label": "Không tán thành", "counts_as": "against"}]
    ballot = cabinet.opened(options=options, close_when_all_answered=False)
    flow.answer_ballot(actor=cabinet.pm, ballot=ballot, answers=answers_for(ballot, "yes"), password=PASSWORD)
    with pytest.raises(flow.DomainError) as err:
        flow.answer_ballot(actor=cabinet.members[1], ballot=ballot, answers=answers_for(ballot, "agree"), password=PASSWORD)
    assert err.value.code == "unknown_option"
