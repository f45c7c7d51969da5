"""govoffice demo [--scale S] [--year Y]: load demo data and print the logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govoffice.demo.loader import DEMO_PEOPLE, load_demo
from govoffice.lib.errors import DomainError


class Command(BaseCommand):
    help = "Load demo data: the real directory of agencies and one login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=0.001, help="share of a real year's volume (0 < S <= 1)")
        parser.add_argument("--year", type=int, default=2019)
        parser.add_argument("--seed", type=int, default=2019)

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
