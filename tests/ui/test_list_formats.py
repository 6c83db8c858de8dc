"""The customer list formats through Qt's locale; its text must be Babel's, as elsewhere."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from crm_desktop import i18n
from crm_desktop.ui.list_formats import short_date, whole_number

DAYS = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)] + [
    date(1999, 9, 9), date(2000, 2, 29), date(2100, 2, 28), date(1950, 10, 31)
]
NUMBERS = [0, 1, 7, 999, 1000, 1001, 12_345, 100_000, 999_999, 1_234_567]


@pytest.fixture(params=["fi", "en"])
def language(request):
    previous = i18n.current_language()
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language(previous)


def test_short_dates_are_babels(language):
    for day in DAYS:
        assert short_date(day) == i18n.format_date(day), day


def test_whole_numbers_are_babels(language):
    for number in NUMBERS:
        assert whole_number(number) == i18n.format_number(number), number


def test_the_interface_language_decides(qapp):
    i18n.set_language("fi")
    try:
        assert short_date(date(2026, 12, 8)) == "8.12.2026"
        assert whole_number(100_000) == "100\u00a0000"
    finally:
        i18n.set_language("en")
    assert short_date(date(2026, 12, 8)) == "08/12/2026"
    assert whole_number(100_000) == "100,000"
