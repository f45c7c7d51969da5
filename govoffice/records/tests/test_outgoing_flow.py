"""An outgoing document: drafted, reviewed, approved, signed by its signer, numbered and issued
by a clerk as a signed PDF, sent through the hub; the recipients' statuses show on it."""

from __future__ import annotations

import pytest
from govoffice_agent import edxml

from govoffice.audit.models import Event
from govoffice.audit.services import verify_chain
from govoffice.exchange.models import Delivery, Kind, Message
from govoffice.records.models import OutgoingState, SearchEntry
from govoffice.records.services.outgoing import (
    approve_outgoing,
    create_outgoing,
    issue_outgoing,
    issued_file,
    recipient_statuses,
    resend_outgoing,
    return_outgoing,
    send_for_review,
    sign_outgoing,
    update_outgoing,
)
from govoffice.records.tests.office_people import (  # noqa: F401  (fixtures)
    decision_draft,
    letter_draft,
    signers,
    to_state,
    vpcp,
)

pytestmark = pytest.mark.django_db


def test_it_moves_from_draft_to_issued_and_each_step_is_audited(signers, finance, django_capture_on_commit_callbacks) -> None:  # noqa: F811
    doc = create_outgoing(actor=signers.specialist, agency=signers.agency, draft=decision_draft(signers))
    assert (doc.state, doc.authority_short, doc.authority_name) == (OutgoingState.DRAFT, "TTg", "Thủ tướng Chính phủ")
    doc = send_for_review(actor=signers.specialist, outgoing=doc, reviewer=signers.head)
    doc = approve_outgoing(actor=signers.head, outgoing=doc, comment="Trình ký")
    doc = sign_outgoing(actor=signers.pm, outgoing=doc)
    assert doc.state == OutgoingState.SIGNED and doc.signer_certificate is not None and len(doc.signed_sha256) == 64
    with django_capture_on_commit_callbacks(execute=True):
        doc = issue_outgoing(actor=signers.clerk, outgoing=doc)
    doc.refresh_from_db()
    assert (doc.state, doc.number, doc.notation) == (OutgoingState.ISSUED, 1, "01/QĐ-TTg")
    assert doc.document_id.startswith("000.00.00.G22,") and doc.document_id.endswith(",01/QĐ-TTg")
    file = issued_file(doc)
    assert file is not None and file.role == "issued" and file.content_type == "application/pdf"
    actions = list(Event.objects.filter(object_type="records.outgoing", object_id=str(doc.pk)).values_list("action", flat=True))
    assert actions == ["records.outgoing_created", "records.outgoing_sent_for_review", "records.outgoing_approved",
                       "records.outgoing_signed", "records.outgoing_issued", "records.outgoing_dispatched"]
    assert verify_chain().ok
    assert SearchEntry.objects.get(kind="outgoing", object_id=doc.pk).number_notation == "01/QĐ-TTg"


def test_the_issued_pdf_goes_through_the_hub_as_edxml_to_the_recipients(signers, finance, django_capture_on_commit_callbacks) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), OutgoingState.SIGNED)
    with django_capture_on_commit_callbacks(execute=True):
        doc = issue_outgoing(actor=signers.clerk, outgoing=doc)
    doc.refresh_from_db()
    message = Message.objects.get(id=doc.hub_message_id)
    assert message.kind == Kind.DOCUMENT and message.document_id == doc.document_id
    assert Delivery.objects.filter(message=message, recipient=finance.agency).exists()
    _, parsed = edxml.parse_message(bytes(message.raw))
    assert (parsed.code.code_number, parsed.code.code_notation) == ("01", "QĐ-TTg")
    assert parsed.signer.full_name == "Vũ Đức Thắng" and parsed.document_type.type_name == "Quyết định"
    [attachment] = parsed.attachments
    file = issued_file(doc)
    assert file is not None
    with file.file.open("rb") as fh:
        assert attachment.data == fh.read() and attachment.content_type == "application/pdf"


def test_the_recipients_statuses_show_on_the_document(signers, finance, send, status_of, django_capture_on_commit_callbacks) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), OutgoingState.SIGNED)
    with django_capture_on_commit_callbacks(execute=True):
        doc = issue_outgoing(actor=signers.clerk, outgoing=doc)
    doc.refresh_from_db()
    assert [r["organ_id"] for r in recipient_statuses(doc)] == [finance.code]
    assert recipient_statuses(doc)[0]["statuses"] == []
    for code in ("01", "03"):
        answer = send(finance, status_of(finance, doc.document_id, code, "Đã vào sổ"), path="/api/v1/hub/statuses")
        assert answer.status_code == 201, answer.content
    [entry] = recipient_statuses(doc)
    assert [s["code"] for s in entry["statuses"]] == ["01", "03"] and entry["last_status"] == "03"


def test_a_letter_is_numbered_in_the_agencys_own_series_with_the_drafting_unit(signers) -> None:  # noqa: F811
    doc = issue_outgoing(actor=signers.clerk, outgoing=to_state(signers, letter_draft(signers, recipients=[]), OutgoingState.SIGNED))
    assert doc.notation == "01/VPCP-TTĐT" and doc.series is not None and doc.series.key == "all"


def test_returned_for_changes_it_can_be_changed_and_reviewed_again(signers) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), OutgoingState.REVIEW)
    doc = return_outgoing(actor=signers.head, outgoing=doc, comment="Sửa Điều 2")
    assert doc.state == OutgoingState.RETURNED and doc.review_comment == "Sửa Điều 2"
    doc = update_outgoing(actor=signers.specialist, outgoing=doc, draft=decision_draft(signers, body="Điều 1. Sửa.\nĐiều 2. Hiệu lực."))
    doc = send_for_review(actor=signers.specialist, outgoing=doc, reviewer=signers.head)
    assert doc.state == OutgoingState.REVIEW and doc.body.startswith("Điều 1. Sửa.")


def test_a_failed_send_is_recorded_and_the_clerk_sends_it_again(signers, enroll, django_capture_on_commit_callbacks) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), OutgoingState.SIGNED)
    with django_capture_on_commit_callbacks(execute=True):
        doc = issue_outgoing(actor=signers.clerk, outgoing=doc)  # the ministry is not on the hub yet
    doc.refresh_from_db()
    assert doc.state == OutgoingState.ISSUED and doc.hub_message_id == "" and "000.00.00.G12" in doc.dispatch_error
    assert Event.objects.filter(action="records.outgoing_dispatch_failed", object_id=str(doc.pk)).exists()
    enroll("000.00.00.G12")
    doc = resend_outgoing(actor=signers.clerk, outgoing=doc)
    assert doc.hub_message_id and doc.dispatch_error == ""
    again = resend_outgoing(actor=signers.clerk, outgoing=doc)
    assert again.hub_message_id == doc.hub_message_id  # idempotent: never a second message
    assert Message.objects.filter(document_id=doc.document_id, kind=Kind.DOCUMENT).count() == 1
