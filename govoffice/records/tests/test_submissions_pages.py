"""The submission pages: draft with files, decide from the page, the history and the versions."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govoffice.records.models import Submission, SubmissionState
from govoffice.records.services.submissions import create_submission, submit_submission
from govoffice.records.tests.office_people import vpcp  # noqa: F401  (fixture)
from govoffice.records.tests.test_submissions_flow import PDF, draft

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


def test_a_specialist_drafts_a_submission_with_a_file(vpcp, client) -> None:  # noqa: F811
    api = _as(client, vpcp.specialist)
    assert api.get("/records/submissions/new/").status_code == 200
    answer = api.post("/records/submissions/new/", {
        "title": "Tờ trình về Đề án", "matter": "default", "body": "Kính trình.", "urgency": "0", "confidentiality": "0",
        "attachments": [SimpleUploadedFile("Du thao.pdf", PDF, content_type="application/pdf")],
    })
    row = Submission.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/records/submissions/{row.pk}/"
    assert row.versions.get().files.get().name == "Du thao.pdf"


def test_a_disguised_file_is_refused_beside_the_field(vpcp, client) -> None:  # noqa: F811
    answer = _as(client, vpcp.specialist).post("/records/submissions/new/", {
        "title": "Tờ trình", "matter": "default", "body": "Kính trình.", "urgency": "0", "confidentiality": "0",
        "attachments": [SimpleUploadedFile("Du thao.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")],
    })
    assert answer.status_code == 415 and 'id="id_attachments-error"' in answer.content.decode()
    assert not Submission.objects.exists()


def test_the_reviewer_approves_from_the_page_and_the_history_shows_it(vpcp, client) -> None:  # noqa: F811
    row = submit_submission(actor=vpcp.specialist, submission=create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft()))
    page = _as(client, vpcp.head).get(f"/records/submissions/{row.pk}/")
    assert page.status_code == 200 and "Phạm Thu Hà" in page.content.decode()
    answer = client.post(f"/records/submissions/{row.pk}/approve/", {"comment": "Đồng ý", "next_reviewer": str(vpcp.vice.pk)})
    assert answer.status_code == 302
    html = _as(client, vpcp.specialist).get(f"/records/submissions/{row.pk}/").content.decode()
    assert "Đồng ý" in html and "Lê Hoàng Đức" in html


def test_returning_without_a_comment_shows_the_message_beside_the_field(vpcp, client) -> None:  # noqa: F811
    row = submit_submission(actor=vpcp.specialist, submission=create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft()))
    answer = _as(client, vpcp.head).post(f"/records/submissions/{row.pk}/return/", {"comment": ""})
    assert answer.status_code == 400 and 'id="return-comment-error"' in answer.content.decode()
    row.refresh_from_db()
    assert row.state == SubmissionState.IN_REVIEW


def test_the_home_page_lists_what_waits_for_the_reviewer(vpcp, client) -> None:  # noqa: F811
    row = submit_submission(actor=vpcp.specialist, submission=create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft()))
    html = _as(client, vpcp.head).get("/").content.decode()
    assert f"/records/submissions/{row.pk}/" in html


def test_a_clerk_cannot_draft_a_submission(vpcp, client) -> None:  # noqa: F811
    assert _as(client, vpcp.clerk).get("/records/submissions/new/").status_code == 403


def test_the_lists_show_what_waits_for_me_and_what_i_drafted(vpcp, client) -> None:  # noqa: F811
    row = submit_submission(actor=vpcp.specialist, submission=create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft()))
    waiting = _as(client, vpcp.head).get("/records/submissions/")
    assert waiting.status_code == 200 and f"/records/submissions/{row.pk}/" in waiting.content.decode()
    mine = _as(client, vpcp.specialist).get("/records/submissions/?show=mine").content.decode()
    assert f"/records/submissions/{row.pk}/" in mine
    assert f"/records/submissions/{row.pk}/" not in _as(client, vpcp.clerk).get("/records/submissions/?show=waiting").content.decode()
    assert client.get("/records/submissions/?show=all&state=in_review").status_code == 200


def test_the_drafter_revises_and_resubmits_from_the_page(vpcp, client) -> None:  # noqa: F811
    from govoffice.records.services.submissions import return_submission

    row = submit_submission(actor=vpcp.specialist, submission=create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft()))
    return_submission(actor=vpcp.head, submission=row, comment="Bổ sung số liệu")
    api = _as(client, vpcp.specialist)
    page = api.get(f"/records/submissions/{row.pk}/").content.decode()
    assert "Bổ sung số liệu" in page and f'action="/records/submissions/{row.pk}/revise/"' in page
    keep = row.versions.get().files.get().pk
    answer = api.post(f"/records/submissions/{row.pk}/revise/", {"body": "Đã bổ sung", "note": "Số liệu 2019", "keep": [str(keep)]})
    assert answer.status_code == 302 and row.versions.count() == 2
    assert api.post(f"/records/submissions/{row.pk}/submit/", {}).status_code == 302
    row.refresh_from_db()
    assert row.current_reviewer == vpcp.head and row.state == SubmissionState.IN_REVIEW
