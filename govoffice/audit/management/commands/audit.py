"""govoffice audit verify"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govoffice.audit.services import verify_chain


class Command(BaseCommand):
    help = "Work with the audit log: `verify` walks the hash chain and reports the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check every link of the chain")

    def handle(self, *args: Any, **opts: Any) -> None:
        verdict = verify_chain()
        if not verdict.ok:
            raise CommandError(f"audit chain broken at #{verdict.broken_seq}: {verdict.reason}")
        self.stdout.write(f"audit chain intact: {verdict.checked} events verified")
