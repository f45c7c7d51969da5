"""Enrolment: `govoffice hub enroll` makes a member and its agent folder; revoking takes effect at once."""

from __future__ import annotations

import dataclasses
import io
import json
import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from govoffice.exchange.models import Member, Message
from govoffice.exchange.tests.conftest import Party
from govoffice.lib import pki
from govoffice.signing.models import Certificate
from govoffice.signing.services import platform_ca

FINANCE = "000.00.00.G12"
OFFICE = "000.00.00.G22"


def hub(*args: str) -> str:
    out = io.StringIO()
    call_command("hub", *args, stdout=out)
    return out.getvalue()


def enrol(code: str, folder: Path, *extra: str) -> Party:
    hub("enroll", code, "--out", str(folder), *extra)
    config = tomllib.loads((folder / "agent.toml").read_text(encoding="utf-8"))
    key = folder / config["key"]
    return Party(
        Member.objects.get(agency__code=code).agency,
        config["api_key"],
        key.read_bytes() if key.exists() else b"",
        (folder / config["certificate"]).read_bytes(),
    )


def test_enrolling_writes_an_agent_folder_that_works(client, agencies, tmp_path, signed, send) -> None:
    folder = tmp_path / "agent"
    printed = hub("enroll", FINANCE, "--out", str(folder))
    assert FINANCE in printed
    config = tomllib.loads((folder / "agent.toml").read_text(encoding="utf-8"))
    assert config["hub_url"] == settings.PUBLIC_URL
    assert config["agency"] == FINANCE
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {config['api_key']}")
    assert me.status_code == 200 and me.json()["agency_code"] == FINANCE
    key = folder / config["key"]
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE((folder / "agent.toml").stat().st_mode) == 0o600
    for name in ("certificate", "hub_certificate", "ca_certificate"):
        assert pki.load_cert((folder / config[name]).read_bytes())
    cert = pki.load_cert((folder / config["certificate"]).read_bytes())
    assert pki.issued_by(cert, pki.load_cert((folder / config["ca_certificate"]).read_bytes()))
    assert Certificate.objects.get(fingerprint=pki.fingerprint(cert)).agency.code == FINANCE
    # The key and certificate sign messages the hub accepts.
    hub("enroll", OFFICE, "--out", str(tmp_path / "office"))
    finance = enrol_party(folder)
    response = send(finance, signed(finance, [OFFICE]))
    assert response.status_code == 201, response.json()


def enrol_party(folder: Path) -> Party:
    config = tomllib.loads((folder / "agent.toml").read_text(encoding="utf-8"))
    return Party(
        Member.objects.get(agency__code=config["agency"]).agency,
        config["api_key"],
        (folder / config["key"]).read_bytes(),
        (folder / config["certificate"]).read_bytes(),
    )


def test_enrolling_twice_is_refused(agencies, tmp_path) -> None:
    hub("enroll", FINANCE, "--out", str(tmp_path / "a"))
    with pytest.raises(CommandError, match="already a member"):
        hub("enroll", FINANCE, "--out", str(tmp_path / "b"))
    assert Certificate.objects.filter(agency__code=FINANCE).count() == 1
    assert not (tmp_path / "b").exists()


def test_enrolling_an_unknown_agency_is_refused(agencies, tmp_path) -> None:
    with pytest.raises(CommandError):
        hub("enroll", "000.00.00.G98", "--out", str(tmp_path / "x"))
    assert not Member.objects.exists()


def test_revoking_a_member_takes_effect_at_once(client, agencies, tmp_path, signed, send) -> None:
    finance = enrol(FINANCE, tmp_path / "finance")
    office = enrol(OFFICE, tmp_path / "office")
    assert client.get("/api/v1/hub/inbox", **office.headers()).status_code == 200
    assert client.get("/api/v1/hub/members", **office.headers()).status_code == 200
    assert "revoked" in hub("revoke", OFFICE, "--reason", "ngừng kết nối")
    for path in ("/api/v1/hub/inbox", "/api/v1/hub/members"):  # the member list too: deny by default
        refused = client.get(path, **office.headers())
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "not_a_member"
    response = send(finance, signed(finance, [OFFICE]))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unknown_recipient"
    assert not Message.objects.exists()
    with pytest.raises(CommandError, match="not an active member"):
        hub("revoke", OFFICE)


