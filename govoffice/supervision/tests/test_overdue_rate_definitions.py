"""The overdue rate's named definitions: the issue's default, and the one that reproduces the published 2017 figure."""

from __future__ import annotations

import pytest

from govoffice.lib.errors import DomainError
from govoffice.supervision import rates

# 2017 (DOMAIN.md §5): 16,051 completed (14,068 on time, 1,983 late); 5,863 not (5,640 within term, 223 overdue).
Y2017 = rates.Counts(completed_on_time=14_068, completed_late=1_983, unfinished_in_term=5_640, unfinished_overdue=223)


def test_the_2017_counts_add_up_to_the_published_totals() -> None:
    assert (Y2017.completed, Y2017.unfinished, Y2017.total) == (16_051, 5_863, 21_914)


def test_the_default_is_overdue_over_completed_plus_overdue_which_gives_1_37_for_2017() -> None:
    # 223 / 16,274 = 1.3702…%: the formula DOMAIN.md §5 names is one hundredth under the published 1.38%.
    definition = rates.get_definition(None)
    assert definition.key == "due-overdue@1" == rates.DEFAULT
    assert rates.truncated_percent(223, 16_274) == 1.37
    assert definition.compute(Y2017) == 1.37


def test_overdue_over_completed_reproduces_the_published_1_38_percent() -> None:
    assert rates.get_definition("vpcp-overdue@1").compute(Y2017) == 1.38


def test_truncation_cuts_and_never_rounds_up() -> None:
    assert rates.truncated_percent(2, 3) == 66.66
    assert rates.truncated_percent(207, 10_000) == 2.07
    assert rates.truncated_percent(1, 0) is None


def test_another_definition_can_be_registered_but_a_key_never_redefined() -> None:
    extra = rates.Definition("late-share", 1, "Late ÷ completed", "completed_late / completed", lambda c: rates.truncated_percent(c.completed_late, c.completed))
    try:
        rates.register_definition(extra)
        assert rates.get_definition("late-share@1").compute(Y2017) == 12.35
        with pytest.raises(ValueError, match="already registered"):
            rates.register_definition(extra)
    finally:
        rates.DEFINITIONS.pop("late-share@1", None)


def test_an_unknown_definition_is_refused_by_name() -> None:
    with pytest.raises(DomainError) as caught:
        rates.get_definition("made-up@9")
    assert caught.value.code == "unknown_definition"
    assert caught.value.field == "definition"
