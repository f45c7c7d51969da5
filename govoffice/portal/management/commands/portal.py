"""`govoffice portal load-catalogue [FILE]`: load (or update) the procedure catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govoffice.lib.errors import DomainError
from govoffice.portal.catalogue import SEED_FILE, load_catalogue


class Command(BaseCommand):
    help = "The public service portal: load-catalogue [FILE] (default: the shipped seed catalogue)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load-catalogue")
        load.add_argument("file", nargs="?", default=str(SEED_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"no such file: {path}")
        try:
            report = load_catalogue(path.read_text(encoding="utf-8"))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"catalogue loaded: {report.created} created, {report.updated} updated")