def test_a_revoked_member_can_be_enrolled_again(client, agencies, tmp_path) -> None:
    enrol(OFFICE, tmp_path / "first")
    hub("revoke", OFFICE)
    again = enrol(OFFICE, tmp_path / "second")
    assert client.get("/api/v1/hub/inbox", **again.headers()).status_code == 200


def test_enrolled_again_a_member_does_not_get_its_former_key_and_certificate_back(client, agencies, tmp_path, signed, send) -> None:
    """A member is revoked because its key leaked, say: the enrolment after it must not revive it."""
    first = enrol(FINANCE, tmp_path / "first")
    enrol(OFFICE, tmp_path / "office")
    hub("revoke", FINANCE)
    again = enrol(FINANCE, tmp_path / "second")
    assert client.get("/api/v1/hub/inbox", **first.headers()).status_code == 401
    assert client.get("/api/v1/hub/inbox", **again.headers()).status_code == 200
    # A message signed with the former key, sent with the new API key: its certificate is revoked.
    old_signer = dataclasses.replace(again, key_pem=first.key_pem, cert_pem=first.cert_pem)
    response = send(old_signer, signed(old_signer, [OFFICE], number="3"))
    assert response.status_code == 422 and response.json()["error"]["code"] == "certificate_revoked"
    assert send(again, signed(again, [OFFICE], number="4")).status_code == 201


def test_a_revoked_certificate_is_refused_on_the_next_message(agencies, tmp_path, signed, send) -> None:
    finance = enrol(FINANCE, tmp_path / "finance")
    enrol(OFFICE, tmp_path / "office")
    assert send(finance, signed(finance, [OFFICE], number="1")).status_code == 201
    fingerprint = pki.fingerprint(pki.load_cert(finance.cert_pem))
    assert fingerprint in hub("revoke-certificate", fingerprint, "--reason", "lộ khóa")
    response = send(finance, signed(finance, [OFFICE], number="2"))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "certificate_revoked"
    assert Message.objects.count() == 1
    with pytest.raises(CommandError):
        hub("revoke-certificate", "0" * 64)


def own_key_certificate(tmp_path: Path, code: str, name: str, issuer: Any = None) -> tuple[Path, bytes]:
    """A key the agency makes itself and a certificate for it, by the platform CA unless told otherwise."""
    key = pki.new_key()
    ca_key, ca_cert = issuer or (platform_ca().key, platform_ca().cert)
    assert isinstance(ca_key, rsa.RSAPrivateKey)
    cert = pki.issue(ca_key, ca_cert, key.public_key(), name, code)
    path = tmp_path / "own.pem"
    path.write_bytes(pki.cert_pem(cert))
    return path, pki.key_pem(key)


def test_a_certificate_the_agency_brings_is_registered_if_the_platform_ca_issued_it(agencies, tmp_path, signed, send) -> None:
    path, key_pem = own_key_certificate(tmp_path, FINANCE, "Bộ Tài chính")
    folder = tmp_path / "finance"
    hub("enroll", FINANCE, "--out", str(folder), "--certificate", str(path))
    assert not (folder / "agent.key").exists()  # the hub never had the agency's key
    assert (folder / "agent.pem").read_bytes() == path.read_bytes()
    row = Certificate.objects.get(agency__code=FINANCE)
    assert row.issued_by_platform is False
    (folder / "agent.key").write_bytes(key_pem)
    enrol(OFFICE, tmp_path / "office")
    finance = enrol_party(folder)
    response = send(finance, signed(finance, [OFFICE]))
    assert response.status_code == 201, response.json()


def test_a_certificate_from_an_untrusted_ca_is_refused(agencies, tmp_path) -> None:
    path, _ = own_key_certificate(tmp_path, FINANCE, "Bộ Tài chính", issuer=pki.make_ca("Tự ký"))
    with pytest.raises(CommandError, match="trusted CA"):
        hub("enroll", FINANCE, "--out", str(tmp_path / "finance"), "--certificate", str(path))
    assert not Member.objects.exists() and not Certificate.objects.exists()


def test_a_self_signed_certificate_is_refused(agencies, tmp_path) -> None:
    _, cert = pki.make_ca("Bộ Tài chính")
    path = tmp_path / "self.pem"
    path.write_bytes(pki.cert_pem(cert))
    with pytest.raises(CommandError, match="trusted CA"):
        hub("enroll", FINANCE, "--out", str(tmp_path / "finance"), "--certificate", str(path))
    assert not Member.objects.exists()


