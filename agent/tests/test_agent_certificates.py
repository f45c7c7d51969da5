"""Whose certificate, and valid when: the agent judges a received message's signer by the hub's
registry of certificates, at the moment the hub accepted the message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import LazySettings
from govoffice_agent import edxml
from govoffice_agent.client import HubError, VerificationError

from govoffice.exchange.management.commands.hub import write_agent_folder
from govoffice.exchange.models import Delivery, DeliveryState, Message
from govoffice.exchange.services.members import enroll_member
from govoffice.lib import pki
from govoffice.signing.models import Certificate
from govoffice.signing.services import revoke_certificate, trusted_cas

from .conftest import FINANCE, NGHE_AN, Hub, document


def _sent(hub: Hub, number: str = "123") -> tuple[bytes, Message]:
    finance = hub.client(FINANCE)
    raw = finance.sign(edxml.build_message(document(FINANCE, [NGHE_AN], number=number)))
    answer = finance.send_bytes(raw)
    return raw, Message.objects.get(id=str(answer["message_id"]))


def test_a_document_accepted_before_its_signers_certificate_was_revoked_is_still_taken(members: Hub, tmp_path: Path) -> None:
    _, message = _sent(members)
    # The ministry's key is revoked over the weekend, before Nghệ An pulls on Monday.
    revoke_certificate(actor=None, certificate=Certificate.objects.get(agency__code=FINANCE), reason="key lost")
    received = members.client(NGHE_AN).pull(tmp_path)
    assert [(r.message_id, r.verified, r.problem) for r in received] == [(str(message.id), True, "")]
    assert Delivery.objects.get(message=message).state == DeliveryState.ACKED
    assert not Message.objects.filter(kind="status", status_code="02").exists()  # not returned


def test_a_certificate_revoked_before_the_hub_accepted_the_message_is_refused(members: Hub, tmp_path: Path) -> None:
    _, message = _sent(members)
    # The hub's registry says the key was revoked a second before the message came in.
    Certificate.objects.filter(agency__code=FINANCE).update(revoked_at=message.received_at - dt.timedelta(seconds=1))
    received = members.client(NGHE_AN).pull(tmp_path)
    assert [(r.verified, r.problem) for r in received] == [(False, "the signer's certificate was revoked before the hub accepted the message")]
    assert Message.objects.get(kind="status", status_code="02").about_id == message.id


def test_the_signers_certificate_is_judged_at_the_hubs_time_and_must_be_the_senders(members: Hub) -> None:
    raw, message = _sent(members)
    nghe_an = members.client(NGHE_AN)
    assert nghe_an.verify_incoming(raw, FINANCE, message.received_at.isoformat()) is not None
    assert nghe_an.verify_incoming(raw, FINANCE) is not None  # no time given: now
    with pytest.raises(VerificationError, match="not valid when the hub accepted"):
        nghe_an.verify_incoming(raw, FINANCE, "2100-01-01T00:00:00+00:00")  # after it expires
    with pytest.raises(VerificationError, match=f"belongs to {FINANCE}, not to the sender {NGHE_AN}"):
        nghe_an.verify_incoming(raw, NGHE_AN, message.received_at)
    with pytest.raises(HubError) as refused:
        nghe_an.verify_incoming(raw, FINANCE, "last Monday")  # the hub's answer, not the sender's doing
    assert refused.value.code == "bad_answer"


@pytest.fixture
def other_ca(settings: LazySettings, tmp_path: Path) -> Iterator[tuple[object, object]]:
    """A second trusted CA, configured as an operator would (GOVOFFICE_TRUSTED_CA_FILES)."""
    ca_key, ca_cert = pki.make_ca("Ban Cơ yếu Chính phủ (thử)")
    path = tmp_path / "other-ca.pem"
    path.write_bytes(pki.cert_pem(ca_cert))
    settings.TRUSTED_CA_FILES = [str(path)]
    trusted_cas.cache_clear()
    yield ca_key, ca_cert
    trusted_cas.cache_clear()


def test_a_member_whose_certificate_another_trusted_ca_issued_is_verified(hub: Hub, other_ca, tmp_path: Path) -> None:
    ca_key, ca_cert = other_ca
    key = pki.new_key()
    # Made out without the organisation code in OU: the hub's registry says whose it is.
    cert = pki.issue(ca_key, ca_cert, key.public_key(), "Bộ Tài chính", "")
    enrolment = enroll_member(actor=None, agency=hub.agencies[FINANCE], certificate_pem=pki.cert_pem(cert))
    hub.folders[FINANCE] = write_agent_folder(
        hub.root / FINANCE, agency_code=FINANCE, api_key=enrolment.api_key, key_pem=pki.key_pem(key),
        cert_pem=enrolment.certificate.pem,
    )
    hub.enrol(NGHE_AN)
    _, message = _sent(hub)
    received = hub.client(NGHE_AN).pull(tmp_path)
    assert [(r.message_id, r.verified, r.problem) for r in received] == [(str(message.id), True, "")]
