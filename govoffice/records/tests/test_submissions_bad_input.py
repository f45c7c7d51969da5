"""Bad input to a submission changes nothing: no row, no version, no file, no audit event."""

from __future__ import annotations

import pytest

from govoffice.audit.models import Event
from govoffice.lib.errors import DomainError
from govoffice.records.files import Upload
from govoffice.records.models import RecordFile, Submission, SubmissionAction, SubmissionVersion
from govoffice.records.services.submissions import (
    create_submission,
    return_submission,
    submit_submission,
)
from govoffice.records.tests.office_people import vpcp  # noqa: F401  (fixture)
from govoffice.records.tests.test_submissions_flow import PDF, draft

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _counts() -> tuple[int, ...]:
    return (Submission.objects.count(), SubmissionVersion.objects.count(), RecordFile.objects.count(),
            SubmissionAction.objects.count(), Event.objects.count())


@pytest.mark.parametrize(("overrides", "code", "field", "status"), [
    ({"title": "  "}, "required", "title", 400),
    ({"body": ""}, "required", "body", 400),
    ({"matter": "khong-co"}, "unknown_matter", "matter", 400),
    ({"related": [999999]}, "unknown_document", "related", 400),
    ({"confidentiality": 3}, "clearance", "confidentiality", 403),
    ({"urgency": 9}, "invalid_choice", "urgency", 400),
    ({"files": [Upload("Du thao.pdf", EXE)]}, "unsupported_file_type", "files", 415),
    ({"files": [Upload("trong.pdf", b"")]}, "empty_file", "files", 400),
    ({"files": [Upload("Du thao.pdf", PDF), Upload("virus.docx", EXE)]}, "unsupported_file_type", "files", 415),
])
def test_a_bad_submission_is_refused_and_nothing_is_written(vpcp, overrides, code, field, status) -> None:  # noqa: F811
    before = _counts()
    with pytest.raises(DomainError) as err:
        create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft(**overrides))
    assert (err.value.code, err.value.field, err.value.status) == (code, field, status)
    assert _counts() == before


def test_an_oversized_file_is_refused(vpcp, settings) -> None:  # noqa: F811
    settings.RECORDS = {**settings.RECORDS, "max_upload_bytes": 1024}
    before = _counts()
    with pytest.raises(DomainError) as err:
        create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft(files=[Upload("lon.pdf", PDF * 10)]))
    assert err.value.status == 413 and _counts() == before


def test_a_clerk_does_not_draft_submissions(vpcp) -> None:  # noqa: F811
    before = _counts()
    with pytest.raises(DomainError) as err:
        create_submission(actor=vpcp.clerk, agency=vpcp.agency, draft=draft())
    assert err.value.status == 403 and _counts() == before


def test_returning_without_a_comment_changes_nothing(vpcp) -> None:  # noqa: F811
    row = submit_submission(actor=vpcp.specialist, submission=create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft()))
    before = _counts()
    with pytest.raises(DomainError) as err:
        return_submission(actor=vpcp.head, submission=row, comment="   ")
    assert (err.value.code, err.value.field) == ("required", "comment") and _counts() == before
    row.refresh_from_db()
    assert row.state == "in_review"


def test_submitting_twice_is_a_conflict(vpcp) -> None:  # noqa: F811
    row = submit_submission(actor=vpcp.specialist, submission=create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft()))
    before = _counts()
    with pytest.raises(DomainError) as err:
        submit_submission(actor=vpcp.specialist, submission=row)
    assert err.value.status == 409 and _counts() == before
