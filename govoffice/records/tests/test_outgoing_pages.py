"""The outgoing pages: draft with the form, act on the document's page, see the issued PDF's
signature check and the recipients; refusals shown beside the field with the right status."""

from __future__ import annotations

import pytest

from govoffice.records.models import Outgoing, OutgoingState
from govoffice.records.services.outgoing import issue_outgoing
from govoffice.records.tests.office_people import (  # noqa: F401  (fixtures)
    decision_draft,
    outsider,
    signers,
    to_state,
    vpcp,
)

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


def test_a_specialist_drafts_a_document_with_the_form(signers, client) -> None:  # noqa: F811
    page = _as(client, signers.specialist).get("/records/outgoing/new/")
    assert page.status_code == 200 and "Thủ tướng Chính phủ (TTg)" in page.content.decode()
    answer = client.post("/records/outgoing/new/", {
        "doc_type": "QĐ", "authority": "TTg", "drafting_unit": signers.unit.code, "subject": "Về việc thử nghiệm",
        "body": "Điều 1.", "place": "Hà Nội", "urgency": "0", "confidentiality": "0", "recipients": signers.ministry.code,
        "signer": "thutuong", "signer_competence": "",
    })
    doc = Outgoing.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/records/outgoing/{doc.pk}/"
    assert list(doc.recipients.values_list("code", flat=True)) == [signers.ministry.code]


def test_a_missing_subject_is_shown_beside_the_field(signers, client) -> None:  # noqa: F811
    answer = _as(client, signers.specialist).post("/records/outgoing/new/", {
        "doc_type": "QĐ", "authority": "TTg", "subject": "", "body": "Điều 1.", "place": "Hà Nội", "urgency": "0", "confidentiality": "0"})
    assert answer.status_code == 400 and 'id="id_subject-error"' in answer.content.decode()
    assert not Outgoing.objects.exists()


def test_the_signer_signs_from_the_page_and_another_leader_gets_403(signers, client) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), OutgoingState.APPROVED)
    page = _as(client, signers.pm).get(f"/records/outgoing/{doc.pk}/")
    assert f'action="/records/outgoing/{doc.pk}/sign/"' in page.content.decode()
    refused = _as(client, signers.chairman).post(f"/records/outgoing/{doc.pk}/sign/")
    assert refused.status_code == 403
    assert _as(client, signers.pm).post(f"/records/outgoing/{doc.pk}/sign/").status_code == 302
    doc.refresh_from_db()
    assert doc.state == OutgoingState.SIGNED


def test_the_issued_document_shows_its_number_signature_and_recipients(signers, client) -> None:  # noqa: F811
    doc = issue_outgoing(actor=signers.clerk, outgoing=to_state(signers, decision_draft(signers), OutgoingState.SIGNED))
    html = _as(client, signers.clerk).get(f"/records/outgoing/{doc.pk}/").content.decode()
    assert "01/QĐ-TTg" in html and "Vũ Đức Thắng" in html and "Bộ Tài chính" in html
    assert "valid, trusted" in html or "hợp lệ" in html


def test_issuing_an_unsigned_document_from_the_page_is_409(signers, client) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), OutgoingState.APPROVED)
    answer = _as(client, signers.clerk).post(f"/records/outgoing/{doc.pk}/issue/")
    assert answer.status_code == 409 and 'role="alert"' in answer.content.decode()


def test_the_draft_preview_is_a_pdf(signers, client) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), OutgoingState.DRAFT)
    answer = _as(client, signers.head).get(f"/records/outgoing/{doc.pk}/du-thao.pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")


def test_a_stranger_gets_404_not_a_hint(signers, client) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), OutgoingState.DRAFT)
    stranger = outsider(signers)
    assert _as(client, stranger).get(f"/records/outgoing/{doc.pk}/").status_code == 404


def test_the_list_and_the_edit_page_render(signers, client) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), OutgoingState.REVIEW)
    html = _as(client, signers.head).get("/records/outgoing/?show=waiting").content.decode()
    assert f"/records/outgoing/{doc.pk}/" in html
    assert _as(client, signers.specialist).get("/records/outgoing/?show=mine&state=review").status_code == 200
    draft = to_state(signers, decision_draft(signers), OutgoingState.DRAFT)
    edit = client.get(f"/records/outgoing/{draft.pk}/edit/")
    assert edit.status_code == 200 and "Về việc phê duyệt Đề án" in edit.content.decode()


def test_the_reviewer_returns_without_a_comment_and_sees_the_message_beside_the_field(signers, client) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), OutgoingState.REVIEW)
    answer = _as(client, signers.head).post(f"/records/outgoing/{doc.pk}/return/", {"comment": ""})
    assert answer.status_code == 400 and 'id="comment-error"' in answer.content.decode()


def test_the_clerks_home_page_lists_signed_documents_to_issue(signers, client) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers), OutgoingState.SIGNED)
    html = _as(client, signers.clerk).get("/").content.decode()
    assert f"/records/outgoing/{doc.pk}/" in html
    assert f"/records/outgoing/{doc.pk}/" not in _as(client, signers.specialist).get("/").content.decode()
