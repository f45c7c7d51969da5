"""govoffice user create USERNAME --agency CODE --role ROLE… [--password-stdin] | roles USERNAME"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govoffice.directory.models import Role, User
from govoffice.directory.services import create_user, get_agency
from govoffice.lib.errors import DomainError


class Command(BaseCommand):
    help = "Create people (the first administrator, for one) with their agency and roles."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a person; asks for the password")
        create.add_argument("username")
        create.add_argument("--agency", required=True, help="organisation code")
        create.add_argument("--role", action="append", default=[], choices=Role.values, dest="roles")
        create.add_argument("--full-name", default="")
        create.add_argument("--email", default="")
        create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        show = sub.add_parser("roles", help="print a person's roles")
        show.add_argument("username")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "roles":
            user = User.objects.filter(username=opts["username"]).first()
            if user is None:
                raise CommandError(f"no user '{opts['username']}'")
            self.stdout.write(" ".join(sorted(user.role_set)) or "(no roles)")
            return
        if opts["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("the passwords differ")
        try:
            user = create_user(
                actor=None, username=opts["username"], password=password, agency=get_agency(opts["agency"]),
                roles=opts["roles"], full_name=opts["full_name"], email=opts["email"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"created {user.username} ({', '.join(opts['roles']) or 'no roles'})")
