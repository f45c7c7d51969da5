"""The demo year makes the seed's sessions and ballots x scale, deterministically, and
annual_figures reads them back; demo answers are really signed."""

from __future__ import annotations

import random

import pytest

from govoffice.cabinet import signatures
from govoffice.cabinet.models import Answer, Ballot, Meeting
from govoffice.cabinet.selectors import annual_figures
from govoffice.demo.year import cabinet as generator
from govoffice.demo.year.context import YearContext
from govoffice.directory.models import Role

pytestmark = pytest.mark.django_db


def context(office, ministry, people) -> YearContext:
    return YearContext(year=2019, scale=0.05, seed=7, office=office, members=[office, ministry], people=people)


def snapshot() -> list[tuple[str, str, list[str]]]:
    return [(b.title, b.deadline.isoformat(), [a.choices[next(iter(a.choices))]["option"] for a in b.answers.order_by("member__username")])
            for b in Ballot.objects.order_by("deadline", "title")]


def test_the_demo_year_reads_back_the_seed_figures_and_is_deterministic(office, ministry, make_user) -> None:
    pm = make_user(Role.GOVERNMENT_MEMBER, Role.GOVERNMENT_LEADER, username="thutuong", position="Thủ tướng Chính phủ")
    people = {"thutuong": pm}
    generator.generate(context(office, ministry, people))
    ctx = context(office, ministry, people)
    assert annual_figures(2019) == {"cabinet_sessions": ctx.target("cabinet_sessions"), "cabinet_ballots": ctx.target("cabinet_ballots")}
    assert annual_figures(2018) == {"cabinet_sessions": 0, "cabinet_ballots": 0}
    assert Ballot.objects.first().members.count() == 27  # type: ignore[union-attr]
    sample = random.Random(1).sample(list(Answer.objects.select_related("certificate")), 5)
    assert all(signatures.verify_answer(a) for a in sample)
    first = snapshot()
    Answer.objects.all().delete()
    Ballot.objects.all().delete()
    Meeting.objects.all().delete()
    generator.generate(context(office, ministry, people))
    second = snapshot()
    assert [(t, d) for t, d, _ in first] == [(t, d) for t, d, _ in second]
    assert [v for _, _, v in first] == [v for _, _, v in second]
