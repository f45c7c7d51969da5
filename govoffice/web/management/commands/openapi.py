"""govoffice openapi [--write | --check]: the OpenAPI document kept in git at docs/openapi.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

SPEC_PATH = Path(settings.BASE_DIR).parent / "docs" / "openapi.json"


def current_spec() -> str:
    from govoffice.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    # Status codes come as ints from ninja and as strings from openapi_extra: one round trip
    # through JSON makes them all strings (the extra's entry wins) so the keys can be sorted.
    normalised = json.loads(json.dumps(schema, ensure_ascii=False))
    return json.dumps(normalised, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Print the OpenAPI document; --write saves it to docs/openapi.json; --check fails if it drifted."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", action="store_true")
        group.add_argument("--check", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        spec = current_spec()
        if opts["write"]:
            SPEC_PATH.write_text(spec, encoding="utf-8")
            self.stdout.write(f"wrote {SPEC_PATH}")
        elif opts["check"]:
            kept = SPEC_PATH.read_text(encoding="utf-8") if SPEC_PATH.exists() else ""
            if kept != spec:
                raise CommandError(f"{SPEC_PATH} differs from the code: run `govoffice openapi --write`")
            self.stdout.write("docs/openapi.json matches the code")
        else:
            self.stdout.write(spec, ending="")
