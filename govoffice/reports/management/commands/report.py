"""govoffice report annual --year Y [--json]: the office's annual figures, computed from the data."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govoffice.reports.annual import DEFINITION_KEY, KEYS, annual_report


class Command(BaseCommand):
    help = "Reports computed from the data: `report annual --year 2019 --json`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="which", required=True, metavar="REPORT")
        annual = sub.add_parser("annual", help="the annual review's figures for a year")
        annual.add_argument("--year", type=int, required=True)
        annual.add_argument("--json", action="store_true", help="one JSON object on stdout")

    def handle(self, *args: Any, **opts: Any) -> None:
        year = opts["year"]
        if not 1900 <= year <= 9999:
            raise CommandError(f"--year {year} is not a year")
        report = annual_report(year)
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Annual report {year} (computed in {report.seconds:.3f} s)")
        for key in (*KEYS, DEFINITION_KEY):
            value = report.figures.get(key)
            self.stdout.write(f"  {key:<30} {'—' if value is None else value}")
        if report.missing_areas:
            self.stdout.write(f"Not installed, figures left empty: {', '.join(report.missing_areas)}")
        for area, error in report.failed_areas.items():
            self.stdout.write(f"Could not read {area} (figures left empty): {error}")
