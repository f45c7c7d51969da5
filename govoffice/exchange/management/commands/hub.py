"""govoffice hub enroll CODE --out DIR | renew-certificate CODE --out DIR | revoke CODE |
revoke-certificate FINGERPRINT | members | stats

In an agency's own office (GOVOFFICE_HUB_URL set): send-remote FILE | pull-remote."""

from __future__ import annotations

import contextlib
import json
import os
import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from govoffice.apiauth import authenticate_key
from govoffice.directory.models import Agency
from govoffice.directory.services import get_agency, issue_api_key
from govoffice.exchange.remote import pull_remote, send_remote
from govoffice.exchange.selectors import members
from govoffice.exchange.services.members import enroll_member, renew_certificate, revoke_member
from govoffice.exchange.stats import hub_stats
from govoffice.lib import pki
from govoffice.lib.errors import DomainError
from govoffice.signing.models import Certificate
from govoffice.signing.services import hub_identity, platform_ca, revoke_certificate


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _agent_toml(hub_url: str, agency_code: str, api_key: str) -> str:
    lines = [
        "# govoffice-agent configuration, written by `govoffice hub enroll`. Keep it secret.",
        f"hub_url = {_toml_string(hub_url)}",
        f"agency = {_toml_string(agency_code)}",
        f"api_key = {_toml_string(api_key)}",
        'key = "agent.key"',
        'certificate = "agent.pem"',
        'hub_certificate = "hub.pem"',
        'ca_certificate = "ca.pem"',
    ]
    return "\n".join(lines) + "\n"


class StagedFolder:
    """An agent folder's files written beside their final names, put in place by `publish`.

    Writing is what fails (no space, no permission, a file where the folder should be), so it
    happens inside the enrolment's transaction: an OSError undoes the enrolment. `publish` is
    renames only, done once the transaction has committed.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.staged: list[tuple[Path, Path]] = []

    def write(self, name: str, data: bytes, mode: int = 0o644) -> None:
        final = self.out / name
        temp = self.out / f".{name}.new"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        self.staged.append((temp, final))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())

    def discard(self) -> None:
        for temp, _ in self.staged:
            with contextlib.suppress(OSError):
                temp.unlink()
        self.staged = []

    def publish(self) -> Path:
        for temp, final in self.staged:
            os.replace(temp, final)
        self.staged = []
        return self.out / "agent.toml"


def stage_agent_folder(out: Path, *, agency_code: str, api_key: str, key_pem: bytes | None, cert_pem: str) -> StagedFolder:
    """Write DIR/agent.toml and the PEM files the agent needs (staged; the private key owner-only)."""
    out.mkdir(parents=True, exist_ok=True)
    os.chmod(out, 0o700)
    staged = StagedFolder(out)
    try:
        if key_pem is not None:
            staged.write("agent.key", key_pem, 0o600)
        staged.write("agent.pem", cert_pem.encode("ascii"))
        staged.write("hub.pem", pki.cert_pem(hub_identity().cert))
        staged.write("ca.pem", pki.cert_pem(platform_ca().cert))
        staged.write("agent.toml", _agent_toml(settings.PUBLIC_URL, agency_code, api_key).encode("utf-8"), 0o600)
    except BaseException:
        staged.discard()
        raise
    return staged


def write_agent_folder(out: Path, *, agency_code: str, api_key: str, key_pem: bytes | None, cert_pem: str) -> Path:
    """DIR/agent.toml and the PEM files the agent needs; the private key readable by its owner only."""
    return stage_agent_folder(out, agency_code=agency_code, api_key=api_key, key_pem=key_pem, cert_pem=cert_pem).publish()


def _api_key_in(folder: Path) -> str | None:
    """The API key an existing agent.toml holds (the hub keeps only its hash)."""
    try:
        with (folder / "agent.toml").open("rb") as fh:
            value = tomllib.load(fh).get("api_key")
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return value if isinstance(value, str) and value else None


def _publish(staged: StagedFolder) -> Path:
    try:
        return staged.publish()
    except OSError as exc:  # renames in a folder just written to: next to impossible, but say so
        raise CommandError(f"done, but the files staged in {staged.out} (.*.new) could not be put in place: {exc}") from exc


def _key_belongs_to(raw: str, agency: Agency) -> bool:
    key = authenticate_key(raw)
    return key is not None and key.agency_id == agency.pk


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
        rn = sub.add_parser("renew-certificate", help="a new key and certificate for a member; rewrites DIR/agent.toml")
        rn.add_argument("code")
        rn.add_argument("--out", required=True, help="the member's agent folder (its API key is kept if agent.toml has it)")
        rn.add_argument("--days", type=int, default=730, help="validity of the new certificate")
        rn.add_argument("--revoke-old", action="store_true", help="revoke the old certificates at once (a leaked key)")
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
        out = Path(opts["out"])
        try:
            with transaction.atomic():
                enrolment = enroll_member(
                    actor=None, agency=agency, push_url=opts["push_url"], certificate_pem=brought, days=opts["days"]
                )
                staged = stage_agent_folder(
                    out, agency_code=agency.code, api_key=enrolment.api_key,
                    key_pem=enrolment.private_key_pem, cert_pem=enrolment.certificate.pem,
                )
        except OSError as exc:
            raise CommandError(f"{out}: {exc.strerror or exc}; {agency.code} was not enrolled") from exc
        config = _publish(staged)
        self.stdout.write(f"enrolled {agency.code}; agent configuration in {config}")

    def _renew_certificate(self, opts: dict[str, Any]) -> None:
        agency = get_agency(opts["code"])
        out = Path(opts["out"])
        api_key = _api_key_in(out)
        try:
            with transaction.atomic():
                renewal = renew_certificate(actor=None, agency=agency, days=opts["days"], revoke_old=opts["revoke_old"])
                if api_key is None or not _key_belongs_to(api_key, agency):
                    _, api_key = issue_api_key(actor=None, agency=agency, name="hub agent")
                staged = stage_agent_folder(
                    out, agency_code=agency.code, api_key=api_key, key_pem=renewal.private_key_pem, cert_pem=renewal.certificate.pem,
                )
        except OSError as exc:
            raise CommandError(f"{out}: {exc.strerror or exc}; the certificate of {agency.code} was not renewed") from exc
        config = _publish(staged)
        old = ", ".join(c.fingerprint[:16] for c in renewal.superseded) or "none"
        what = "revoked" if opts["revoke_old"] else "superseded"
        self.stdout.write(
            f"renewed {agency.code}: certificate {renewal.certificate.fingerprint[:16]} until "
            f"{renewal.certificate.not_after:%d/%m/%Y}; {what}: {old}; agent configuration in {config}"
        )

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
