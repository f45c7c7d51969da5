"""govoffice hub enroll CODE --out DIR | revoke CODE | revoke-certificate FINGERPRINT | members | stats

In an agency's own office (GOVOFFICE_HUB_URL set): send-remote FILE | pull-remote."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from govoffice.directory.services import get_agency
from govoffice.exchange.remote import pull_remote, send_remote
from govoffice.exchange.selectors import members
from govoffice.exchange.services.members import enroll_member, revoke_member
from govoffice.exchange.stats import hub_stats
from govoffice.lib import pki
from govoffice.lib.errors import DomainError
from govoffice.signing.models import Certificate
from govoffice.signing.services import hub_identity, platform_ca, revoke_certificate


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_agent_folder(out: Path, *, agency_code: str, api_key: str, key_pem: bytes | None, cert_pem: str) -> Path:
    """DIR/agent.toml and the PEM files the agent needs; the private key readable by its owner only."""
    out.mkdir(parents=True, exist_ok=True)
    os.chmod(out, 0o700)
    if key_pem is not None:
        fd = os.open(out / "agent.key", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key_pem)
    (out / "agent.pem").write_text(cert_pem)
    (out / "hub.pem").write_bytes(pki.cert_pem(hub_identity().cert))
    (out / "ca.pem").write_bytes(pki.cert_pem(platform_ca().cert))
    config = out / "agent.toml"
    lines = [
        "# govoffice-agent configuration, written by `govoffice hub enroll`. Keep it secret.",
        f"hub_url = {_toml_string(settings.PUBLIC_URL)}",
        f"agency = {_toml_string(agency_code)}",
        f"api_key = {_toml_string(api_key)}",
        'key = "agent.key"',
        'certificate = "agent.pem"',
        'hub_certificate = "hub.pem"',
        'ca_certificate = "ca.pem"',
    ]
    fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    return config


class Command(BaseCommand):
    help = "Run the national document hub: enrol and revoke members, list them, print its figures."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        enroll = sub.add_parser("enroll", help="make an agency a member; writes DIR/agent.toml for its agent")
        enroll.add_argument("code")
        enroll.add_argument("--out", required=True, help="folder for agent.toml, keys and certificates")
        enroll.add_argument("--push-url", default="", help="deliver by POSTing here instead of waiting for pulls")
        enroll.add_argument("--certificate", help="a PEM certificate the agency brings (must chain to a trusted CA)")
        enroll.add_argument("--days", type=int, default=730, help="validity of an issued certificate")
        revoke = sub.add_parser("revoke", help="take an agency off the hub at once")
        revoke.add_argument("code")
        revoke.add_argument("--reason", default="")
        rc = sub.add_parser("revoke-certificate", help="revoke a certificate at once")
        rc.add_argument("fingerprint")
        rc.add_argument("--reason", default="")
        sub.add_parser("members", help="list members: code, delivery, active")
        st = sub.add_parser("stats", help="the operators' figures as JSON")
        st.add_argument("--days", type=int, default=30)
        sr = sub.add_parser("send-remote", help="an office's edXML file to the remote hub (GOVOFFICE_HUB_URL); signed if it is not")
        sr.add_argument("file")
        sr.add_argument("--idempotency-key", default=None)
        pr = sub.add_parser("pull-remote", help="fetch, verify and register what waits for this office on the remote hub")
        pr.add_argument("--limit", type=int, default=100, help="messages leased per request")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, "_" + opts["action"].replace("-", "_"))(opts)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _enroll(self, opts: dict[str, Any]) -> None:
        agency = get_agency(opts["code"])
        brought = None
        if opts["certificate"]:
            try:
                brought = Path(opts["certificate"]).read_bytes()
            except OSError as exc:
                raise CommandError(f"{opts['certificate']}: {exc.strerror}") from exc
        enrolment = enroll_member(actor=None, agency=agency, push_url=opts["push_url"], certificate_pem=brought, days=opts["days"])
        config = write_agent_folder(
            Path(opts["out"]), agency_code=agency.code, api_key=enrolment.api_key,
            key_pem=enrolment.private_key_pem, cert_pem=enrolment.certificate.pem,
        )
        self.stdout.write(f"enrolled {agency.code}; agent configuration in {config}")

    def _revoke(self, opts: dict[str, Any]) -> None:
        revoke_member(actor=None, agency=get_agency(opts["code"]), reason=opts["reason"])
        self.stdout.write(f"revoked {opts['code']}")

    def _revoke_certificate(self, opts: dict[str, Any]) -> None:
        row = Certificate.objects.filter(fingerprint=opts["fingerprint"].lower()).first()
        if row is None:
            raise CommandError(f"no certificate has the fingerprint {opts['fingerprint']}")
        revoke_certificate(actor=None, certificate=row, reason=opts["reason"])
        self.stdout.write(f"revoked certificate {row.fingerprint}")

    def _members(self, opts: dict[str, Any]) -> None:
        for m in members():
            self.stdout.write(f"{m.agency.code}\t{'push' if m.push_url else 'pull'}\t{'active' if m.active else 'revoked'}\t{m.agency.name_vi}")

    def _stats(self, opts: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(hub_stats(opts["days"]), ensure_ascii=False, indent=2))

    def _send_remote(self, opts: dict[str, Any]) -> None:
        try:
            raw = Path(opts["file"]).read_bytes()
        except OSError as exc:
            raise CommandError(f"{opts['file']}: {exc.strerror}") from exc
        sent = send_remote(raw, idempotency_key=opts["idempotency_key"])
        what = "accepted" if sent.created else "already there (nothing sent again)"
        self.stdout.write(f"{sent.kind} {sent.document_id} sent to {settings.HUB_URL}: message {sent.message_id}, {what}")

    def _pull_remote(self, opts: dict[str, Any]) -> None:
        if not 1 <= opts["limit"] <= 1000:
            raise CommandError("--limit runs from 1 to 1000")
        report = pull_remote(limit=opts["limit"])
        self.stdout.write(f"pulled from {settings.HUB_URL}: {report.summary()}")
        for remote_id, problem in report.rejected:
            self.stdout.write(f"rejected {remote_id}: {problem}")
