"""The Today agenda at 100,000 customers.

Gated: the next 14 days of birthdays, anniversaries and custom dates, as ``agenda`` lists them
(due from the lead time before the day), in a fresh session per call as the window asks.
The baseline is the indexed ``month_day`` range query one would write by hand with sqlite3
for the same days, names joined; Kanta must stay within 2× of it and under 40 ms.

Shown without a target: the whole agenda, every source and 30 days of late items, so its
cost is on the table too. On the demo data that is tens of thousands of items, and two of
its sources cannot use an index yet: "customer since" anniversaries read every customer, and
a regular's usual interval needs their last visits.
"""

from __future__ import annotations

from datetime import date, timedelta

from benchmarks.framework import Bench, Figure, Target, timed
from crm_desktop.services.agenda import agenda
from crm_desktop.services.agenda_sources import important_date_items
from crm_desktop.services.occurrences import month_day_ranges
from crm_desktop.services.settings import load_settings

DAYS = 14
TARGET = Target(seconds=0.040, ratio=2.0)
RAW_SQL = """
SELECT important_date.id, important_date.month, important_date.day, important_date.year,
       important_date.kind, important_date.lead_days,
       customer.first_name, customer.last_name, customer.company
FROM important_date JOIN customer ON customer.id = important_date.customer_id
WHERE {where}
"""


def figures(_bench: Bench) -> list[Figure]:
    return [_dates_figure(), _everything_figure()]


def _dates_figure() -> Figure:
    today = date.today()  # the demo database is made for today

    def kanta_keys(bench: Bench) -> set[str]:
        with bench.database().session() as session:
            result = agenda(session, today, DAYS, [important_date_items], late_days=0)
        return {item.item_key for item in result.items}

    def raw_rows(bench: Bench) -> list[tuple[object, ...]]:
        with bench.database().session() as session:
            settings = load_settings(session)
        lead = max(settings.birthday_lead_days, settings.anniversary_lead_days)
        end = today + timedelta(days=DAYS + lead)
        raw = bench.raw()
        rows: list[tuple[object, ...]] = []
        for low, high in month_day_ranges(today, end, settings.leap_day_rule):
            where = "important_date.month_day BETWEEN ? AND ?"
            rows += raw.execute(RAW_SQL.format(where=where), (low, high)).fetchall()
        where = "important_date.lead_days > ?"  # a customer's own, longer lead time
        rows += raw.execute(RAW_SQL.format(where=where), (lead,)).fetchall()
        return rows

    def check(bench: Bench) -> None:
        ours = kanta_keys(bench)
        theirs = {f"date:{row[0]}" for row in raw_rows(bench)}
        if ours != theirs or not ours:
            raise AssertionError(
                f"agenda dates: Kanta lists {len(ours)}, the raw query finds {len(theirs)}"
            )

    return Figure(
        f"{DAYS}-day agenda: birthdays and anniversaries",
        measure_kanta=lambda bench: timed(lambda: kanta_keys(bench)),
        measure_baseline=lambda bench: timed(lambda: raw_rows(bench)),
        target=TARGET,
        check=check,
    )


def _everything_figure() -> Figure:
    today = date.today()

    def everything(bench: Bench) -> int:
        with bench.database().session() as session:
            return len(agenda(session, today, DAYS).items)

    return Figure(
        f"{DAYS}-day agenda, every source and late items (no target)",
        measure_kanta=lambda bench: timed(lambda: everything(bench)),
        measure_baseline=None,
        target=Target(),
        repeats=3,
    )
