"""A NUL character (which PostgreSQL cannot store) in feedback is bad input: a 4xx naming the
field, nothing filed, never a 5xx, through the form, the API and Open311."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.test import Client

from govoffice.portal.feedback.models import Feedback

FIELDS = {"source": "citizen", "name": "Nguyễn Văn An", "email": "an@example.vn", "subject": "Thủ tục thuế",
          "content": "Đề nghị bỏ bản sao chứng thực."}


def test_a_nul_anywhere_in_feedback_files_nothing(client: Client, agencies: Any) -> None:
    for field in ("name", "subject", "content", "address", "phone"):
        cache.clear()  # the per-address limit on filing is not what is tested here
        api = client.post("/api/v1/portal/feedback", {**FIELDS, field: "x\x00y"})
        assert 400 <= api.status_code < 500, (field, api.content)
        assert api.json()["error"]["field"], api.content
        cache.clear()
        page = client.post("/portal/feedback/", {**FIELDS, field: "x\x00y"})
        assert 400 <= page.status_code < 500, field
    lookups = [client.get("/api/v1/portal/feedback/answers", {"q": "a\x00", "agency": "G\x00"}),
               client.get("/portal/feedback/answers/", {"q": "a\x00"}),
               client.get("/open311/v2/requests.xml", {"service_code": "x\x00"}),
               client.get("/open311/v2/tokens/a\x00.xml")]
    assert all(r.status_code < 500 for r in lookups), [r.status_code for r in lookups]
    assert Feedback.objects.count() == 0
