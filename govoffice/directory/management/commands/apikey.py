"""govoffice apikey issue CODE --name N | list CODE | revoke PREFIX"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govoffice.directory.models import ApiKey
from govoffice.directory.services import get_agency, issue_api_key, revoke_api_key
from govoffice.lib.errors import DomainError


class Command(BaseCommand):
    help = "Issue, list and revoke API keys for agencies' software."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="issue a key for an agency; it is printed once")
        issue.add_argument("code")
        issue.add_argument("--name", required=True)
        listing = sub.add_parser("list", help="an agency's keys (prefixes only)")
        listing.add_argument("code")
        revoke = sub.add_parser("revoke", help="revoke a key by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["action"] == "issue":
                _, raw = issue_api_key(actor=None, agency=get_agency(opts["code"]), name=opts["name"])
                self.stdout.write(raw)
            elif opts["action"] == "list":
                for key in get_agency(opts["code"]).api_keys.all():
                    state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
                    self.stdout.write(f"{key.prefix}\t{key.name}\t{state}")
            else:
                found = ApiKey.objects.filter(prefix=opts["prefix"]).first()
                if found is None:
                    raise CommandError(f"no API key has the prefix {opts['prefix']}")
                revoke_api_key(actor=None, key=found)
                self.stdout.write(f"revoked {found.prefix}")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
