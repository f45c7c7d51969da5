"""wrk as a load driver: a C event loop that costs a small share of the CPU the Python driver takes.

`ensure_wrk()` finds wrk, or installs Debian's package (as bin/_bootstrap.sh's apt_install does:
apt-get as root, `sudo -n` otherwise; sourcing that script would also sync the venv, so it is
not called); None when neither works. `wrk_load()` drives one phase through bench/_wrk.lua: a
random target per request, X-Forwarded-For counting up per thread, every answer checked (a 200
whose body holds what the caller expects). It returns Phase.summary()'s keys, so a benchmark
reports the same figures whichever driver ran, plus the driver's own CPU time.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench._load import LOOPBACK
from bench._server import log

LUA = Path(__file__).resolve().parent / "_wrk.lua"


def ensure_wrk(*, install: bool = True) -> str | None:
    """The path of wrk, installing Debian's package when it is missing and we may; else None."""
    found = shutil.which("wrk")
    if found or not install:
        return found
    if os.geteuid() == 0:
        sudo: list[str] = []
    elif shutil.which("sudo"):
        sudo = ["sudo", "-n"]  # never a password prompt in the middle of a benchmark
    else:
        return None
    log("wrk is missing: apt-get install wrk")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    quiet: dict[str, Any] = {
        "env": env,
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.PIPE,
        "check": False,
    }
    install_cmd = [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"]
    if subprocess.run(install_cmd, **quiet).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update", "-qq"], **quiet)
        done = subprocess.run(install_cmd, **quiet)
        if done.returncode != 0:
            log(f"could not install wrk: {done.stderr.decode(errors='replace').strip()[-300:]}")
    return shutil.which("wrk")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wrk_load(
    wrk: str,
    base_url: str,
    targets: list[str],
    *,
    connections: int,
    threads: int,
    duration: float,
    checks: dict[str, str] | None = None,
    pattern: str = "",
    needle: str = "",
) -> dict[str, Any]:
    """One phase: CONNECTIONS keep-alive connections over THREADS wrk threads for DURATION s.

    TARGETS are request paths (one picked at random per request). An answer is right when it is
    a 200 and: with CHECKS, the first match of the Lua PATTERN in its body is a key of CHECKS whose
    text the body holds; with NEEDLE, the body holds it. Anything else is an error."""
    if urlsplit(base_url).hostname not in LOOPBACK:
        raise ValueError(f"benchmarks only talk to this machine, not {base_url}")
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        targets_file = Path(tmp) / "targets"
        targets_file.write_text("\n".join(targets) + "\n", encoding="utf-8")
        checks_arg = "-"
        if checks:
            checks_file = Path(tmp) / "checks"
            checks_file.write_text(
                "".join(f"{k}\t{v}\n" for k, v in checks.items()), encoding="utf-8"
            )
            checks_arg = str(checks_file)
        cmd = [
            wrk, "-t", str(max(1, min(threads, connections))), "-c", str(connections),
            "-d", f"{max(1, round(duration))}s", "--timeout", "10s", "-s", str(LUA), base_url,
            "--", str(targets_file), checks_arg, pattern or "-", needle or "-",
        ]  # fmt: skip
        cpu0 = _children_cpu()
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", check=False)
        driver_cpu = _children_cpu() - cpu0
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(
            f"wrk failed ({proc.returncode}): {(proc.stderr or proc.stdout).strip()[-1000:]}"
        )
    raw = json.loads(line.removeprefix("WRKJSON "))
    sock = raw["socket_errors"]
    # wrk's "status" errors (not 2xx/3xx) are answers, already counted as wrong by the script.
    lost = sock["connect"] + sock["read"] + sock["write"] + sock["timeout"]
    errors = raw["wrong"] + lost
    ok = raw["requests"] - raw["wrong"]
    seconds = raw["duration_us"] / 1e6
    lat = raw["latency_us"]
    out: dict[str, Any] = {
        "requests": ok,
        "errors": errors,
        "seconds": round(seconds, 2),
        "per_second": round(ok / seconds, 1) if seconds else 0.0,
        "p50_ms": round(lat["p50"] / 1000, 2),
        "p95_ms": round(lat["p95"] / 1000, 2),
        "p99_ms": round(lat["p99"] / 1000, 2),
        "max_ms": round(lat["max"] / 1000, 2),
        "p999_ms": round(lat["p999"] / 1000, 2),
        "driver_cpu_s": round(driver_cpu, 2),
    }
    if raw["first_wrong"] or lost:
        out["first_error"] = raw["first_wrong"] or f"socket errors: {sock}"
    return out
