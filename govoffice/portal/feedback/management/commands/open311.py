"""govoffice open311 key NAME: issue an API key for an Open311 client (printed once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govoffice.lib.errors import DomainError
from govoffice.portal.feedback.services.clients import issue_open311_key


class Command(BaseCommand):
    help = "Issue API keys for Open311 GeoReport v2 clients (they file and follow feedback)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        key = sub.add_parser("key", help="issue a key for the client NAME (created on first use); printed once")
        key.add_argument("name")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            client, raw = issue_open311_key(actor=None, name=opts["name"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(raw)
        self.stderr.write(f"key for Open311 client {client.name!r} (user {client.user.username}); pass it as api_key")
