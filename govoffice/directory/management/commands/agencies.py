"""govoffice agencies import FILE.csv | list"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govoffice.directory.models import Agency
from govoffice.directory.services import import_agencies
from govoffice.lib.errors import DomainError


class Command(BaseCommand):
    help = "Import (load or update) agencies from a CSV file, or list them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="load or update agencies from FILE.csv (all or nothing)")
        imp.add_argument("file")
        sub.add_parser("list", help="print the directory as code, kind, name")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "list":
            for agency in Agency.objects.order_by("code"):
                self.stdout.write(f"{agency.code}\t{agency.kind}\t{agency.name_vi}")
            return
        path = Path(opts["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise CommandError(f"{path}: no such file") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
        try:
            report = import_agencies(text)
        except DomainError as exc:
            # One line per bad row, then the summary; nothing was written.
            for problem in exc.message.split("; "):
                self.stderr.write(f"{path}: {problem}")
            raise CommandError(f"{path}: nothing imported") from exc
        self.stdout.write(
            f"{path}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged"
        )
