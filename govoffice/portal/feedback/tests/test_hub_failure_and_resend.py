"""When the hub cannot be reached the forward is recorded as failed, shown to the officer, and
sent again once, never twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govoffice.exchange import outbox
from govoffice.exchange.models import Kind, Message
from govoffice.lib.errors import Conflict
from govoffice.portal.feedback.models import State
from govoffice.portal.feedback.services.triage import forward_feedback, resend_forward

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failed_forward_is_recorded_and_sent_again(client: Any, office_hub: Any, finance: Any, officer: Any,
                                                    file_one: Any, settings: Any, tmp_path: Path) -> None:
    working = settings.AGENT_CONFIG
    settings.AGENT_CONFIG = tmp_path / "missing.toml"
    outbox.office_config.cache_clear()
    row = file_one()
    forward_feedback(actor=officer, feedback=row, agency_code=finance.code)
    row.refresh_from_db()
    assert row.state == State.FORWARDED and row.forward_error and not row.hub_message_id
    client.force_login(officer)
    assert "Gửi lại" in client.get(f"/portal/feedback/office/{row.pk}/").content.decode()
    settings.AGENT_CONFIG = working
    outbox.office_config.cache_clear()
    assert client.post(f"/portal/feedback/office/{row.pk}/resend/").status_code == 302
    row.refresh_from_db()
    assert row.hub_message_id and not row.forward_error
    assert Message.objects.filter(kind=Kind.DOCUMENT, document_id=row.document_id).count() == 1
    with pytest.raises(Conflict):
        resend_forward(actor=officer, feedback=row)
