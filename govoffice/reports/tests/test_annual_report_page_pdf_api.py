"""The annual report as a page, a PDF, CSV/XLSX, JSON over the API, and the command."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client

from govoffice.demo.year import exchange, records
from govoffice.demo.year.context import YearContext
from govoffice.directory.models import User
from govoffice.reports.annual import DEFINITION_KEY, KEYS
from govoffice.reports.tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(year_context: Callable[..., YearContext]) -> YearContext:
    ctx = year_context(scale=0.001)
    exchange.generate(ctx)
    records.generate(ctx)
    return ctx


def test_the_page_shows_each_figure_beside_the_2019_review(year: YearContext, cast: Cast, login: Callable[[User], Client]) -> None:
    html = login(cast.auditor).get("/reports/annual/?year=2019").content.decode()
    assert 'data-key="documents_received">120<' in html
    assert 'data-key="hub_documents_exchanged">1.000<' in html  # grouped the Vietnamese way
    assert "120.000" in html  # the review's figure


def test_the_pdf_is_a_pdf_with_the_figures(year: YearContext, cast: Cast, login: Callable[[User], Client]) -> None:
    response = login(cast.leader).get("/reports/annual/?year=2019&format=pdf")
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF-")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "2019" in text and "documents_received" in text


def test_the_api_answers_every_key(year: YearContext, cast: Cast, login: Callable[[User], Client]) -> None:
    data = login(cast.leader).get("/api/v1/reports/annual?year=2019").json()
    assert set(KEYS) | {DEFINITION_KEY, "missing_areas", "missing_keys"} <= set(data)
    assert data["submissions"] == 14


def test_the_api_refuses_a_clerk_and_a_bad_year(cast: Cast, login: Callable[[User], Client]) -> None:
    client = login(cast.clerk)
    refused = client.get("/api/v1/reports/annual?year=2019")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    client = login(cast.leader)
    bad = client.get("/api/v1/reports/annual?year=19")
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "year"


def test_the_api_wants_a_signed_in_person(client: Client) -> None:
    assert client.get("/api/v1/reports/annual?year=2019").status_code == 401


def test_the_command_prints_the_same_json(year: YearContext) -> None:
    out = io.StringIO()
    call_command("report", "annual", "--year", "2019", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert list(data)[: len(KEYS) + 1] == ["year", *KEYS]
    assert (data["documents_received"], data["submissions"], data["documents_issued"]) == (120, 14, 26)


def test_a_bad_page_year_is_refused_beside_the_field(cast: Cast, login: Callable[[User], Client]) -> None:
    page = login(cast.leader).get("/reports/annual/?year=12345")
    assert page.status_code == 400
    assert "2000" in page.content.decode()
