"""Yearly date rules: where a (month, day) falls in a given year, windows, ages.

Every year's occurrence is computed from the month and the day; nothing ever adds a year to
last year's date, so a 29 February birthday comes back on 29 February in the next leap year.
In other years it falls on 28 February ("feb28", the default) or on 1 March ("mar1").

``month_day`` is ``month * 100 + day``, the indexed key of ``important_date``;
:func:`month_day_ranges` turns a window of dates into the key ranges an indexed query needs.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

LEAP_RULES = ("feb28", "mar1")
LEAP_DAY_KEY = 229
_FIRST_KEY, _LAST_KEY = 101, 1231


def is_valid_month_day(month: int, day: int) -> bool:
    """Whether (month, day) exists in some year; 29 February does (in leap years)."""
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(2000, month)[1]  # 2000 is a leap year


def occurrence(month: int, day: int, year: int, leap_rule: str = "feb28") -> date:
    """The day (month, day) is kept in ``year``: 29 Feb moves by the rule in other years."""
    if leap_rule not in LEAP_RULES:
        raise ValueError(f"unknown leap-day rule {leap_rule!r}")
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 3, 1) if leap_rule == "mar1" else date(year, 2, 28)
    return date(year, month, day)


def occurrences_between(
    month: int, day: int, start: date, end: date, leap_rule: str = "feb28"
) -> list[date]:
    """Every occurrence from ``start`` through ``end`` (both included), oldest first."""
    found = []
    for year in range(start.year, end.year + 1):
        when = occurrence(month, day, year, leap_rule)
        if start <= when <= end:
            found.append(when)
    return found


def next_occurrence(month: int, day: int, on: date, leap_rule: str = "feb28") -> date:
    """The first occurrence on or after ``on``."""
    this_year = occurrence(month, day, on.year, leap_rule)
    return this_year if this_year >= on else occurrence(month, day, on.year + 1, leap_rule)


def years_at(since_year: int | None, when: date) -> int | None:
    """Whole years completed at an occurrence: the age a birthday turns, an anniversary's count.

    None when the year is unknown (a year-less date never gives an age) or when the
    occurrence is not after the original date.
    """
    if since_year is None or when.year <= since_year:
        return None
    return when.year - since_year


def age_on(
    month: int, day: int, year: int | None, on: date, leap_rule: str = "feb28"
) -> int | None:
    """Age on a given day; None for a year-less date or a day before the date itself."""
    if year is None:
        return None
    completed = on.year - year
    if on < occurrence(month, day, on.year, leap_rule):
        completed -= 1
    return completed if completed >= 0 else None


def month_day(month: int, day: int) -> int:
    return month * 100 + day


def month_day_ranges(start: date, end: date, leap_rule: str = "feb28") -> list[tuple[int, int]]:
    """Inclusive ``month_day`` ranges holding every date that occurs from ``start`` to ``end``.

    A window over the year end becomes two ranges (23 Dec–31 Dec and 1 Jan–6 Jan). In a year
    without 29 February the key 229 joins the range that holds its substitute day. The ranges
    may also match a date occurring just outside the window; callers check each row with
    :func:`occurrences_between`.
    """
    if end < start:
        return []
    if end - start >= timedelta(days=365):
        return [(_FIRST_KEY, _LAST_KEY)]
    if start.year == end.year:
        pieces = [(start, end)]
    else:
        pieces = [(start, date(start.year, 12, 31)), (date(end.year, 1, 1), end)]
    return _merged([_key_range(first, last, leap_rule) for first, last in pieces])


def _key_range(first: date, last: date, leap_rule: str) -> tuple[int, int]:
    low, high = month_day(first.month, first.day), month_day(last.month, last.day)
    if not calendar.isleap(first.year):
        substitute = occurrence(2, 29, first.year, leap_rule)
        if first <= substitute <= last:
            low, high = min(low, LEAP_DAY_KEY), max(high, LEAP_DAY_KEY)
    return low, high


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged
