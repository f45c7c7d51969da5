"""`govoffice hub renew-certificate`: a new key and certificate, the old one superseded, agent.toml rewritten."""

from __future__ import annotations

import datetime as dt
import io
import tomllib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from govoffice.audit.models import Event
from govoffice.exchange.models import Member, Message
from govoffice.exchange.selectors import expiring_certificates
from govoffice.exchange.services.members import enroll_member
from govoffice.exchange.stats import hub_stats
from govoffice.exchange.tests.conftest import Party
from govoffice.lib import pki
from govoffice.signing.models import Certificate

FINANCE = "000.00.00.G12"
OFFICE = "000.00.00.G22"


def hub(*args: str) -> str:
    out = io.StringIO()
    call_command("hub", *args, stdout=out)
    return out.getvalue()


def party(folder: Path) -> Party:
    config = tomllib.loads((folder / "agent.toml").read_text(encoding="utf-8"))
    return Party(
        Member.objects.get(agency__code=config["agency"]).agency, config["api_key"],
        (folder / config["key"]).read_bytes(), (folder / config["certificate"]).read_bytes(),
    )


def test_renewing_gives_a_new_key_and_certificate_and_keeps_the_api_key(agencies, tmp_path, signed, send) -> None:
    folder = tmp_path / "finance"
    hub("enroll", FINANCE, "--out", str(folder))
    hub("enroll", OFFICE, "--out", str(tmp_path / "office"))
    before = party(folder)
    printed = hub("renew-certificate", FINANCE, "--out", str(folder), "--days", "365")
    after = party(folder)
    assert "renewed 000.00.00.G12" in printed and "superseded" in printed
    assert after.api_key == before.api_key
    assert after.key_pem != before.key_pem and after.cert_pem != before.cert_pem
    new = Certificate.objects.get(fingerprint=pki.fingerprint(pki.load_cert(after.cert_pem)))
    assert new.agency.code == FINANCE and new.is_current()
    assert new.not_after - timezone.now() > dt.timedelta(days=364)
    assert send(after, signed(after, [OFFICE], number="1")).status_code == 201
    # The old certificate still verifies until it expires: a message queued before the renewal goes through.
    assert send(before, signed(before, [OFFICE], number="2")).status_code == 201
    assert not list(tmp_path.glob("finance/.*.new"))
    event = Event.objects.get(action="hub.certificate_renewed")
    assert event.data["certificate"] == new.fingerprint and len(event.data["superseded"]) == 1


def test_renewing_with_revoke_old_refuses_the_old_key_at_once(agencies, tmp_path, signed, send) -> None:
    folder = tmp_path / "finance"
    hub("enroll", FINANCE, "--out", str(folder))
    hub("enroll", OFFICE, "--out", str(tmp_path / "office"))
    before = party(folder)
    assert "revoked" in hub("renew-certificate", FINANCE, "--out", str(folder), "--revoke-old")
    response = send(before, signed(before, [OFFICE], number="3"))
    assert response.status_code == 422 and response.json()["error"]["code"] == "certificate_revoked"
    after = party(folder)
    assert send(after, signed(after, [OFFICE], number="4")).status_code == 201


def test_renewing_into_an_empty_folder_issues_a_new_api_key(agencies, tmp_path, client) -> None:
    hub("enroll", FINANCE, "--out", str(tmp_path / "old"))
    hub("renew-certificate", FINANCE, "--out", str(tmp_path / "new"))
    fresh = party(tmp_path / "new")
    assert fresh.api_key != party(tmp_path / "old").api_key
    assert client.get("/api/v1/hub/inbox", HTTP_AUTHORIZATION=f"Bearer {fresh.api_key}").status_code == 200


def test_a_superseded_certificate_is_not_listed_as_expiring(agencies, tmp_path) -> None:
    enroll_member(actor=None, agency=agencies[FINANCE], days=10)
    assert [c.agency.code for c in expiring_certificates(30)] == [FINANCE]
    hub("renew-certificate", FINANCE, "--out", str(tmp_path / "finance"))
    assert expiring_certificates(30) == []
    assert hub_stats()["certificates_expiring"] == []


def test_a_certificate_renewed_for_fewer_days_is_still_listed_when_it_nears_expiry(agencies, tmp_path) -> None:
    enroll_member(actor=None, agency=agencies[FINANCE], days=10)
    hub("renew-certificate", FINANCE, "--out", str(tmp_path / "finance"), "--days", "5")
    listed = expiring_certificates(30)
    assert len(listed) == 1 and listed[0].not_after - timezone.now() < dt.timedelta(days=6)


def test_renewing_a_non_member_is_refused_and_writes_nothing(agencies, tmp_path) -> None:
    with pytest.raises(CommandError, match="not an active member"):
        hub("renew-certificate", FINANCE, "--out", str(tmp_path / "x"))
    assert not (tmp_path / "x" / "agent.toml").exists()
    assert Certificate.objects.count() == 0


def test_a_folder_that_cannot_be_written_leaves_the_certificate_unrenewed(agencies, tmp_path) -> None:
    folder = tmp_path / "finance"
    hub("enroll", FINANCE, "--out", str(folder))
    before = set(Certificate.objects.values_list("fingerprint", flat=True))
    (folder / ".agent.pem.new").mkdir()  # writing the staged certificate fails: a folder is in the way
    with pytest.raises(CommandError, match="not renewed"):
        hub("renew-certificate", FINANCE, "--out", str(folder))
    assert set(Certificate.objects.values_list("fingerprint", flat=True)) == before
    assert not Event.objects.filter(action="hub.certificate_renewed").exists()
    assert Message.objects.count() == 0


def test_a_persons_signing_certificate_neither_hides_nor_is_revoked_with_the_agencys(agencies, tmp_path, make_user) -> None:
    from govoffice.signing.people import issue_signer_key

    enroll_member(actor=None, agency=agencies[FINANCE], days=10)
    minister = make_user("government_member", agency=agencies[FINANCE])
    signer = issue_signer_key(actor=None, user=minister)
    # A newer certificate of the same agency, but a person's: the member still has its own to renew.
    assert [c.agency.code for c in expiring_certificates(30)] == [FINANCE]
    hub("renew-certificate", FINANCE, "--out", str(tmp_path / "finance"), "--revoke-old")
    signer.certificate.refresh_from_db()
    assert signer.certificate.revoked_at is None
    assert expiring_certificates(30) == []
