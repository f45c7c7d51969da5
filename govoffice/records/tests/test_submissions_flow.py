"""A submission goes up the Government Office's chain: department head → office vice-chairman →
office chairman → a deputy prime minister or the prime minister; each next reviewer hears by e-mail."""

from __future__ import annotations

import pytest
from django.core import mail

from govoffice.audit.models import Event
from govoffice.audit.services import verify_chain
from govoffice.lib.errors import DomainError
from govoffice.records.files import Upload
from govoffice.records.models import SubmissionAction, SubmissionState
from govoffice.records.services.submissions import (
    SubmissionDraft,
    approve_submission,
    create_submission,
    submit_submission,
)
from govoffice.records.tests.office_people import vpcp  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + "Dự thảo quyết định".encode() * 50


def draft(**overrides: object) -> SubmissionDraft:
    fields: dict[str, object] = {
        "title": "Tờ trình phê duyệt Đề án kết nối Trục liên thông văn bản",
        "body": "Kính trình Thủ tướng Chính phủ xem xét, phê duyệt Đề án.",
        "files": [Upload("Du thao QD.pdf", PDF)],
    }
    fields.update(overrides)
    return SubmissionDraft(**fields)  # type: ignore[arg-type]


def test_a_specialist_drafts_a_submission_with_its_drafts_as_version_one(vpcp) -> None:  # noqa: F811
    row = create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft())
    assert row.state == SubmissionState.DRAFT and row.chain == vpcp.chain and row.unit == vpcp.unit
    [version] = row.versions.all()
    assert version.number == 1 and version.files.get().name == "Du thao QD.pdf"
    assert version.files.get().content_type == "application/pdf" and version.files.get().role == "draft"
    assert Event.objects.filter(action="records.submission_created", object_id=str(row.pk)).count() == 1


def test_it_climbs_the_whole_chain_and_ends_approved(vpcp) -> None:  # noqa: F811
    row = create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft())
    row = submit_submission(actor=vpcp.specialist, submission=row)
    assert (row.state, row.step, row.current_reviewer) == (SubmissionState.IN_REVIEW, 0, vpcp.head)
    row = approve_submission(actor=vpcp.head, submission=row, comment="Đồng ý trình")
    assert (row.step, row.current_reviewer) == (1, vpcp.vice)
    row = approve_submission(actor=vpcp.vice, submission=row)
    assert (row.step, row.current_reviewer) == (2, vpcp.chairman)  # "Chủ nhiệm", not the "Phó Chủ nhiệm"
    row = approve_submission(actor=vpcp.chairman, submission=row, next_reviewer=vpcp.deputy_pm)
    assert (row.step, row.current_reviewer) == (3, vpcp.deputy_pm)
    row = approve_submission(actor=vpcp.deputy_pm, submission=row, comment="Đồng ý")
    assert row.state == SubmissionState.APPROVED and row.current_reviewer is None and row.decided_at is not None
    history = list(SubmissionAction.objects.filter(submission=row).values_list("action", "actor__username", "step"))
    assert history == [
        ("create", "chuyenvien", 0), ("submit", "chuyenvien", 0), ("approve", "vutruong", 0),
        ("approve", "phochunhiem", 1), ("approve", "chunhiem", 2), ("approve", "phothutuong", 3),
    ]
    assert verify_chain().ok


def test_each_next_reviewer_and_finally_the_drafter_hear_by_email(vpcp, django_capture_on_commit_callbacks) -> None:  # noqa: F811
    row = create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft())
    with django_capture_on_commit_callbacks(execute=True):
        row = submit_submission(actor=vpcp.specialist, submission=row)
        row = approve_submission(actor=vpcp.head, submission=row)
        row = approve_submission(actor=vpcp.vice, submission=row)
        row = approve_submission(actor=vpcp.chairman, submission=row, next_reviewer=vpcp.pm)
        approve_submission(actor=vpcp.pm, submission=row)
    recipients = [m.to[0] for m in mail.outbox]
    assert recipients == [f"{u}@vpcp.gov.vn" for u in ("vutruong", "phochunhiem", "chunhiem", "thutuong", "chuyenvien")]
    assert f"/records/submissions/{row.pk}/" in mail.outbox[0].body
    assert "Tờ trình phê duyệt" in mail.outbox[0].subject


def test_when_several_people_can_decide_the_sender_must_name_one_and_nothing_moves_until_then(vpcp) -> None:  # noqa: F811
    row = create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft())
    row = submit_submission(actor=vpcp.specialist, submission=row)
    row = approve_submission(actor=vpcp.head, submission=row)
    row = approve_submission(actor=vpcp.vice, submission=row)
    events = Event.objects.count()
    with pytest.raises(DomainError) as err:
        approve_submission(actor=vpcp.chairman, submission=row)
    assert err.value.code == "choose_reviewer" and err.value.field == "next_reviewer"
    row.refresh_from_db()
    assert (row.step, row.current_reviewer) == (2, vpcp.chairman)
    assert Event.objects.count() == events and row.actions.count() == 4


def test_a_secret_submission_skips_nobody_but_goes_only_to_people_cleared_for_it(vpcp, staff) -> None:  # noqa: F811
    from govoffice.directory.models import Role

    staff(Role.DEPARTMENT_HEAD, username="vutruong2", full_name="Ngô Văn Hải", position="Phó Vụ trưởng", unit=vpcp.unit)
    row = create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft(confidentiality=1))
    row = submit_submission(actor=vpcp.specialist, submission=row)
    assert row.current_reviewer == vpcp.head  # the other head of the unit has no clearance


def test_a_secret_submissions_title_stays_out_of_the_email(vpcp, django_capture_on_commit_callbacks) -> None:  # noqa: F811
    row = create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft(confidentiality=1))
    with django_capture_on_commit_callbacks(execute=True):
        submit_submission(actor=vpcp.specialist, submission=row)
    [message] = mail.outbox
    assert "Tờ trình phê duyệt" not in f"{message.subject} {message.body}"
    assert f"/records/submissions/{row.pk}/" in message.body
