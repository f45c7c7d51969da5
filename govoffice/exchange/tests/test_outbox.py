"""The office's own sending: signed with its agent folder's key, accepted by this hub."""

from __future__ import annotations

from pathlib import Path

import pytest
from govoffice_agent import edxml

from govoffice.exchange import outbox
from govoffice.exchange.management.commands.hub import write_agent_folder
from govoffice.exchange.models import Delivery, Kind, Message
from govoffice.exchange.services.members import enroll_member
from govoffice.exchange.tests.conftest import make_message
from govoffice.lib.errors import DomainError


@pytest.fixture
def office_agent(agencies, settings, tmp_path: Path):
    enrolment = enroll_member(actor=None, agency=agencies["000.00.00.G22"])
    folder = tmp_path / "agent"
    write_agent_folder(folder, agency_code="000.00.00.G22", api_key=enrolment.api_key,
                       key_pem=enrolment.private_key_pem, cert_pem=enrolment.certificate.pem)
    settings.AGENT_CONFIG = folder / "agent.toml"
    settings.HUB_URL = ""
    outbox.office_config.cache_clear()
    yield folder
    outbox.office_config.cache_clear()


def test_the_office_sends_a_signed_document_through_its_own_hub(office_agent, nghe_an) -> None:
    sent = outbox.send_document(make_message("000.00.00.G22", [nghe_an.code]), actor=None)
    assert sent.created
    message = Message.objects.get(id=sent.message_id)
    assert message.sender.code == "000.00.00.G22"
    assert Delivery.objects.filter(message=message, recipient=nghe_an.agency).exists()
    again = outbox.send_document(make_message("000.00.00.G22", [nghe_an.code]), actor=None)
    assert again.message_id == sent.message_id and not again.created


def test_the_office_answers_with_a_status(office_agent, finance, signed, send) -> None:
    body = send(finance, signed(finance, ["000.00.00.G22"])).json()
    document = Message.objects.get(id=body["message_id"])
    sent = outbox.send_status(document.document_id, "03", "Đã vào sổ văn bản đến", actor=None)
    status = Message.objects.get(id=sent.message_id)
    assert status.kind == Kind.STATUS and status.about_id == document.id
    assert Delivery.objects.filter(message=status, recipient=finance.agency).exists()


def test_it_refuses_to_send_as_another_agency(office_agent, nghe_an) -> None:
    with pytest.raises(DomainError) as err:
        outbox.send_document(make_message("000.00.00.G12", [nghe_an.code]), actor=None)
    assert err.value.code == "sender_mismatch"


def test_without_an_agent_folder_it_says_the_hub_is_not_configured(agencies, settings, tmp_path: Path) -> None:
    settings.AGENT_CONFIG = tmp_path / "missing" / "agent.toml"
    outbox.office_config.cache_clear()
    with pytest.raises(DomainError) as err:
        outbox.send_status("x,2019/01/01,1/A", "03", actor=None)
    assert err.value.code == "hub_not_configured"
    outbox.office_config.cache_clear()


def test_a_message_can_be_read_back_as_edxml(office_agent, nghe_an) -> None:
    sent = outbox.send_document(make_message("000.00.00.G22", [nghe_an.code], number="77"), actor=None)
    raw = bytes(Message.objects.get(id=sent.message_id).raw)
    _, parsed = edxml.parse_message(raw)
    assert parsed.code.code_number == "77"


def test_a_renewed_key_is_used_without_a_restart(office_agent, agencies, nghe_an) -> None:
    from govoffice.exchange.services.members import renew_certificate

    first = outbox.send_document(make_message("000.00.00.G22", [nghe_an.code], number="1"), actor=None)
    assert first.created
    renewal = renew_certificate(actor=None, agency=agencies["000.00.00.G22"], revoke_old=True)
    api_key = outbox.office_config().api_key
    write_agent_folder(office_agent, agency_code="000.00.00.G22", api_key=api_key,
                       key_pem=renewal.private_key_pem, cert_pem=renewal.certificate.pem)
    # The same process, no cache_clear: it reads the folder again and signs with the new key.
    second = outbox.send_document(make_message("000.00.00.G22", [nghe_an.code], number="2"), actor=None)
    assert second.created
    assert outbox.office_config().cert_pem == renewal.certificate.pem.encode()


def test_a_long_or_non_ascii_document_id_gets_a_short_stable_key(office_agent, nghe_an) -> None:
    notation = "VPCP-TTĐT" + "-KTTH" * 40  # Đ, and a DocumentId of over 200 characters
    message = make_message("000.00.00.G22", [nghe_an.code], code=edxml.Code("5", notation))
    sent = outbox.send_document(message, actor=None)
    stored = Message.objects.get(id=sent.message_id)
    assert len(stored.document_id) > 200
    assert stored.idempotency_key is not None and stored.idempotency_key.startswith("office:sha256:")
    assert len(stored.idempotency_key) <= 200 and stored.idempotency_key.isascii()
    again = outbox.send_document(message, actor=None)
    assert (again.message_id, again.created) == (sent.message_id, False)
    short = outbox.send_document(make_message("000.00.00.G22", [nghe_an.code], number="6"), actor=None)
    assert Message.objects.get(id=short.message_id).idempotency_key == f"office:{short.document_id}:0"
    # A caller's own key is kept within the hub's limits the same way.
    own = outbox.send_document(make_message("000.00.00.G22", [nghe_an.code], code=edxml.Code("7", notation)), actor=None,
                               idempotency_key=f"records-outgoing:{notation}")
    kept = Message.objects.get(id=own.message_id).idempotency_key
    assert kept is not None and kept.startswith("records-outgoing:sha256:") and len(kept) <= 200
    again = outbox.send_document(make_message("000.00.00.G22", [nghe_an.code], code=edxml.Code("7", notation)), actor=None,
                                 idempotency_key=f"records-outgoing:{notation}")
    assert (again.message_id, again.created) == (own.message_id, False)
