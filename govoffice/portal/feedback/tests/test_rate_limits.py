"""Over the limit per address (and per account) the answer is 429 with Retry-After, and nothing is filed."""

from __future__ import annotations

from typing import Any

import pytest

from govoffice.directory.models import Role
from govoffice.portal.feedback.models import Feedback

pytestmark = pytest.mark.django_db

FORM = {"source": "citizen", "name": "Võ Văn Sơn", "email": "son@example.vn", "topic": "regulation",
        "subject": "Quy định về con dấu", "content": "Đề nghị bỏ yêu cầu đóng dấu trên hồ sơ điện tử."}


def test_the_form_is_limited_per_address(client: Any, agencies: Any, settings: Any) -> None:
    settings.FEEDBACK = {"submit_limit": (2, 3600)}
    assert [client.post("/portal/feedback/", FORM).status_code for _ in range(2)] == [302, 302]
    third = client.post("/portal/feedback/", FORM)
    assert third.status_code == 429 and 0 < int(third["Retry-After"]) <= 3600
    assert "Quá nhiều yêu cầu" in third.content.decode()
    other = client.post("/portal/feedback/", FORM, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302
    assert Feedback.objects.count() == 3


def test_the_api_is_limited_with_its_error_format(client: Any, agencies: Any, settings: Any) -> None:
    settings.FEEDBACK = {"submit_limit": (1, 60)}
    client.post("/api/v1/portal/feedback", FORM)
    second = client.post("/api/v1/portal/feedback", FORM)
    assert second.status_code == 429 and second.json()["error"]["code"] == "rate_limited" and second["Retry-After"]
    assert Feedback.objects.count() == 1


def test_an_account_is_limited_whatever_its_address(client: Any, person: Any, settings: Any) -> None:
    settings.FEEDBACK = {"submit_limit_account": (1, 86400)}
    client.force_login(person(Role.CITIZEN))
    assert client.post("/portal/feedback/", FORM, REMOTE_ADDR="192.0.2.1").status_code == 302
    assert client.post("/portal/feedback/", FORM, REMOTE_ADDR="192.0.2.2").status_code == 429


def test_status_lookups_are_limited(client: Any, agencies: Any, settings: Any) -> None:
    settings.FEEDBACK = {"lookup_limit": (3, 60)}
    codes = [client.get("/api/v1/portal/feedback/status/PA-2019-AAAAAAAAA").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    assert client.get("/open311/v2/requests/PA-2019-AAAAAAAAA.json").status_code == 429
