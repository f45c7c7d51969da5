"""The bench runner: one JSON object on stdout, --list, and exit 2 for an unknown name.

No timing assertions (DESIGN.md): only that the figures are there and positive.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.common import percentile

ROOT = Path(__file__).resolve().parent.parent


def _bench(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _positive(figures: dict[str, Any], *keys: str) -> None:
    for key in keys:
        assert isinstance(figures[key], int | float) and figures[key] > 0, (key, figures[key])


@pytest.mark.slow
def test_login_bench_prints_one_json_object_with_positive_figures() -> None:
    proc = _bench("login", "--duration", "1", "--clients", "2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)  # the whole of stdout is one object
    assert out["bench"] == "login"
    assert out["started_at"]
    assert out["machine"]["database"] in {"sqlite", "postgresql"}
    _positive(out["machine"], "cores")
    assert out["machine"]["python"] and out["machine"]["platform"]
    for phase in (out["login"], out["home"]):
        assert phase["errors"] == 0, phase
        _positive(phase, "requests", "per_second", "p50_ms", "p99_ms", "peak_rss_mb")
    _positive(out["server"], "peak_rss_mb")
    _positive(out["server"]["idle"], "rss_mb")
    for part in ("home_inprocess", "argon2_verify", "argon2_verify_concurrent"):
        _positive(out["bare"][part], "requests", "per_second", "p50_ms", "p99_ms")
    _positive(
        out["ratios"],
        "home_http_per_inprocess",
        "login_per_argon2_verify",
        "login_per_argon2_ceiling",
    )


def test_an_unknown_benchmark_exits_2_with_one_line_on_stderr() -> None:
    proc = _bench("no-such-bench", timeout=60)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "no-such-bench" in proc.stderr


def test_list_names_the_login_benchmark_and_not_the_helpers() -> None:
    proc = _bench("--list", timeout=60)
    assert proc.returncode == 0
    names = [line.split()[0] for line in proc.stdout.splitlines() if line.strip()]
    assert "login" in names
    assert not {"common", "_load", "test_bench_runner"} & set(names)


def test_percentiles_interpolate_between_sorted_values() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 5.0
    assert percentile(values, 95) == pytest.approx(4.8)
    assert percentile([], 99) == 0.0
