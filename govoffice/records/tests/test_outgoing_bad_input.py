"""Refusals on outgoing documents change nothing: signing without the right (403), issuing an
unapproved or unsigned draft (409), missing fields (400) — no row, no audit event, no number."""

from __future__ import annotations

import pytest

from govoffice.audit.models import Event
from govoffice.directory.models import RoleGrant
from govoffice.lib.errors import DomainError
from govoffice.records.models import NumberSeries, Outgoing, OutgoingState, RecordFile
from govoffice.records.services.outgoing import (
    create_outgoing,
    issue_outgoing,
    send_for_review,
    sign_outgoing,
)
from govoffice.records.tests.office_people import (  # noqa: F401  (fixtures)
    decision_draft,
    signers,
    to_state,
    vpcp,
)
from govoffice.signing.people import revoke_signer_keys

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    numbers = sum(NumberSeries.objects.values_list("last_number", flat=True))
    return Outgoing.objects.count(), RecordFile.objects.count(), Event.objects.count(), numbers


@pytest.mark.parametrize(("overrides", "code", "field"), [
    ({"subject": " "}, "required", "subject"),
    ({"body": ""}, "required", "body"),
    ({"place": ""}, "required", "place"),
    ({"doc_type": "XX"}, "invalid_choice", "doc_type"),
    ({"authority": "BTC"}, "invalid_choice", "authority"),
    ({"drafting_unit": "000.00.00.G12"}, "unknown_unit", "drafting_unit"),
    ({"recipients": ["000.00.00.G99"]}, "unknown_agency", "recipients"),
    ({"signer": "vanthu"}, "invalid_signer", "signer"),
    ({"signer": "nobody"}, "invalid_signer", "signer"),
    ({"signer_competence": "XYZ."}, "invalid_choice", "signer_competence"),
])
def test_a_bad_draft_is_refused_and_nothing_is_written(signers, overrides, code, field) -> None:  # noqa: F811
    before = _counts()
    with pytest.raises(DomainError) as err:
        create_outgoing(actor=signers.specialist, agency=signers.agency, draft=decision_draft(signers, **overrides))
    assert (err.value.code, err.value.field, err.value.status) == (code, field, 400)
    assert _counts() == before


def test_someone_other_than_the_designated_signer_may_not_sign(signers) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), OutgoingState.APPROVED)
    before = _counts()
    for person in (signers.chairman, signers.vice, signers.clerk, signers.specialist):
        with pytest.raises(DomainError) as err:
            sign_outgoing(actor=person, outgoing=doc)
        assert err.value.status == 403
    doc.refresh_from_db()
    assert doc.state == OutgoingState.APPROVED and _counts() == before


def test_a_designated_signer_who_lost_the_leader_role_may_not_sign(signers) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), OutgoingState.APPROVED)
    RoleGrant.objects.filter(user=signers.pm).delete()
    signers.pm.refresh_from_db()
    before = _counts()
    with pytest.raises(DomainError) as err:
        sign_outgoing(actor=signers.pm, outgoing=doc)
    assert err.value.status == 403 and _counts() == before


def test_a_signer_without_a_current_certificate_cannot_sign(signers) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), OutgoingState.APPROVED)
    revoke_signer_keys(actor=None, user=signers.pm)
    before = _counts()
    with pytest.raises(DomainError) as err:
        sign_outgoing(actor=signers.pm, outgoing=doc)
    assert (err.value.code, err.value.status) == ("no_signing_key", 409) and _counts() == before


@pytest.mark.parametrize(("state", "code"), [
    (OutgoingState.DRAFT, "not_approved"), (OutgoingState.REVIEW, "not_approved"), (OutgoingState.APPROVED, "not_signed"),
])
def test_issuing_before_approval_and_signature_is_a_conflict_and_takes_no_number(signers, state, code) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), state)
    before = _counts()
    with pytest.raises(DomainError) as err:
        issue_outgoing(actor=signers.clerk, outgoing=doc)
    assert (err.value.code, err.value.status) == (code, 409)
    assert _counts() == before and not NumberSeries.objects.exists()
    doc.refresh_from_db()
    assert doc.state == state and doc.number is None and doc.notation == ""


def test_only_a_clerk_issues(signers) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), OutgoingState.SIGNED)
    before = _counts()
    for person in (signers.pm, signers.head, signers.specialist):
        with pytest.raises(DomainError) as err:
            issue_outgoing(actor=person, outgoing=doc)
        assert err.value.status == 403
    assert _counts() == before


def test_a_document_is_issued_once(signers) -> None:  # noqa: F811
    doc = issue_outgoing(actor=signers.clerk, outgoing=to_state(signers, decision_draft(signers, recipients=[]), OutgoingState.SIGNED))
    before = _counts()
    with pytest.raises(DomainError) as err:
        issue_outgoing(actor=signers.clerk, outgoing=doc)
    assert (err.value.code, err.value.status) == ("already_issued", 409) and _counts() == before


def test_a_draft_goes_for_review_only_to_a_leader_and_only_with_a_signer(signers) -> None:  # noqa: F811
    doc = create_outgoing(actor=signers.specialist, agency=signers.agency, draft=decision_draft(signers, signer=""))
    before = _counts()
    with pytest.raises(DomainError) as err:
        send_for_review(actor=signers.specialist, outgoing=doc, reviewer=signers.clerk)
    assert err.value.field == "reviewer"
    with pytest.raises(DomainError) as err:
        send_for_review(actor=signers.specialist, outgoing=doc, reviewer=signers.head)
    assert err.value.field == "signer"
    assert _counts() == before
