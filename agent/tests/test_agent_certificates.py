"""Whose certificate, and valid when: the agent checks a received message's signer locally (the
platform CA, the OU), against the hub's record (whose, not revoked), and judges its validity
dates at the moment the hub's signed receipt says it accepted the message."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import LazySettings
from govoffice_agent import edxml
from govoffice_agent.client import HubClient, HubError, VerificationError

from govoffice.exchange.management.commands.hub import write_agent_folder
from govoffice.exchange.models import Delivery, DeliveryState, Message
from govoffice.exchange.services.members import enroll_member
from govoffice.lib import pki
from govoffice.signing.models import Certificate
from govoffice.signing.services import (
    PLATFORM_CA_NAME,
    platform_ca,
    revoke_certificate,
    trusted_cas,
)

from .conftest import FINANCE, NGHE_AN, Hub, document


def _sent(hub: Hub, number: str = "123") -> tuple[bytes, Message]:
    finance = hub.client(FINANCE)
    raw = finance.sign(edxml.build_message(document(FINANCE, [NGHE_AN], number=number)))
    answer = finance.send_bytes(raw)
    return raw, Message.objects.get(id=str(answer["message_id"]))


def _receipt(message: Message) -> tuple[str, str]:
    return message.receipt, message.receipt_signature


def _enrol_finance_with(hub: Hub, ca_key: Any, ca_cert: Any, *, days: int = 730, not_before: dt.datetime | None = None) -> None:
    """The Ministry of Finance enrols with a key of its own and a certificate from `ca_cert`."""
    assert isinstance(ca_key, rsa.RSAPrivateKey)
    key = pki.new_key()
    cert = pki.issue(ca_key, ca_cert, key.public_key(), "Bộ Tài chính", FINANCE, days=days, not_before=not_before)
    enrolment = enroll_member(actor=None, agency=hub.agencies[FINANCE], certificate_pem=pki.cert_pem(cert))
    hub.folders[FINANCE] = write_agent_folder(
        hub.root / FINANCE, agency_code=FINANCE, api_key=enrolment.api_key, key_pem=pki.key_pem(key),
        cert_pem=enrolment.certificate.pem,
    )
    hub.enrol(NGHE_AN)


def test_a_document_accepted_before_its_signers_certificate_expired_is_still_taken(hub: Hub, tmp_path: Path) -> None:
    # Finance's certificate runs out eight seconds from now; its document is accepted before that.
    ca = platform_ca()
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1) + dt.timedelta(seconds=8)
    _enrol_finance_with(hub, ca.key, ca.cert, days=1, not_before=start)
    raw, message = _sent(hub)
    time.sleep(max(0.0, (start + dt.timedelta(days=1) - dt.datetime.now(dt.UTC)).total_seconds()) + 0.5)
    nghe_an = hub.client(NGHE_AN)
    with pytest.raises(VerificationError, match="not valid when the hub accepted"):
        nghe_an.verify_incoming(raw, FINANCE)  # without the receipt it is judged now: expired
    received = nghe_an.pull(tmp_path)  # the pull has the receipt: judged when the hub accepted it
    assert [(r.message_id, r.verified, r.problem) for r in received] == [(str(message.id), True, "")]
    assert not Message.objects.filter(kind="status", status_code="02").exists()  # not returned


def test_a_revoked_certificate_is_refused_even_for_a_document_accepted_before(members: Hub, tmp_path: Path) -> None:
    _, message = _sent(members)
    # The ministry's key is lost over the weekend: what was signed with it is not taken any more.
    revoke_certificate(actor=None, certificate=Certificate.objects.get(agency__code=FINANCE), reason="key lost")
    received = members.client(NGHE_AN).pull(tmp_path)
    assert [(r.verified, r.problem) for r in received] == [(False, "the signer's certificate is revoked")]
    assert Message.objects.get(kind="status", status_code="02").about_id == message.id
    assert Delivery.objects.get(message=message).state == DeliveryState.ACKED


def test_a_receipt_that_is_not_the_hubs_for_this_message_and_agency_is_the_hubs_fault(members: Hub) -> None:
    raw, message = _sent(members)
    other_raw, other = _sent(members, number="124")
    body, signature = _receipt(message)
    nghe_an = members.client(NGHE_AN)
    cases: dict[str, list[tuple[bytes, tuple[str, str], str | None]]] = {
        "missing or does not verify": [(raw, ("", ""), None), (raw, (body, "Zm9yZ2Vk"), None)],  # not signed with hub.pem
        "other bytes": [(other_raw, (body, signature), None)],  # a genuine receipt, for another message's bytes
        f"not {other.id}": [(raw, (body, signature), str(other.id))],  # relisted under another message's id
    }
    for why, calls in cases.items():
        for data, receipt, listed_id in calls:
            with pytest.raises(HubError) as refused:
                nghe_an.verify_incoming(data, FINANCE, receipt, listed_id)
            assert refused.value.code == "bad_receipt" and why in refused.value.message
    # A genuine receipt handed to an agency it does not name (a message for another recipient).
    finance = members.client(FINANCE)
    with pytest.raises(HubError, match=r"does not name 000\.00\.00\.G12 among the recipients"):
        finance.verify_incoming(raw, FINANCE, (body, signature), str(message.id))


def test_the_certificate_must_be_the_one_the_hub_has_for_the_sender(members: Hub) -> None:
    raw, message = _sent(members)
    nghe_an = members.client(NGHE_AN)
    assert nghe_an.verify_incoming(raw, FINANCE, _receipt(message)) is not None
    with pytest.raises(VerificationError, match=f"belongs to \\['{FINANCE}'\\], not to the sender {NGHE_AN}"):
        nghe_an.verify_incoming(raw, NGHE_AN, _receipt(message))
    Certificate.objects.filter(agency__code=FINANCE).delete()  # the hub has no record of it
    with pytest.raises(VerificationError, match="not one the hub registered"):
        HubClient(nghe_an.config, timeout=60).verify_incoming(raw, FINANCE, _receipt(message))


@pytest.fixture
def other_ca(settings: LazySettings, tmp_path: Path) -> Iterator[Any]:
    """Configure a second trusted CA as an operator would (GOVOFFICE_TRUSTED_CA_FILES)."""

    def trust(name: str) -> tuple[Any, Any]:
        ca_key, ca_cert = pki.make_ca(name)
        path = tmp_path / "other-ca.pem"
        path.write_bytes(pki.cert_pem(ca_cert))
        settings.TRUSTED_CA_FILES = [str(path)]
        trusted_cas.cache_clear()
        return ca_key, ca_cert

    yield trust
    trusted_cas.cache_clear()


def test_a_member_whose_certificate_another_trusted_ca_issued_is_taken_on_the_hubs_receipt(hub: Hub, other_ca, tmp_path: Path) -> None:
    _enrol_finance_with(hub, *other_ca("Ban Cơ yếu Chính phủ (thử)"))
    raw, message = _sent(hub)
    nghe_an = hub.client(NGHE_AN)
    # Not the platform CA's: only the hub's signed receipt for the message vouches for it.
    with pytest.raises(VerificationError, match="only with the hub's receipt"):
        nghe_an.verify_incoming(raw, FINANCE)
    assert nghe_an.verify_incoming(raw, FINANCE, _receipt(message), str(message.id)) is not None
    received = nghe_an.pull(tmp_path)
    assert [(r.message_id, r.verified, r.problem) for r in received] == [(str(message.id), True, "")]


def test_a_certificate_that_claims_the_platform_ca_but_is_not_signed_by_it_is_refused(hub: Hub, other_ca, tmp_path: Path) -> None:
    # A trusted CA whose name is the platform CA's: the hub registers its certificate, but the
    # agent checks the chain to ca.pem itself, whatever the hub's record and receipt say.
    _enrol_finance_with(hub, *other_ca(PLATFORM_CA_NAME))
    _, message = _sent(hub)
    received = hub.client(NGHE_AN).pull(tmp_path)
    assert [(r.verified, r.problem) for r in received] == [(False, "the signer's certificate is not from the hub's CA")]
    assert Message.objects.get(kind="status", status_code="02").about_id == message.id
