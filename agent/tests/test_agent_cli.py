"""`govoffice-agent` as an agency's clerk or script runs it: real subprocesses against a live hub."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from .conftest import FINANCE, GOV_OFFICE, PDF_1, PDF_2, Hub

SCRIPT = Path(sys.executable).parent / "govoffice-agent"


def agent(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the installed console script (or, without it, the same entry point through python -c)."""
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-c", "from govoffice_agent.cli import main; main()"]
    return subprocess.run(
        [*command, *map(str, args)], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def ok(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_send_pull_status_and_trace_from_the_command_line(members: Hub, tmp_path: Path) -> None:
    (tmp_path / "Công văn 45.pdf").write_bytes(PDF_1)
    (tmp_path / "Phụ lục.pdf").write_bytes(PDF_2)
    sent = ok(agent(
        "--config", members.folders[FINANCE], "send", tmp_path / "Công văn 45.pdf", tmp_path / "Phụ lục.pdf",
        "--to", GOV_OFFICE, "--subject", "Về việc góp ý dự thảo Nghị định", "--type", "1",
        "--number", "45", "--notation", "BTC-PC", "--date", "2019-09-20", "--signer", "Đinh Tiến Dũng",
    ))
    assert sent["document_id"] == "000.00.00.G12,2019/09/20,45/BTC-PC"
    assert sent["created"] is True and json.loads(sent["receipt"])["recipients"] == [GOV_OFFICE]

    out = tmp_path / "inbox"
    pulled = ok(agent("--config", members.folders[GOV_OFFICE], "pull", "--out", out))
    assert len(pulled) == 1 and pulled[0]["verified"] is True and pulled[0]["sender"] == FINANCE
    folder = out / sent["message_id"]
    assert (folder / "Công văn 45.pdf").read_bytes() == PDF_1
    assert (folder / "Phụ lục.pdf").read_bytes() == PDF_2
    assert json.loads((folder / "meta.json").read_text(encoding="utf-8"))["document_id"] == sent["document_id"]
    assert ok(agent("--config", members.folders[GOV_OFFICE], "pull", "--out", out)) == []

    status = ok(agent("--config", members.folders[GOV_OFFICE], "status", sent["document_id"], "03",
                      "--note", "Đã vào sổ, số đến 1234", "--idempotency-key", "so-den-1234"))
    assert status["created"] is True
    # Run again with the same key (the clerk did not see the answer): the first status, not a second.
    again = ok(agent("--config", members.folders[GOV_OFFICE], "status", sent["document_id"], "03",
                     "--note", "Đã vào sổ, số đến 1234", "--idempotency-key", "so-den-1234"))
    assert (again["message_id"], again["created"]) == (status["message_id"], False)

    trace = ok(agent("--config", members.folders[FINANCE], "trace", sent["document_id"]))
    row = trace["recipients"][0]
    assert row["organ_id"] == GOV_OFFICE and row["last_status"] == "03"
    assert row["statuses"][0]["description"] == "Đã vào sổ, số đến 1234"


def test_a_missing_config_exits_2_with_one_line(tmp_path: Path) -> None:
    result = agent("--config", tmp_path / "nowhere" / "agent.toml", "trace", "x")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == f"govoffice-agent: {tmp_path / 'nowhere' / 'agent.toml'}: no such file"


def test_a_refused_send_exits_1_with_one_line_naming_the_recipient(members: Hub, tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(PDF_1)
    result = agent(
        "--config", members.folders[FINANCE], "send", tmp_path / "a.pdf", "--to", GOV_OFFICE, "000.00.00.G99",
        "--subject", "Thử", "--type", "1", "--number", "1", "--notation", "BTC-VP",
    )
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "unknown_recipient" in lines[0] and "000.00.00.G99" in lines[0]
