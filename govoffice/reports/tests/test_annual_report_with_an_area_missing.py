"""An area that is not installed leaves its figures empty and is named; nothing is made up."""

from __future__ import annotations

import pytest

from govoffice.reports import annual
from govoffice.reports.annual import annual_report, area_figures

pytestmark = pytest.mark.django_db


def test_an_area_whose_module_is_absent_is_named_and_its_keys_are_null(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(annual.AREAS, "cabinet", ("govoffice.not_installed.selectors", ("cabinet_sessions", "cabinet_ballots")))
    report = annual_report(2019)
    assert "cabinet" in report.missing_areas
    assert report.figures["cabinet_sessions"] is None and report.figures["cabinet_ballots"] is None
    assert {"cabinet_sessions", "cabinet_ballots"} <= set(report.missing_keys)
    assert report.figures["documents_received"] == 0  # the office's own figures still come


def test_a_module_without_annual_figures_counts_as_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(annual.AREAS, "portal", ("govoffice.reports.figures", ("portal_visits", "dossiers")))
    assert area_figures("portal", 2019) is None
