"""The shipped directory: the 95 bodies connected to the national hub in 2019."""

from __future__ import annotations

import csv
import io

import pytest

from govoffice.demo.loader import AGENCIES_CSV
from govoffice.directory.models import Agency
from govoffice.directory.services import import_agencies


def _rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(AGENCIES_CSV.read_text(encoding="utf-8"))))


def test_the_file_names_95_top_level_bodies_with_63_provinces() -> None:
    rows = _rows()
    top = [r for r in rows if not r["parent_code"]]
    assert len(top) == 95
    assert sum(r["kind"] == "province" for r in top) == 63


def test_the_codes_given_by_public_sources_are_marked_official() -> None:
    official = {r["code"]: r for r in _rows() if r["official"] == "yes"}
    for code in ("000.00.00.G22", "000.00.00.G12", "000.00.00.G09", "000.00.00.H41"):
        assert code in official


@pytest.mark.django_db
def test_the_file_imports_cleanly() -> None:
    report = import_agencies(AGENCIES_CSV.read_text(encoding="utf-8"))
    assert report.created == len(_rows())
    assert Agency.objects.filter(parent__isnull=True).count() == 95
