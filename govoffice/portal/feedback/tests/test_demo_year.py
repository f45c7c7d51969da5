"""The demo year: annual_figures reads back the seed × scale, and the same seed makes the same rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from govoffice.demo.year import feedback as demo
from govoffice.demo.year.context import SEED, YearContext
from govoffice.portal.feedback.models import Feedback, State, StatusEntry
from govoffice.portal.feedback.selectors import annual_figures, counts_by_outcome

pytestmark = pytest.mark.django_db

KEYS = ("feedback_citizen_received", "feedback_citizen_in_scope", "feedback_business_received", "feedback_business_forwarded")


@pytest.fixture
def ctx(agencies: Any, enroll: Any) -> YearContext:
    members = [enroll(code).agency for code in ("000.00.00.G12", "000.00.00.H41", "000.00.00.H29")]
    return YearContext(year=2019, scale=0.05, seed=7, office=agencies["000.00.00.G22"], members=members, people={})


def run(ctx: YearContext) -> list[tuple[str, str, str]]:
    with transaction.atomic():
        demo.generate(ctx)
    return list(Feedback.objects.order_by("code").values_list("code", "state", "source"))


def test_the_figures_read_back_the_seed_times_the_scale(ctx: YearContext) -> None:
    run(ctx)
    assert annual_figures(2019) == {key: round(SEED[key] * 0.05) for key in KEYS}
    outcome = counts_by_outcome(2019)
    assert outcome[State.PUBLISHED] > 0 and outcome[State.OUT_OF_SCOPE] > 0 and outcome["rating_satisfied"] > 0
    assert StatusEntry.objects.count() >= Feedback.objects.count()
    dup = Feedback.objects.filter(state=State.DUPLICATE).select_related("duplicate_of").first()
    assert dup is None or (dup.duplicate_of is not None and dup.duplicate_of.forwarded_to_id is not None)


def test_the_same_seed_makes_the_same_rows(ctx: YearContext) -> None:
    first = run(ctx)
    StatusEntry.objects.all().delete()
    Feedback.objects.filter(duplicate_of__isnull=False).delete()
    Feedback.objects.all().delete()
    assert run(ctx) == first
