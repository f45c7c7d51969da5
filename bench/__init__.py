"""Benchmarks: `python -m bench NAME [options]` prints one JSON object with the figures.

A benchmark is a module bench/NAME.py with two functions:

    def add_arguments(parser: argparse.ArgumentParser) -> None: ...
    def run(args: argparse.Namespace) -> dict[str, Any]: ...

Dropping such a file here is all it takes: the runner finds it by its file name. Its
docstring's first line is what `python -m bench --list` shows. Helpers shared by benchmarks
live in bench/common.py; modules named common, test_* or _* are never benchmarks.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).resolve().parent
NOT_BENCHMARKS = {"common", "conftest"}


def names() -> list[str]:
    """The names of the benchmark modules beside this file, sorted."""
    found = []
    for path in PACKAGE_DIR.glob("*.py"):
        name = path.stem
        if name in NOT_BENCHMARKS or name.startswith(("_", "test_")) or not name.isidentifier():
            continue
        found.append(name)
    return sorted(found)


def load(name: str) -> ModuleType:
    """Import bench/NAME.py; KeyError when there is no such benchmark."""
    if name not in names():
        raise KeyError(name)
    module = importlib.import_module(f"bench.{name}")
    if not callable(getattr(module, "run", None)) or not callable(
        getattr(module, "add_arguments", None)
    ):
        raise KeyError(name)
    return module


def summary(module: ModuleType) -> str:
    """The first line of a benchmark's docstring."""
    doc = (module.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else ""
