"""govoffice signer issue USERNAME [--days N] | list [USERNAME] | revoke USERNAME | reencrypt"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govoffice.directory.models import User
from govoffice.lib.errors import DomainError
from govoffice.signing.models import SignerKey
from govoffice.signing.people import issue_signer_key, reencrypt_all, revoke_signer_keys


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"no person has the username {username}")
    return user


class Command(BaseCommand):
    help = "Signing certificates of the office's people (issued by the platform CA, keys kept encrypted)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="a new key and certificate for a person; earlier ones are revoked")
        issue.add_argument("username")
        issue.add_argument("--days", type=int, default=730)
        listing = sub.add_parser("list", help="signing certificates, of everyone or of one person")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke a person's current signing certificates")
        revoke.add_argument("username")
        revoke.add_argument("--reason", default="")
        sub.add_parser("reencrypt", help="re-encrypt every kept key under the current SECRET_KEY")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["action"] == "issue":
                row = issue_signer_key(actor=None, user=_user(opts["username"]), days=opts["days"])
                cert = row.certificate
                self.stdout.write(f"issued {cert.fingerprint} to {opts['username']}, valid until {cert.not_after:%d/%m/%Y}")
            elif opts["action"] == "list":
                rows = SignerKey.objects.select_related("user", "certificate").order_by("user__username", "-created_at")
                if opts["username"]:
                    rows = rows.filter(user=_user(opts["username"]))
                for row in rows:
                    cert = row.certificate
                    state = f"revoked ({cert.revocation_reason})" if cert.revoked_at else f"valid until {cert.not_after:%d/%m/%Y}"
                    self.stdout.write(f"{row.user.username}\t{cert.fingerprint[:16]}\t{state}")
            elif opts["action"] == "revoke":
                count = revoke_signer_keys(actor=None, user=_user(opts["username"]), reason=opts["reason"])
                self.stdout.write(f"revoked {count} certificate(s) of {opts['username']}")
            else:
                self.stdout.write(f"re-encrypted {reencrypt_all()} key(s)")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
