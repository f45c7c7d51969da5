"""The clerk's day, the leader's overdue and waiting items and the national view, on a demo year."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.test import Client
from openpyxl import load_workbook

from govoffice.demo.year import exchange, records
from govoffice.demo.year.context import YearContext
from govoffice.directory.models import User
from govoffice.records.models import (
    Assignment,
    Incoming,
    IncomingState,
    Submission,
    SubmissionState,
)
from govoffice.reports.tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(year_context: Callable[..., YearContext]) -> YearContext:
    ctx = year_context(scale=0.001)
    exchange.generate(ctx)
    records.generate(ctx)
    return ctx


def test_the_clerks_day_counts_what_was_registered_that_day(year: YearContext, cast: Cast, login: Callable[[User], Client]) -> None:
    busiest = Incoming.objects.filter(year=2019).order_by("-registered_at").first()
    assert busiest is not None and busiest.registered_at is not None
    from django.utils import timezone

    day = timezone.localdate(busiest.registered_at)
    expected = sum(1 for at in Incoming.objects.values_list("registered_at", flat=True) if timezone.localdate(at) == day)
    page = login(cast.clerk).get(f"/reports/clerk/?day={day:%d/%m/%Y}")
    assert page.status_code == 200
    assert page.context["view"].registered == expected
    assert busiest.subject in page.content.decode()
    assert b"<svg" in page.content  # the hours chart, drawn on the server


def test_the_clerks_day_points_to_the_last_day_with_registrations(year: YearContext, cast: Cast, login: Callable[[User], Client]) -> None:
    page = login(cast.clerk).get("/reports/clerk/?day=01/06/2030")
    view = page.context["view"]
    assert view.registered == 0
    assert view.latest_day is not None and view.latest_day.year == 2019
    assert f"?day={view.latest_day:%d/%m/%Y}" in page.content.decode()


def test_a_bad_day_is_refused_beside_the_field(cast: Cast, login: Callable[[User], Client]) -> None:
    page = login(cast.clerk).get("/reports/clerk/?day=31/02/2019")
    assert page.status_code == 400
    assert 'aria-invalid="true"' in page.content.decode()
    assert "field-error" in page.content.decode()


def test_the_leader_sees_overdue_documents_and_submissions_waiting(year: YearContext, cast: Cast, login: Callable[[User], Client]) -> None:
    overdue = Assignment.objects.filter(active=True, deadline__lt=dt.date.today(), incoming__state__in=(IncomingState.ASSIGNED, IncomingState.PROCESSING)).count()
    waiting = Submission.objects.filter(current_reviewer=cast.leader, state=SubmissionState.IN_REVIEW).count()
    page = login(cast.leader).get("/reports/leader/")
    view = page.context["view"]
    assert (view.overdue, view.waiting_decision) == (overdue, waiting)
    assert sum(n for _label, n in view.overdue_by_age) == overdue


def test_the_national_view_draws_hub_traffic_and_the_registry(year: YearContext, cast: Cast, login: Callable[[User], Client]) -> None:
    page = login(cast.leader).get("/reports/national/?year=2019")
    assert page.status_code == 200
    view = page.context["view"]
    assert view.report.figures["documents_received"] == 120
    assert sum(m["received"] for m in view.registry_by_month) == 120
    assert sum(m["issued"] for m in view.registry_by_month) == 26
    assert sum(n for _d, n in view.hub_by_day) > 0
    html = page.content.decode()
    assert 'id="chart-hub"' in html and 'id="chart-registry"' in html
    assert "<script" not in html  # readable without JavaScript


def test_the_exports_hold_the_pages_figures(year: YearContext, cast: Cast, login: Callable[[User], Client]) -> None:
    client = login(cast.leader)
    text = client.get("/reports/national/?year=2019&format=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["documents_received", "120", "120000"] in [r[1:4] for r in rows]
    book = load_workbook(io.BytesIO(client.get("/reports/national/?year=2019&format=xlsx").content))
    first = book.worksheets[0]
    values = {row[1]: row[2] for row in first.iter_rows(min_row=3, values_only=True)}
    assert values["documents_issued"] == 26
    assert values["hub_documents_exchanged"] == 1000


@pytest.mark.parametrize("url", ["/reports/clerk/", "/reports/leader/", "/reports/national/", "/reports/annual/"])
def test_a_specialist_is_refused_every_dashboard(url: str, cast: Cast, login: Callable[[User], Client]) -> None:
    assert login(cast.specialist).get(url).status_code == 403


def test_signing_in_comes_first(client: Client) -> None:
    assert client.get("/reports/national/").status_code == 302
