"""Yearly date rules: 29 February, windows over the year end, ages."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest

from crm_desktop.services.occurrences import (
    age_on,
    is_valid_month_day,
    month_day_ranges,
    next_occurrence,
    occurrence,
    occurrences_between,
    years_at,
)

YEARS = [*range(2024, 2031), 2100]


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize(("rule", "substitute"), [("feb28", (2, 28)), ("mar1", (3, 1))])
def test_leap_day_falls_by_the_rule_in_other_years(year, rule, substitute):
    expected = date(year, 2, 29) if calendar.isleap(year) else date(year, *substitute)
    assert occurrence(2, 29, year, rule) == expected


def test_2100_is_not_a_leap_year():
    with pytest.raises(ValueError):
        date(2100, 2, 29)
    assert occurrence(2, 29, 2100) == date(2100, 2, 28)
    assert occurrence(2, 29, 2100, "mar1") == date(2100, 3, 1)


@pytest.mark.parametrize("rule", ["feb28", "mar1"])
def test_each_year_is_computed_from_month_and_day(rule):
    """After a non-leap year the date goes back to 29 Feb, not to last year's substitute."""
    dates = [occurrence(2, 29, year, rule) for year in YEARS]
    assert [d for d in dates if d.day == 29] == [date(2024, 2, 29), date(2028, 2, 29)]
    assert occurrence(2, 28, 2025, rule) == date(2025, 2, 28)
    assert occurrence(3, 1, 2028, rule) == date(2028, 3, 1)


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        occurrence(2, 29, 2025, "feb27")


def test_valid_month_days():
    assert is_valid_month_day(2, 29)
    assert not is_valid_month_day(2, 30)
    assert not is_valid_month_day(4, 31)
    assert not is_valid_month_day(13, 1)
    assert not is_valid_month_day(1, 0)


def test_window_over_the_year_end_includes_both_ends():
    start = date(2026, 12, 23)
    end = start + timedelta(days=14)
    assert end == date(2027, 1, 6)
    assert occurrences_between(12, 23, start, end) == [date(2026, 12, 23)]
    assert occurrences_between(1, 6, start, end) == [date(2027, 1, 6)]
    assert occurrences_between(1, 7, start, end) == []
    assert occurrences_between(12, 22, start, end) == []


def test_a_window_longer_than_a_year_holds_two_occurrences():
    found = occurrences_between(3, 1, date(2026, 1, 1), date(2027, 12, 31))
    assert found == [date(2026, 3, 1), date(2027, 3, 1)]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 2, 27), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2027, 2, 28)),
        (date(2027, 3, 1), date(2028, 2, 29)),
    ],
)
def test_next_occurrence_of_a_leap_day(on, expected):
    assert next_occurrence(2, 29, on) == expected


def test_years_need_a_known_year():
    assert years_at(None, date(2026, 5, 1)) is None
    assert years_at(1986, date(2026, 5, 1)) == 40
    assert years_at(2026, date(2026, 5, 1)) is None  # not yet a whole year


def test_age_on_a_day():
    assert age_on(5, 1, None, date(2026, 6, 1)) is None
    assert age_on(5, 1, 1986, date(2026, 4, 30)) == 39
    assert age_on(5, 1, 1986, date(2026, 5, 1)) == 40
    # Born on 29 Feb 2000: turns 25 on 28 Feb 2025 by default, on 1 March by the other rule.
    assert age_on(2, 29, 2000, date(2025, 2, 28)) == 25
    assert age_on(2, 29, 2000, date(2025, 2, 28), "mar1") == 24


def _keys_by_brute_force(start: date, end: date, rule: str) -> set[int]:
    keys = set()
    for month in range(1, 13):
        for day in range(1, calendar.monthrange(2000, month)[1] + 1):
            if occurrences_between(month, day, start, end, rule):
                keys.add(month * 100 + day)
    return keys


def _keys_in(ranges: list[tuple[int, int]]) -> set[int]:
    valid = {m * 100 + d for m in range(1, 13) for d in range(1, 32) if is_valid_month_day(m, d)}
    return {key for key in valid if any(low <= key <= high for low, high in ranges)}


@pytest.mark.parametrize("rule", ["feb28", "mar1"])
@pytest.mark.parametrize(
    ("start", "days"),
    [
        (date(2026, 12, 23), 14),  # over the year end
        (date(2027, 2, 20), 8),  # ends on 28 Feb of a non-leap year
        (date(2027, 3, 1), 10),  # starts on 1 Mar of a non-leap year
        (date(2028, 2, 25), 10),  # a leap year
        (date(2100, 2, 28), 0),  # one day, not a leap year
        (date(2099, 12, 1), 100),  # into 2100
        (date(2026, 5, 5), 400),  # more than a year
    ],
)
def test_month_day_ranges_cover_exactly_the_dates_in_the_window(rule, start, days):
    end = start + timedelta(days=days)
    ranges = month_day_ranges(start, end, rule)
    assert _keys_in(ranges) == _keys_by_brute_force(start, end, rule)
    assert len(ranges) <= 2


def test_wrapping_window_splits_into_two_ranges():
    assert month_day_ranges(date(2026, 12, 23), date(2027, 1, 6)) == [(101, 106), (1223, 1231)]


def test_an_empty_window_has_no_ranges():
    assert month_day_ranges(date(2026, 5, 2), date(2026, 5, 1)) == []
