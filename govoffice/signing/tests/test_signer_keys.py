"""A person's signing key and certificate: issued by the platform CA, the key encrypted at rest
under a key derived from SECRET_KEY, superseded keys revoked, `govoffice signer issue USERNAME`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from govoffice.audit.models import Event
from govoffice.directory.models import Role
from govoffice.lib import pki
from govoffice.lib.errors import DomainError
from govoffice.signing.models import Certificate, SignerKey
from govoffice.signing.people import (
    current_key,
    issue_signer_key,
    reencrypt_all,
    revoke_signer_keys,
    signer_identity,
)
from govoffice.signing.services import platform_ca

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(make_user):
    return make_user(Role.GOVERNMENT_LEADER, username="thutuong", full_name="Vũ Đức Thắng", position="Thủ tướng Chính phủ")


def test_a_leader_gets_a_certificate_from_the_platform_ca_with_their_name(leader) -> None:
    row = issue_signer_key(actor=None, user=leader)
    cert = pki.load_cert(row.certificate.pem.encode())
    assert pki.issued_by(cert, platform_ca().cert)
    assert cert.subject.rfc4514_string() == "OU=000.00.00.G22,CN=Vũ Đức Thắng,C=VN"
    assert row.certificate.agency == leader.agency and row.certificate.issued_by_platform
    assert Event.objects.filter(action="signing.signer_key_issued", object_id=str(row.pk)).exists()


def test_the_key_is_kept_encrypted_and_opens_to_the_certificates_pair(leader) -> None:
    row = issue_signer_key(actor=None, user=leader)
    stored = SignerKey.objects.values_list("encrypted_key", flat=True).get(pk=row.pk)
    assert "PRIVATE KEY" not in stored and not stored.startswith("-----")
    identity = signer_identity(leader)
    data = "Quyết định số 01/QĐ-TTg".encode()
    assert pki.verify_bytes(identity.cert, pki.sign_bytes(identity.key, data), data)


def test_another_secret_key_cannot_open_it(leader, settings) -> None:
    issue_signer_key(actor=None, user=leader)
    settings.SECRET_KEY = "a-completely-different-secret-key-for-this-test-0123456789"
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(DomainError) as err:
        signer_identity(leader)
    assert err.value.code == "signing_key_unreadable"


def test_after_a_secret_key_rotation_the_fallback_opens_it_and_reencrypting_moves_it_over(leader, settings) -> None:
    issue_signer_key(actor=None, user=leader)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "the-new-secret-key-after-rotation-0123456789-abcdefghijkl"
    settings.SECRET_KEY_FALLBACKS = [old]
    assert signer_identity(leader).cert is not None
    assert reencrypt_all() == 1
    settings.SECRET_KEY_FALLBACKS = []
    assert signer_identity(leader).cert is not None


def test_a_new_key_revokes_the_one_before(leader) -> None:
    first = issue_signer_key(actor=None, user=leader)
    second = issue_signer_key(actor=None, user=leader)
    first.certificate.refresh_from_db()
    assert first.certificate.revoked_at is not None and first.certificate.revocation_reason == "superseded"
    assert current_key(leader) == second


def test_without_a_current_key_signing_is_a_conflict_that_says_what_to_do(leader) -> None:
    with pytest.raises(DomainError) as err:
        signer_identity(leader)
    assert err.value.status == 409 and "govoffice signer issue thutuong" in err.value.message
    issue_signer_key(actor=None, user=leader)
    assert revoke_signer_keys(actor=None, user=leader, reason="mất thiết bị") == 1
    with pytest.raises(DomainError):
        signer_identity(leader)


def test_a_person_without_an_agency_gets_no_certificate(db) -> None:
    from govoffice.directory.services import create_user

    loner = create_user(actor=None, username="loner", password="Mật-khẩu-thử-2026", agency=None)
    before = (SignerKey.objects.count(), Certificate.objects.count(), Event.objects.count())
    with pytest.raises(DomainError) as err:
        issue_signer_key(actor=None, user=loner)
    assert err.value.code == "no_agency"
    assert (SignerKey.objects.count(), Certificate.objects.count(), Event.objects.count()) == before


def test_the_command_issues_lists_and_revokes(leader) -> None:
    out = StringIO()
    call_command("signer", "issue", "thutuong", "--days", "365", stdout=out)
    assert out.getvalue().startswith("issued ") and "thutuong" in out.getvalue()
    out = StringIO()
    call_command("signer", "list", stdout=out)
    assert out.getvalue().startswith("thutuong\t") and "valid until" in out.getvalue()
    out = StringIO()
    call_command("signer", "revoke", "thutuong", stdout=out)
    assert "revoked 1" in out.getvalue() and current_key(leader) is None


def test_the_command_says_when_the_person_does_not_exist(db) -> None:
    with pytest.raises(CommandError, match="no person has the username nobody"):
        call_command("signer", "issue", "nobody")
