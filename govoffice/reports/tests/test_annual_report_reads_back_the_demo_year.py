"""The demo year's records and hub traffic come back as the seed's figures × scale."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from govoffice.demo.year import exchange, records
from govoffice.demo.year.context import YearContext
from govoffice.demo.year.run import run_year
from govoffice.reports.annual import DEFINITION_KEY, KEYS, annual_report
from govoffice.reports.figures import hub_figures, records_figures

pytestmark = pytest.mark.django_db


def test_each_records_and_hub_figure_is_the_seed_times_the_scale(year_context: Callable[..., YearContext]) -> None:
    ctx = year_context(scale=0.001)
    exchange.generate(ctx)
    records.generate(ctx)
    figures = {**records_figures(2019), **hub_figures(2019)}
    assert figures == {
        "documents_received": ctx.target("documents_received"),  # 120
        "submissions": ctx.target("submissions"),  # 14
        "documents_issued": ctx.target("documents_issued"),  # 26
        "hub_members_connected": len(ctx.members),  # every member sent something
        "hub_members_total": len(ctx.members),
        "hub_documents_exchanged": ctx.target("hub_documents_exchanged"),  # 1,000
    }


def test_the_report_has_every_key_of_the_issue_and_names_the_overdue_definition(year_context: Callable[..., YearContext]) -> None:
    ctx = year_context(scale=0.001)
    run_year(ctx, io.StringIO(), areas=("exchange", "records"))
    report = annual_report(2019).as_dict()
    assert set(KEYS) | {DEFINITION_KEY} <= set(report)
    assert report["documents_received"] == 120
    assert report["hub_documents_exchanged"] == 1000
    # An area either answers for all its keys or is named as missing or failed: never a made-up figure.
    for key in report["missing_keys"]:
        assert report[key] is None
    if report["tasks_overdue_rate"] is not None:
        assert report[DEFINITION_KEY]


def test_another_years_documents_are_not_counted(year_context: Callable[..., YearContext]) -> None:
    for year in (2018, 2019):
        ctx = year_context(year=year, scale=0.0005)
        exchange.generate(ctx)
        records.generate(ctx)
    assert records_figures(2019)["documents_received"] == 60
    assert records_figures(2018)["documents_received"] == 60
    assert hub_figures(2019)["hub_documents_exchanged"] == 500
    assert records_figures(2020) == {"documents_received": 0, "submissions": 0, "documents_issued": 0}
