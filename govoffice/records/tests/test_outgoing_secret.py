"""A secret outgoing document is seen only by people cleared for it and never goes through the hub."""

from __future__ import annotations

import pytest

from govoffice.directory.models import Clearance, Role
from govoffice.exchange.models import Message
from govoffice.lib.errors import DomainError
from govoffice.records.models import Outgoing, OutgoingState
from govoffice.records.permissions import visible_to
from govoffice.records.services.outgoing import issue_outgoing, resend_outgoing
from govoffice.records.tests.office_people import (  # noqa: F401  (fixtures)
    decision_draft,
    signers,
    to_state,
    vpcp,
)

pytestmark = pytest.mark.django_db


def test_a_secret_document_is_issued_but_not_sent_through_the_hub(signers, finance, django_capture_on_commit_callbacks) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers, confidentiality=Clearance.MAT), OutgoingState.SIGNED)
    with django_capture_on_commit_callbacks(execute=True):
        doc = issue_outgoing(actor=signers.clerk, outgoing=doc)
    doc.refresh_from_db()
    assert doc.state == OutgoingState.ISSUED and doc.hub_message_id == ""
    assert not Message.objects.filter(document_id=doc.document_id).exists()
    with pytest.raises(DomainError) as err:
        resend_outgoing(actor=signers.clerk, outgoing=doc)
    assert err.value.code == "secret_document"


def test_people_without_clearance_do_not_see_it(signers, staff) -> None:  # noqa: F811
    from govoffice.records.services.outgoing import create_outgoing

    doc = create_outgoing(actor=signers.vice, agency=signers.agency, draft=decision_draft(signers, confidentiality=Clearance.TOI_MAT))
    low = staff(Role.OFFICE_LEADER, username="lanhdao-thuong", clearance=Clearance.MAT)
    assert not Outgoing.objects.filter(visible_to(signers.specialist), pk=doc.pk).exists()
    assert not Outgoing.objects.filter(visible_to(low), pk=doc.pk).exists()
    assert Outgoing.objects.filter(visible_to(signers.chairman), pk=doc.pk).exists()


def test_a_secret_document_cannot_name_a_signer_without_clearance(signers, staff) -> None:  # noqa: F811
    from govoffice.records.services.outgoing import create_outgoing

    staff(Role.OFFICE_LEADER, username="lanhdao-thuong", clearance=Clearance.NONE)
    with pytest.raises(DomainError) as err:
        create_outgoing(actor=signers.specialist, agency=signers.agency,
                        draft=decision_draft(signers, confidentiality=Clearance.MAT, signer="lanhdao-thuong"))
    assert err.value.field == "signer"
