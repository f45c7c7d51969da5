"""The reports API: GET /api/v1/reports/annual?year=2019."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from govoffice.apiauth import current_user
from govoffice.apischema import errors
from govoffice.directory.permissions import may
from govoffice.lib.errors import Forbidden
from govoffice.reports.annual import annual_report
from govoffice.reports.forms import FIRST_YEAR, LAST_YEAR
from govoffice.reports.schemas import AnnualOut

router = Router(tags=["reports"])


class YearQuery(Schema):
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR, description="the calendar year (Asia/Ho_Chi_Minh)")


@router.get("/annual", response={200: AnnualOut, **errors(401, 403, 422)}, summary="The annual review's figures for a year")
def annual(request: HttpRequest, query: Query[YearQuery]) -> dict[str, Any]:
    """Every figure of the office's annual review for `year`, computed from the data, with the
    overdue-rate definition used; an area not installed gives null figures and is named."""
    if not may(current_user(request), "reports.annual"):
        raise Forbidden("forbidden", "The annual report is for the office's leaders, auditors and administrators")
    return annual_report(query.year).as_dict()
