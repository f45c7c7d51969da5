"""govoffice supervision import FILE | remind | rate --from D --to D [--agency CODE] [--assigner A] [--definition K]"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govoffice.lib.errors import DomainError


def _day(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"'{text}' is not a date (yyyy-mm-dd or dd/mm/yyyy)")


class Command(BaseCommand):
    help = "Assigned tasks: `import FILE` (CSV, all or nothing), `remind` (deadline notices now), `rate` (the overdue rate)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="create the tasks of a CSV file; one bad line and nothing is written")
        imp.add_argument("file", type=Path)
        sub.add_parser("remind", help="send the reminders of tasks due soon now")
        rate = sub.add_parser("rate", help="print the overdue rate of the tasks assigned in a period, as JSON")
        rate.add_argument("--from", dest="date_from", required=True)
        rate.add_argument("--to", dest="date_to", required=True)
        rate.add_argument("--agency", default="")
        rate.add_argument("--assigner", default="")
        rate.add_argument("--definition", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, f"_{opts['action']}")(opts)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _import(self, opts: dict[str, Any]) -> None:
        from govoffice.supervision.services.imports import import_tasks

        path: Path = opts["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        tasks = import_tasks(actor=None, data=data, system=True)
        self.stdout.write(f"imported {len(tasks)} tasks: {tasks[0].code} … {tasks[-1].code}")

    def _remind(self, opts: dict[str, Any]) -> None:
        from govoffice.supervision.services.tasks import send_task_reminders

        self.stdout.write(f"reminded {send_task_reminders()} tasks")

    def _rate(self, opts: dict[str, Any]) -> None:
        from govoffice.directory.models import Agency
        from govoffice.supervision.models import Assigner
        from govoffice.supervision.selectors import Scope, overdue_rate

        agency = None
        if opts["agency"]:
            agency = Agency.objects.filter(code=opts["agency"]).first()
            if agency is None:
                raise CommandError(f"no agency {opts['agency']}")
        if opts["assigner"] and opts["assigner"] not in Assigner.values:
            raise CommandError(f"assigner is one of {', '.join(Assigner.values)}")
        scope = Scope(_day(opts["date_from"]), _day(opts["date_to"]), agency, opts["assigner"])
        result = overdue_rate(scope, opts["definition"] or None).as_dict()
        self.stdout.write(json.dumps(result, default=str, ensure_ascii=False))
