"""Returned with comments, the drafter makes a new version and resubmits; every version is kept."""

from __future__ import annotations

import pytest

from govoffice.lib.errors import DomainError
from govoffice.records.files import Upload
from govoffice.records.models import SubmissionState
from govoffice.records.services.submissions import (
    approve_submission,
    create_submission,
    return_submission,
    revise_submission,
    submit_submission,
    withdraw_submission,
)
from govoffice.records.tests.office_people import vpcp  # noqa: F401  (fixture)
from govoffice.records.tests.test_submissions_flow import PDF, draft

pytestmark = pytest.mark.django_db


def _at_vice(vpcp):  # noqa: F811
    row = create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft())
    row = submit_submission(actor=vpcp.specialist, submission=row)
    return approve_submission(actor=vpcp.head, submission=row)


def test_a_returned_submission_goes_back_to_the_drafter_with_the_comments(vpcp) -> None:  # noqa: F811
    row = return_submission(actor=vpcp.vice, submission=_at_vice(vpcp), comment="Bổ sung ý kiến Bộ Tài chính")
    assert row.state == SubmissionState.RETURNED and row.current_reviewer is None and row.step == 1
    last = row.actions.last()
    assert last is not None and (last.action, last.actor, last.comment) == ("return", vpcp.vice, "Bổ sung ý kiến Bộ Tài chính")


def test_a_new_version_keeps_the_old_one_and_carries_the_chosen_files(vpcp) -> None:  # noqa: F811
    row = return_submission(actor=vpcp.vice, submission=_at_vice(vpcp), comment="Sửa lại")
    v1 = row.versions.get()
    old_file = v1.files.get()
    v2 = revise_submission(actor=vpcp.specialist, submission=row, body="Nội dung đã sửa", note="Theo ý kiến Phó Chủ nhiệm",
                           keep=[old_file.pk], files=[Upload("Y kien BTC.pdf", PDF + b"2")])
    assert v2.number == 2 and v2.body == "Nội dung đã sửa"
    assert sorted(v2.files.values_list("name", flat=True)) == ["Du thao QD.pdf", "Y kien BTC.pdf"]
    v1.refresh_from_db()
    assert v1.body == "Kính trình Thủ tướng Chính phủ xem xét, phê duyệt Đề án." and v1.files.count() == 1
    assert v2.files.get(name="Du thao QD.pdf").sha256 == old_file.sha256


def test_the_resubmission_goes_to_whoever_returned_it(vpcp) -> None:  # noqa: F811
    row = return_submission(actor=vpcp.vice, submission=_at_vice(vpcp), comment="Sửa lại")
    revise_submission(actor=vpcp.specialist, submission=row, body="Bản sửa")
    row = submit_submission(actor=vpcp.specialist, submission=row)
    assert (row.state, row.step, row.current_reviewer) == (SubmissionState.IN_REVIEW, 1, vpcp.vice)
    assert row.actions.last().action == "resubmit"  # type: ignore[union-attr]
    assert row.actions.last().version.number == 2  # type: ignore[union-attr]


def test_a_submission_in_review_cannot_be_revised(vpcp) -> None:  # noqa: F811
    row = _at_vice(vpcp)
    with pytest.raises(DomainError) as err:
        revise_submission(actor=vpcp.specialist, submission=row, body="Sửa khi đang trình")
    assert err.value.status == 409 and row.versions.count() == 1


def test_only_the_drafter_revises_and_withdraws(vpcp) -> None:  # noqa: F811
    row = return_submission(actor=vpcp.vice, submission=_at_vice(vpcp), comment="Sửa lại")
    with pytest.raises(DomainError) as err:
        revise_submission(actor=vpcp.head, submission=row, body="Vụ trưởng tự sửa")
    assert err.value.status == 403
    with pytest.raises(DomainError):
        withdraw_submission(actor=vpcp.head, submission=row)
    row = withdraw_submission(actor=vpcp.specialist, submission=row)
    assert row.state == SubmissionState.WITHDRAWN