def test_a_certificate_made_out_to_another_agency_is_refused(agencies, tmp_path) -> None:
    path, _ = own_key_certificate(tmp_path, OFFICE, "Văn phòng Chính phủ")
    with pytest.raises(CommandError, match=OFFICE):
        hub("enroll", FINANCE, "--out", str(tmp_path / "finance"), "--certificate", str(path))
    assert not Member.objects.exists() and not Certificate.objects.exists()


def test_a_missing_certificate_file_is_a_clear_error(agencies, tmp_path) -> None:
    with pytest.raises(CommandError, match=r"missing\.pem"):
        hub("enroll", FINANCE, "--out", str(tmp_path / "finance"), "--certificate", str(tmp_path / "missing.pem"))


def test_members_and_stats_print(agencies, tmp_path) -> None:
    enrol(FINANCE, tmp_path / "finance")
    enrol(OFFICE, tmp_path / "office")
    hub("revoke", OFFICE)
    lines = hub("members").splitlines()
    assert [line.split("\t")[:3] for line in lines] == [[FINANCE, "pull", "active"], [OFFICE, "pull", "revoked"]]
    figures = json.loads(hub("stats", "--days", "7"))
    assert figures["members"] == {"active": 1, "connected": 0, "total": 2}
    assert figures["paper_saved_vnd"] == 0


def test_an_enrolled_member_can_use_the_hub_through_a_clerk_session(agencies, tmp_path, make_user) -> None:
    from govoffice.directory.models import Role

    enrol(FINANCE, tmp_path / "finance")
    clerk = make_user(Role.CLERK, agency=agencies[FINANCE])
    browser = Client()
    browser.force_login(clerk)
    assert browser.get("/api/v1/hub/inbox").status_code == 200


def test_an_enrolment_whose_folder_cannot_be_written_enrols_nothing(agencies, tmp_path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(CommandError, match="was not enrolled"):
        hub("enroll", FINANCE, "--out", str(blocked / "agent"))
    assert not Member.objects.filter(agency__code=FINANCE).exists()
    assert Certificate.objects.count() == 0
    from govoffice.directory.models import ApiKey

    assert not ApiKey.objects.filter(agency__code=FINANCE).exists()


def test_an_enrolment_that_fails_half_way_through_its_files_leaves_none_behind(agencies, tmp_path) -> None:
    folder = tmp_path / "agent"
    folder.mkdir()
    (folder / ".agent.toml.new").mkdir()  # the last file staged cannot be written
    with pytest.raises(CommandError, match="was not enrolled"):
        hub("enroll", FINANCE, "--out", str(folder))
    assert not Member.objects.filter(agency__code=FINANCE).exists()
    assert sorted(p.name for p in folder.iterdir()) == [".agent.toml.new"]
    hub("enroll", FINANCE, "--out", str(tmp_path / "elsewhere"))  # and it can be enrolled afterwards
    assert Member.objects.filter(agency__code=FINANCE, active=True).exists()


@pytest.mark.parametrize("url", ["htp:/typo", "ftp://files.example.vn/hub", "http://" + "a" * 300 + ".vn/hub"])
def test_a_push_address_the_hub_cannot_post_to_is_refused_and_nothing_is_made(agencies, tmp_path, url) -> None:
    with pytest.raises(CommandError, match=r"push address|is not an http"):
        hub("enroll", FINANCE, "--out", str(tmp_path / "agent"), "--push-url", url)
    assert not Member.objects.filter(agency__code=FINANCE).exists()
    assert not (tmp_path / "agent" / "agent.toml").exists()


def test_a_push_address_is_checked_when_it_changes_too(agencies, tmp_path) -> None:
    from govoffice.exchange.services.members import set_push_url
    from govoffice.lib.errors import DomainError

    enrol(FINANCE, tmp_path / "agent")
    with pytest.raises(DomainError) as refused:
        set_push_url(actor=None, agency=agencies[FINANCE], push_url="javascript:alert(1)")
    assert refused.value.code == "invalid_push_url" and refused.value.field == "push_url"
    assert Member.objects.get(agency__code=FINANCE).push_url == ""
