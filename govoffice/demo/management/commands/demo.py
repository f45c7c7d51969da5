"""govoffice demo [--scale S] [--year Y] [--seed N]: load demo data, generate a year of work, print the logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from govoffice.demo.loader import DEMO_PEOPLE, OFFICE_CODE, load_demo
from govoffice.demo.year.run import ProgressBar, build_context, run_year
from govoffice.lib.errors import DomainError


class Raw:
    """A command's output wrapper written to as a plain stream (no added line ends)."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return bool(self.wrapper.isatty())


class Command(BaseCommand):
    help = ("Load demo data: the real directory of agencies, one login per role, and a year of work at a "
            "share of 2019's volume (deterministic for a seed; progress on stderr).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=0.001, help="share of a real year's volume (0 < S <= 1)")
        parser.add_argument("--year", type=int, default=2019)
        parser.add_argument("--seed", type=int, default=2019)
        parser.add_argument("--no-year", action="store_true", help="load the directory and logins only")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not 0 < opts["scale"] <= 1:
            raise CommandError(f"--scale {opts['scale']} must be above 0 and at most 1")
        try:
            result = load_demo()
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Demo data: {result.agencies} agencies in the directory, {result.members} of them on the hub.")
        self.stdout.write(f"Demo logins (password for all: {result.password}):")
        for username, full_name, position, roles, _ in DEMO_PEOPLE:
            self.stdout.write(f"  {username:<12} {full_name} – {position} ({', '.join(roles)})")
        for folder in result.agent_folders:
            self.stdout.write(f"Agent for {folder.name}: govoffice-agent --config {folder}/agent.toml members")
        if opts["no_year"]:
            return
        if not 1900 <= opts["year"] <= 9999:
            raise CommandError(f"--year {opts['year']} is not a year")
        ctx = build_context(year=opts["year"], scale=opts["scale"], seed=opts["seed"], office_code=OFFICE_CODE,
                            usernames=result.usernames, progress=ProgressBar(Raw(self.stderr)))
        try:
            run_year(ctx, Raw(self.stdout))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for note in ctx.notes:
            self.stdout.write(note)
        self.stdout.write(f"Annual figures: govoffice report annual --year {opts['year']} (page: /reports/annual/?year={opts['year']})")
