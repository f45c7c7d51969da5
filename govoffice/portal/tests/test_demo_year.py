from __future__ import annotations

from typing import Any

from govoffice.demo.year import portal as demo
from govoffice.demo.year.context import YearContext
from govoffice.portal.models import DailyVisits, Dossier
from govoffice.portal.selectors import annual_figures, public_status


def context(directory: Any, seed: int = 7) -> YearContext:
    return YearContext(year=2019, scale=0.02, seed=seed, office=directory["000.00.00.G22"], members=[], people={})


def test_the_demo_year_reads_back_its_documented_figures(directory: Any) -> None:
    demo.generate(context(directory))
    figures = annual_figures(2019)
    assert figures == {"portal_visits": round(demo.PORTAL_VISITS_2019 * 0.02), "dossiers": round(demo.DOSSIERS * 0.02)}
    launch = DailyVisits.objects.filter(day__range=("2019-12-09", "2019-12-18")).values_list("count", flat=True)
    assert sum(launch) == round(demo.SURGE_VISITS * 0.02)
    assert not DailyVisits.objects.filter(day__lt="2019-12-09").exists()
    code = Dossier.objects.order_by("pk").values_list("receipt_code", flat=True).first()
    assert public_status(str(code)) is not None


def test_the_same_seed_gives_the_same_dossiers(directory: Any) -> None:
    demo.generate(context(directory))
    first = list(Dossier.objects.order_by("receipt_code").values_list("receipt_code", "status", "submitted_at"))
    Dossier.objects.all().delete()
    DailyVisits.objects.all().delete()
    demo.generate(context(directory))
    assert list(Dossier.objects.order_by("receipt_code").values_list("receipt_code", "status", "submitted_at")) == first


def test_another_year_counts_views_all_year(directory: Any) -> None:
    ctx = YearContext(year=2021, scale=0.001, seed=1, office=directory["000.00.00.G22"], members=[], people={})
    demo.generate(ctx)
    assert annual_figures(2021)["portal_visits"] == round(demo.YEARLY_VISITS * 0.001)
    assert DailyVisits.objects.filter(day__year=2021).values("day").distinct().count() == 365
