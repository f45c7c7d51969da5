"""The runner: `python -m bench NAME [options]`, `python -m bench --list`.

Stdout carries exactly one JSON object (the figures, plus "bench", "machine", "started_at",
"options"); everything else — progress, server logs, Django's chatter — goes to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from datetime import UTC, datetime
from typing import Any

import bench

USAGE = "usage: python -m bench NAME [options]   |   python -m bench --list   |   python -m bench NAME --help"


def _list() -> int:
    for name in bench.names():
        try:
            line = bench.summary(bench.load(name))
        except KeyError:
            continue
        print(f"{name:12} {line}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"}:
        stream = sys.stdout if argv else sys.stderr
        print(USAGE, file=stream)
        print("benchmarks: " + ", ".join(bench.names()), file=stream)
        return 0 if argv else 2
    if argv[0] == "--list":
        return _list()
    name = argv[0]
    try:
        module = bench.load(name)
    except KeyError:
        print(
            f"bench: no benchmark named '{name}' (have: {', '.join(bench.names())})",
            file=sys.stderr,
        )
        return 2

    parser = argparse.ArgumentParser(
        prog=f"python -m bench {name}", description=bench.summary(module)
    )
    module.add_arguments(parser)
    args = parser.parse_args(argv[1:])

    from bench.common import machine_info

    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    machine = machine_info()
    t0 = time.perf_counter()
    # Anything a benchmark (or Django inside it) prints must not spoil the one JSON object.
    with contextlib.redirect_stdout(sys.stderr):
        figures: dict[str, Any] = module.run(args)
    out = {
        "bench": name,
        "started_at": started_at,
        "machine": machine,
        "options": {k: v for k, v in vars(args).items() if not k.startswith("_")},
        **figures,
        "wall_seconds": round(time.perf_counter() - t0, 1),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2, default=str) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
