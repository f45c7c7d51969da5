"""Runs the demo year's generators in order, with a progress bar, once per year.

Order: exchange, records, cabinet, portal, feedback, supervision (records registers what the
hub delivered; the later areas may refer to issued documents). A generator whose module is not
installed is skipped with a line saying so; one already run for the year is not run again (the
audit log keeps a `demo.year_area_generated` event per area and year), so running the command
again, or after a new area lands, adds only what is missing.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import time
from dataclasses import dataclass
from typing import Protocol

from django.db import connection, transaction

from govoffice.audit.models import Event
from govoffice.audit.services import record_event
from govoffice.demo.year.context import YearContext
from govoffice.directory.models import Agency, User


class Stream(Protocol):
    def write(self, text: str, /) -> int: ...
    def flush(self) -> None: ...


AREAS = ("exchange", "records", "cabinet", "portal", "feedback", "supervision")
MARK = "demo.year_area_generated"


class ProgressBar:
    """A progress bar on stderr: redrawn in place on a terminal, a line every tenth otherwise."""

    def __init__(self, stream: Stream | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.stage = ""
        self.started = time.perf_counter()
        self.last_tenth = -1

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.finish()
            self.stage, self.started, self.last_tenth = stage, time.perf_counter(), -1
        share = done / total if total else 1.0
        filled = int(self.width * share)
        line = (f"{stage:<28} [{'#' * filled}{'.' * (self.width - filled)}] {share:6.1%} "
                f"{done:,}/{total:,} {time.perf_counter() - self.started:6.1f}s")
        if self.tty:
            self.stream.write("\r" + line)
        elif int(share * 10) > self.last_tenth:
            self.last_tenth = int(share * 10)
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.stage and self.tty:
            self.stream.write("\n")
            self.stream.flush()
        self.stage = ""


@dataclass
class Outcome:
    area: str
    status: str  # generated, missing, already
    seconds: float = 0.0
    detail: str = ""


def build_context(*, year: int, scale: float, seed: int, office_code: str, usernames: list[str],
                  progress: ProgressBar | None = None) -> YearContext:
    office = Agency.objects.get(code=office_code)
    members = list(Agency.objects.filter(hub_member__active=True).order_by("code"))
    people = {u.username: u for u in User.objects.filter(username__in=usernames).select_related("agency", "unit")}
    ctx = YearContext(year=year, scale=scale, seed=seed, office=office, members=members, people=people)
    if progress is not None:
        ctx.progress = progress
    return ctx


def generated_before(year: int, area: str) -> Event | None:
    return Event.objects.filter(action=MARK, object_type="demo.year", object_id=f"{year}:{area}").order_by("seq").first()


def run_year(ctx: YearContext, out: Stream, areas: tuple[str, ...] = AREAS) -> list[Outcome]:
    """Generate each area's year in order; say what was made, skipped or already there."""
    outcomes = []
    for area in areas:
        module_name = f"govoffice.demo.year.{area}"
        if importlib.util.find_spec(module_name) is None:
            out.write(f"Demo year {ctx.year}, {area}: no generator installed yet, skipped.\n")
            outcomes.append(Outcome(area, "missing"))
            continue
        before = generated_before(ctx.year, area)
        if before is not None:
            data = before.data
            out.write(f"Demo year {ctx.year}, {area}: already generated (scale {data.get('scale')}, seed {data.get('seed')}), kept.\n")
            outcomes.append(Outcome(area, "already"))
            continue
        generate = importlib.import_module(module_name).generate
        started = time.perf_counter()
        with transaction.atomic():  # an area is all there or not at all
            generate(ctx)
            record_event(MARK, object_type="demo.year", object_id=f"{ctx.year}:{area}",
                         data={"scale": ctx.scale, "seed": ctx.seed})
        if isinstance(ctx.progress, ProgressBar):
            ctx.progress.finish()
        seconds = time.perf_counter() - started
        out.write(f"Demo year {ctx.year}, {area}: generated in {seconds:.1f} s.\n")
        outcomes.append(Outcome(area, "generated", seconds))
    if any(o.status == "generated" for o in outcomes):
        with connection.cursor() as cursor:  # fresh planner statistics after bulk inserts
            cursor.execute("ANALYZE")
    return outcomes
