from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from govoffice.portal.catalogue import SEED_FILE
from govoffice.portal.models import Procedure


def test_the_command_loads_the_seed_catalogue(directory: Any, capsys: Any) -> None:
    call_command("portal", "load-catalogue")
    assert "created" in capsys.readouterr().out and Procedure.objects.count() >= 30


def test_a_bad_file_changes_nothing_and_says_why(directory: Any, tmp_path: Path) -> None:
    data = json.loads(SEED_FILE.read_text())
    data["procedures"][0]["form"] = [{"name": "Bad Name", "label": "x", "type": "text"}]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="lowercase"):
        call_command("portal", "load-catalogue", str(bad))
    assert Procedure.objects.count() == 0
