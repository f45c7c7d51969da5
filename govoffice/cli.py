"""The `govoffice` command: every Django management command, plus govoffice's own.

govoffice serve [--host H] [--port P]   web server and background worker together
govoffice demo [--scale S]              load demo data
govoffice migrate                       create or update the database
govoffice agencies import FILE.csv      load or update the directory of agencies
govoffice audit verify                  walk the audit chain
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govoffice.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["govoffice", *args])


if __name__ == "__main__":
    main()
