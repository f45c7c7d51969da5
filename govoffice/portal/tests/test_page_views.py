from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from govoffice.portal import visits
from govoffice.portal.models import DailyVisits
from govoffice.portal.selectors import annual_figures


def test_public_pages_are_counted_per_day_in_one_row_per_page(client: Any, catalogue: Any) -> None:
    for _ in range(3):
        client.get("/portal/procedures/", {"q": "ho tich"})
    client.get("/portal/")
    client.get("/portal/procedures/2.000488/")
    client.get("/portal/lookup/")
    assert DailyVisits.objects.count() == 0  # counted in memory, written in batches
    assert visits.flush() == 6
    today = timezone.localdate()
    assert dict(DailyVisits.objects.filter(day=today).values_list("page", "count")) == {
        "catalogue": 3, "home": 1, "procedure": 1, "lookup": 1}
    client.get("/portal/")
    visits.flush()
    assert DailyVisits.objects.get(day=today, page="home").count == 2
    assert annual_figures(today.year)["portal_visits"] == 7


def test_annual_figures_sum_the_year_only(db: Any) -> None:
    visits.add("2019-03-01", "home", 100)
    visits.add("2019-12-31", "lookup", 5)
    visits.add("2020-01-01", "home", 999)
    assert annual_figures(2019) == {"portal_visits": 105, "dossiers": 0}
    assert annual_figures(2019)["portal_visits"] == sum(DailyVisits.objects.filter(day__year=2019).values_list("count", flat=True))
    assert dt.date(2020, 1, 1) not in DailyVisits.objects.filter(day__year=2019).values_list("day", flat=True)
