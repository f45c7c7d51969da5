"""Every state and choice the office's pages show has its Vietnamese label (the pages are
Vietnamese first): "In review" among them."""

from __future__ import annotations

import pytest
from django.db import models
from django.utils import translation

from govoffice.records import models as records_models

CHOICES = [
    c for c in vars(records_models).values()
    if isinstance(c, type) and issubclass(c, models.Choices) and c.__module__ == records_models.__name__
]


def test_an_outgoing_document_in_review_says_so_in_vietnamese() -> None:
    with translation.override("vi"):
        assert str(records_models.OutgoingState.REVIEW.label) == "Đang duyệt"
        assert str(records_models.SubmissionState.IN_REVIEW.label) == "Chờ cho ý kiến"


@pytest.mark.parametrize("choices", CHOICES, ids=lambda c: c.__name__)
def test_each_label_is_vietnamese_on_vietnamese_pages(choices: type[models.Choices]) -> None:
    with translation.override("en"):
        english = {member.value: str(member.label) for member in choices}
    with translation.override("vi"):
        untranslated = [english[m.value] for m in choices if str(m.label) == english[m.value] and m.label.isascii()]
    assert untranslated == []
