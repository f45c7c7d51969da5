"""The `govoffice` command: every Django management command, plus govoffice's own.

govoffice serve [--host H] [--port P]   web server and background worker together
govoffice demo [--scale S]              load demo data
govoffice migrate                       create or update the database
govoffice agencies import FILE.csv      load or update the directory of agencies
govoffice apikey issue CODE --name N    an API key for an agency's software
govoffice audit verify                  walk the audit chain
"""

from __future__ import annotations

import os
import sys


class ConfigurationError(Exception):
    """The environment does not describe a usable deployment."""


def _load_settings() -> None:
    from pydantic import ValidationError

    try:
        from django.conf import settings

        settings.SECRET_KEY  # noqa: B018  (forces the settings module to load now)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        raise ConfigurationError(problems) from exc
    except RuntimeError as exc:
        raise ConfigurationError(str(exc)) from exc


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govoffice.settings")
    try:
        _load_settings()
    except ConfigurationError as exc:
        print(f"govoffice: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["govoffice", *args])


if __name__ == "__main__":
    main()
