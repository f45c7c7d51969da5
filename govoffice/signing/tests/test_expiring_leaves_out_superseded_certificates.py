"""`signing.services.expiring()` lists what still needs renewing: a certificate already replaced by
a newer current one (the rule of the hub's `expiring_certificates`) is left out."""

from __future__ import annotations

import pytest

from govoffice.directory.models import Agency, Role
from govoffice.exchange.selectors import expiring_certificates
from govoffice.signing.people import issue_signer_key
from govoffice.signing.services import expiring, issue_certificate, revoke_certificate

pytestmark = pytest.mark.django_db


def test_a_certificate_about_to_expire_is_listed_while_nothing_replaces_it(ministry: Agency) -> None:
    old, _ = issue_certificate(actor=None, agency=ministry, days=10)
    assert expiring(30) == [old]


def test_a_renewed_agencys_old_certificate_is_no_longer_listed(ministry: Agency) -> None:
    old, _ = issue_certificate(actor=None, agency=ministry, days=10)
    issue_certificate(actor=None, agency=ministry, days=730)
    assert old not in expiring(30)
    assert expiring(30) == expiring_certificates(30)


def test_a_newer_certificate_that_expires_soon_too_is_listed_in_its_place(ministry: Agency) -> None:
    old, _ = issue_certificate(actor=None, agency=ministry, days=10)
    new, _ = issue_certificate(actor=None, agency=ministry, days=20)
    assert expiring(30) == [new]
    assert old.pk not in {row.pk for row in expiring(30)}


def test_a_revoked_newer_certificate_does_not_supersede_the_old_one(ministry: Agency) -> None:
    old, _ = issue_certificate(actor=None, agency=ministry, days=10)
    new, _ = issue_certificate(actor=None, agency=ministry, days=730)
    revoke_certificate(actor=None, certificate=new, reason="key compromised")
    assert expiring(30) == [old]


def test_another_agencys_certificate_does_not_supersede_it(ministry: Agency, office: Agency) -> None:
    old, _ = issue_certificate(actor=None, agency=ministry, days=10)
    issue_certificate(actor=None, agency=office, days=730)
    assert expiring(30) == [old]


def test_a_persons_signing_certificate_does_not_supersede_their_agencys_certificate(office: Agency, make_user) -> None:
    hub_cert, _ = issue_certificate(actor=None, agency=office, days=10)
    issue_signer_key(actor=None, user=make_user(Role.GOVERNMENT_LEADER, username="thutuong"), days=730)
    assert expiring(30) == [hub_cert]


def test_a_persons_expiring_signing_certificate_is_listed_until_they_get_a_new_one(office: Agency, make_user) -> None:
    leader = make_user(Role.GOVERNMENT_LEADER, username="thutuong")
    first = issue_signer_key(actor=None, user=leader, days=10).certificate
    assert expiring(30) == [first]
    issue_signer_key(actor=None, user=leader, days=730)
    assert expiring(30) == []
