from __future__ import annotations

import datetime as dt

from govoffice.lib.workdays import WorkCalendar

D = dt.date


def test_weekends_are_not_working_days() -> None:
    cal = WorkCalendar()
    assert not cal.is_workday(D(2019, 6, 1))  # Saturday
    assert not cal.is_workday(D(2019, 6, 2))  # Sunday
    assert cal.is_workday(D(2019, 6, 3))


def test_national_day_and_tet_are_holidays() -> None:
    cal = WorkCalendar()
    assert cal.is_holiday(D(2019, 9, 2))
    assert cal.is_holiday(D(2019, 2, 5))  # Lunar New Year 2019 (Kỷ Hợi)
    assert cal.is_holiday(D(2019, 4, 30))


def test_adding_working_days_skips_weekends_and_holidays() -> None:
    cal = WorkCalendar()
    # Friday 26/04/2019: 29/04 was given off (swapped), 30/04 and 01/05 are holidays,
    # and Saturday 04/05 was worked in exchange: three working days later is 02/05, 03/05, 04/05.
    assert cal.is_holiday(D(2019, 4, 29))
    assert cal.add(D(2019, 4, 26), 3) == D(2019, 5, 4)


def test_counting_between_is_the_inverse_of_adding() -> None:
    cal = WorkCalendar()
    start = D(2019, 1, 28)
    for n in (1, 5, 10, 30):
        assert cal.between(start, cal.add(start, n)) == n


def test_configured_days_override_the_library() -> None:
    cal = WorkCalendar(extra_holidays=["2019-04-29"], extra_workdays=["2019-05-04"], removed_holidays=["2019-09-02"])
    assert cal.is_holiday(D(2019, 4, 29))
    assert cal.is_workday(D(2019, 5, 4))  # a make-up Saturday
    assert cal.is_workday(D(2019, 9, 2))


def test_zero_days_moves_to_the_next_working_day() -> None:
    assert WorkCalendar().add(D(2019, 6, 1), 0) == D(2019, 6, 3)


def test_negative_days_count_backwards() -> None:
    assert WorkCalendar().add(D(2019, 6, 3), -1) == D(2019, 5, 31)


def test_make_up_saturdays_known_to_the_library_are_working_days() -> None:
    assert WorkCalendar().is_workday(D(2025, 4, 26))
