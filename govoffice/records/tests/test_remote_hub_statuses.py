"""An office on its own server with a remote national hub (GOVOFFICE_HUB_URL), two live
servers: a document another member sends is pulled, registered by records at once, and the
statuses 01 and 03 go back to the sender through the remote hub, each once, under an
ASCII idempotency key even for a notation with "Đ"; pulling again sends nothing twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from govoffice_agent import edxml

from govoffice.exchange.models import Delivery, Kind, Message
from govoffice.exchange.tests.conftest import make_message
from govoffice.exchange.tests.test_remote_hub import (  # noqa: F401  (fixtures: the hub's members, the office's server)
    FINANCE,
    NGHE_AN,
    Office,
    hub_members,
    member,
    office,
)

pytestmark = pytest.mark.slow


def test_a_pulled_document_is_registered_and_the_sender_hears_01_and_03_through_the_remote_hub(
    office: Office, hub_members: dict[str, Path]  # noqa: F811
) -> None:
    finance = member(hub_members, FINANCE)
    try:
        sent = finance.send(make_message(FINANCE, [NGHE_AN], number="12", code=edxml.Code("12", "QĐ-BTC")))
        document_id = Message.objects.get(id=str(sent["message_id"])).document_id

        assert "1 new (1 documents, 0 statuses)" in (out := office.hub("pull-remote")), out
        # The office registered it in its own register (its own database).
        assert office.query("SELECT arrival_number, state, number_notation, channel FROM records_incoming") == [
            (1, "registered", "12/QĐ-BTC", "electronic")]

        # The hub (this test's server) holds the office's two statuses, delivered to the sender.
        statuses = list(Message.objects.filter(kind=Kind.STATUS, sender__code=NGHE_AN, document_id=document_id)
                        .order_by("status_code"))
        assert [s.status_code for s in statuses] == ["01", "03"]
        assert "số đến 1" in statuses[1].description
        for status in statuses:
            key = status.idempotency_key or ""
            assert key.startswith("records-status:") and key.isascii() and "%C4%90" in key
            assert Delivery.objects.filter(message=status, recipient__code=FINANCE).exists()
        # The office keeps the hub-receipted copies of what it sent.
        kept = office.query("SELECT status_code FROM exchange_message WHERE kind = 'status' ORDER BY status_code")
        assert kept == [("01",), ("03",)]
        # The sender sees them on its document's trace.
        [recipient] = finance.trace(document_id)["recipients"]
        assert recipient["last_status"] == "03"

        # Pulled again: nothing new registered, nothing sent twice.
        assert "0 new" in office.hub("pull-remote")
        assert office.query("SELECT count(*) FROM records_incoming") == [(1,)]
        assert Message.objects.filter(kind=Kind.STATUS, sender__code=NGHE_AN, document_id=document_id).count() == 2
    finally:
        finance.close()


ISSUE = """
import json
from govoffice.directory.models import Agency, Role
from govoffice.directory.services import create_agency, create_user
from govoffice.records.services.outgoing import (
    OutgoingDraft, approve_outgoing, create_outgoing, issue_outgoing, send_for_review, sign_outgoing)
from govoffice.signing.people import issue_signer_key

own = Agency.objects.get(code="{office}")
own.short_name = "UBND"
own.save(update_fields=["short_name"])
create_agency(actor=None, code="{finance}", name_vi="Bộ Tài chính", kind="ministry")
def person(name, role):
    return create_user(actor=None, username=name, password=None, agency=own, roles=[role], full_name=name)
drafter, head = person("chuyenvien", Role.SPECIALIST), person("truongphong", Role.DEPARTMENT_HEAD)
chair, clerk = person("chutich", Role.OFFICE_LEADER), person("vanthu", Role.CLERK)
issue_signer_key(actor=None, user=chair)
doc = create_outgoing(actor=drafter, agency=own, draft=OutgoingDraft(
    doc_type="QĐ", subject="Về việc phân bổ vốn đầu tư công năm 2020", body="Điều 1. Phân bổ.",
    recipients=["{finance}"], signer="chutich", signer_title="Chủ tịch"))
doc = send_for_review(actor=drafter, outgoing=doc, reviewer=head)
doc = approve_outgoing(actor=head, outgoing=doc)
doc = sign_outgoing(actor=chair, outgoing=doc)
doc = issue_outgoing(actor=clerk, outgoing=doc)
doc.refresh_from_db()
print(json.dumps({{"document_id": doc.document_id, "message": doc.hub_message_id, "error": doc.dispatch_error}}))
"""

STATUSES = """
import json
from govoffice.records.models import Outgoing
from govoffice.records.services.outgoing import recipient_statuses
print(json.dumps(recipient_statuses(Outgoing.objects.get()), default=str))
"""


def _shell(office: Office, code: str) -> dict | list:  # noqa: F811
    import json

    result = office.govoffice("shell", "-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_an_issued_document_goes_out_through_the_remote_hub_and_its_recipients_statuses_come_back(
    office: Office, hub_members: dict[str, Path], tmp_path: Path  # noqa: F811
) -> None:
    assert "0 new" in office.hub("pull-remote")  # the office meets the hub (and its own agency)
    issued = _shell(office, ISSUE.format(office=NGHE_AN, finance=FINANCE))
    assert isinstance(issued, dict) and issued["error"] == "" and issued["message"], issued
    document_id = issued["document_id"]
    on_hub = Message.objects.get(kind=Kind.DOCUMENT, sender__code=NGHE_AN, document_id=document_id)
    assert str(on_hub.id) == issued["message"]
    assert on_hub.idempotency_key == "records-outgoing:" + document_id.replace("Đ", "%C4%90")
    assert list(on_hub.deliveries.values_list("recipient__code", flat=True)) == [FINANCE]

    finance = member(hub_members, FINANCE)
    try:
        [received] = finance.pull(tmp_path / "finance")
        assert received.verified
        finance.send_status(document_id, "01", "Đã nhận")
        finance.send_status(document_id, "03", "Đã vào sổ, số đến 41")
    finally:
        finance.close()

    # The office reads its recipients' statuses from the remote hub (HTTP), as its page does.
    [recipient] = _shell(office, STATUSES)
    assert recipient["organ_id"] == FINANCE and recipient["last_status"] == "03"
    assert [s["code"] for s in recipient["statuses"]] == ["01", "03"]
    assert recipient["statuses"][1]["description"] == "Đã vào sổ, số đến 41"
