"""The public page and API of published answers: search with or without diacritics, personal
data hidden, nothing unpublished shown."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from govoffice.portal.feedback.models import Feedback, State
from govoffice.portal.feedback.services.common import move
from govoffice.portal.feedback.services.replies import draft_publication

pytestmark = pytest.mark.django_db


def publish(row: Feedback, answer: str) -> Feedback:
    """A published answer as the moderation leaves it (the flow itself is tested in test_agency_replies)."""
    from django.utils import timezone

    from govoffice.lib.vntext import fold

    with transaction.atomic():
        row.answer_text = answer
        draft = draft_publication(row)
        row.published_subject, row.published_question, row.published_answer = draft["subject"], draft["question"], draft["answer"]
        row.published_search = fold(" ".join(draft.values()))
        row.published_at = timezone.now()
        move(row, State.PUBLISHED)
        row.save()
    return row


@pytest.fixture
def answers(file_one: Any) -> list[Feedback]:
    return [
        publish(file_one(subject="Thủ tục đăng ký đất đai", content="Gọi tôi 0987654321 về đất đai."), "Bộ Tài nguyên đã sửa quy định."),
        publish(file_one(subject="Hoàn thuế giá trị gia tăng", content="Chậm hoàn thuế."), "Tổng cục Thuế đã giải quyết."),
        file_one(subject="Đất đai chưa trả lời", content="Chưa công khai"),
    ]


@pytest.mark.parametrize("q", ["đất đai", "dat dai", "DAT DAI", "Đất Đai"])
def test_search_finds_with_or_without_diacritics(client: Any, answers: list[Feedback], q: str) -> None:
    body = client.get("/api/v1/portal/feedback/answers", {"q": q}).json()
    assert body["count"] == 1 and body["items"][0]["code"] == answers[0].code
    page = client.get("/portal/feedback/answers/", {"q": q})
    assert answers[0].code in page.content.decode() and answers[1].code not in page.content.decode()


def test_the_list_shows_only_published_answers_with_personal_data_hidden(client: Any, answers: list[Feedback]) -> None:
    body = client.get("/api/v1/portal/feedback/answers").json()
    assert body["count"] == 2 and answers[2].code not in [i["code"] for i in body["items"]]
    detail = client.get(f"/portal/feedback/answers/{answers[0].code}/")
    text = detail.content.decode()
    assert detail.status_code == 200 and "0987654321" not in text and answers[0].email not in text and answers[0].name not in text
    assert client.get(f"/portal/feedback/answers/{answers[2].code}/").status_code == 404
    assert client.get(f"/api/v1/portal/feedback/answers/{answers[2].code}").status_code == 404
