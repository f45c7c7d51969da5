"""The office triages: in scope goes to the ministry through the hub as edXML (one DocumentId),
out of scope gets the right guidance, duplicates are linked; only the office's officers triage."""

from __future__ import annotations

import pytest
from django.core import mail
from govoffice_agent import edxml

from govoffice.directory.models import Role
from govoffice.exchange.models import Delivery, Kind, Message
from govoffice.lib.errors import Conflict, DomainError, Forbidden, NotFound
from govoffice.portal.feedback.models import Feedback, Scope, State
from govoffice.portal.feedback.services.triage import (
    forward_feedback,
    mark_duplicate,
    mark_out_of_scope,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_in_scope_feedback_goes_to_the_ministry_through_the_hub(office_hub, finance, officer, file_one) -> None:
    row = file_one(phone="0912345678")
    forward_feedback(actor=officer, feedback=row, agency_code=finance.code, note="Thuộc thẩm quyền Bộ Tài chính")
    row.refresh_from_db()
    assert row.state == State.FORWARDED and row.scope == Scope.IN_SCOPE and row.forwarded_to == finance.agency
    assert row.document_id.startswith("000.00.00.G22,") and row.document_id.endswith(f",{row.pk}/VPCP-PAKN")
    message = Message.objects.get(kind=Kind.DOCUMENT, document_id=row.document_id)
    assert str(message.pk) == row.hub_message_id and message.sender == office_hub.agency
    assert Delivery.objects.filter(message=message, recipient=finance.agency).exists()
    _, parsed = edxml.parse_message(bytes(message.raw))
    text = parsed.attachments[0].data.decode()
    assert row.code in text and row.content in text
    assert "an@example.vn" not in text and "0912345678" not in text  # the contacts stay with the office


def test_the_submitter_hears_that_it_was_sent_on(office_hub, finance, officer, file_one) -> None:
    row = file_one()
    mail.outbox.clear()
    forward_feedback(actor=officer, feedback=row, agency_code=finance.code)
    assert len(mail.outbox) == 1 and "Bộ Tài chính" in mail.outbox[0].body


def test_a_complaint_is_closed_with_the_guidance_for_complaints(office_hub, officer, file_one) -> None:
    row = file_one()
    mail.outbox.clear()
    mark_out_of_scope(actor=officer, feedback=row, kind="complaint")
    row.refresh_from_db()
    assert row.state == State.OUT_OF_SCOPE and row.scope == Scope.OUT_OF_SCOPE and row.closed
    assert "Luật Khiếu nại" in mail.outbox[0].body
    mark_out_of_scope_row = file_one()
    mail.outbox.clear()
    mark_out_of_scope(actor=officer, feedback=mark_out_of_scope_row, kind="denunciation")
    assert "Luật Tố cáo" in mail.outbox[0].body


def test_a_duplicate_is_linked_to_the_first_piece(office_hub, officer, file_one) -> None:
    first, second, third = file_one(), file_one(), file_one()
    mark_duplicate(actor=officer, feedback=second, original_code=first.code)
    mark_duplicate(actor=officer, feedback=third, original_code=second.code)
    third.refresh_from_db()
    assert third.state == State.DUPLICATE and third.duplicate_of == first  # linked to the root
    assert first.code in mail.outbox[-1].body


def test_only_the_offices_portal_officers_triage(office_hub, finance, person, file_one) -> None:
    row = file_one()
    for intruder in (person(Role.SPECIALIST), person(Role.PORTAL_OFFICER, code="000.00.00.G12"), person(Role.CITIZEN)):
        with pytest.raises(Forbidden):
            forward_feedback(actor=intruder, feedback=row, agency_code=finance.code)
    assert Feedback.objects.get(pk=row.pk).state == State.RECEIVED
    assert not Message.objects.filter(kind=Kind.DOCUMENT).exists()


def test_bad_triage_changes_nothing(office_hub, finance, officer, file_one) -> None:
    row = file_one()
    with pytest.raises(DomainError) as unknown:
        forward_feedback(actor=officer, feedback=row, agency_code="000.00.00.G99")
    assert unknown.value.code == "unknown_agency"
    with pytest.raises(DomainError) as off_hub:  # Bộ Nội vụ is in the directory but not on the hub
        forward_feedback(actor=officer, feedback=row, agency_code="000.00.00.G09")
    assert off_hub.value.code == "not_on_hub"
    with pytest.raises(DomainError):
        mark_out_of_scope(actor=officer, feedback=row, kind="rumour")
    with pytest.raises(NotFound):
        mark_duplicate(actor=officer, feedback=row, original_code="PA-2019-NOTTHERE")
    row.refresh_from_db()
    assert row.state == State.RECEIVED and row.history.count() == 1
    mark_out_of_scope(actor=officer, feedback=row, kind="other")
    with pytest.raises(Conflict):
        forward_feedback(actor=officer, feedback=row, agency_code=finance.code)


def test_the_office_page_forwards_and_shows_the_error_beside_the_field(client, office_hub, finance, officer, file_one) -> None:
    row = file_one()
    client.force_login(officer)
    page = client.get(f"/portal/feedback/office/{row.pk}/")
    assert page.status_code == 200 and row.name in page.content.decode()
    bad = client.post(f"/portal/feedback/office/{row.pk}/duplicate/", {"original": "PA-2019-ZZZZZZZZ"})
    assert bad.status_code == 404 and "PA-2019-ZZZZZZZZ" in bad.content.decode()
    done = client.post(f"/portal/feedback/office/{row.pk}/forward/", {"agency": finance.code, "note": ""})
    assert done.status_code == 302
    assert Feedback.objects.get(pk=row.pk).state == State.FORWARDED


def test_other_people_cannot_open_the_office_pages(client, office_hub, person, file_one) -> None:
    row = file_one()
    client.force_login(person(Role.SPECIALIST))
    assert client.get(f"/portal/feedback/office/{row.pk}/").status_code == 403
    assert client.get("/portal/feedback/office/").status_code == 403
