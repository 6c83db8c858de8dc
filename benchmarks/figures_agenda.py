"""The Today agenda at 100,000 customers, as the Today section asks for it.

Gated: ``agenda(session, today, 14)`` in a fresh session per call, every source and the late
items: birthdays and anniversaries, "customer since" anniversaries, lapsed regulars,
complaint follow-ups, expiring coupons, ending offers and referrers to thank, with done and
snoozed applied.

Late means missed while Kanta was closed (``agenda_shown``): the days the agenda was last
shown are set as a shop that opens Kanta every working day leaves them on a Monday after a
closed weekend. It was last shown three days ago (Friday) and the day before that
(Thursday), so the greetings of the two days in between (the weekend) are late. Obligations
(lapsed regulars, complaint follow-ups, ending offers, referrers to thank) stay late while
owed, up to 30 days back, however often the agenda was shown.

Before measuring, the demo database gets a year of reminder states, as a shop that works
through its agenda leaves them: every birthday, anniversary and "customer since" occurrence
from a year ago up to the late window is done, and so are the lapses that happened before
it; so is one in four of those since and of the other lapsed regulars. The agenda must find
the few states of its own items among them without reading the rest. None of them is a
snooze.

The baseline runs, through plain sqlite3, the indexed queries one would write by hand for the
same items (see ``agenda_baseline``): the days last shown, for the same late window; the
snoozes that ended lately; the ``month_day`` and ``since_month_day`` ranges, the
``last_visit_at`` and ``regular_lapse_on`` ranges, the date ranges of complaints, coupons and
offers, the referrals still waiting for thanks by their status index, the states of those rows
by their (item key, occurrence) index, names joined. It only fetches the rows; Kanta also
works out each occurrence, its text, its day and the order.
"""

from __future__ import annotations

from datetime import date, timedelta

from benchmarks.agenda_baseline import (
    RawAgenda,
    add_reminder_states,
    expected_items,
    raw_agenda_rows,
)
from benchmarks.framework import Bench, Figure, Target, timed
from crm_desktop.services.agenda import Agenda, agenda
from crm_desktop.services.agenda_shown import late_window_start, record_agenda_shown

DAYS = 14
TARGET = Target(seconds=0.040, ratio=2.0)
SHOWN_DAYS_AGO = (4, 3)  # Thursday and Friday, seen from Monday


def figures(_bench: Bench) -> list[Figure]:
    return [_agenda_figure()]


def _agenda_figure() -> Figure:
    today = date.today()  # the demo database is made for today
    prepared: list[int] = []

    def kanta_agenda(bench: Bench) -> Agenda:
        with bench.database().session() as session:
            return agenda(session, today, DAYS)

    def raw_rows(bench: Bench) -> RawAgenda:
        return raw_agenda_rows(bench.raw(), today, DAYS)

    def check(bench: Bench) -> None:
        if not prepared:  # the check runs first
            prepared.append(_after_a_closed_weekend(bench, today))
        ours = {(item.item_key, item.occurrence) for item in kanta_agenda(bench).items}
        theirs = expected_items(raw_rows(bench))
        if ours != theirs or not ours:
            raise AssertionError(
                f"agenda: Kanta lists {len(ours)} items, the raw queries give {len(theirs)}; "
                f"{len(ours - theirs)} only in Kanta, {len(theirs - ours)} only in the raw rows"
            )

    return Figure(
        f"{DAYS}-day agenda, every source and late items",
        measure_kanta=lambda bench: timed(lambda: kanta_agenda(bench)),
        measure_baseline=lambda bench: timed(lambda: raw_rows(bench)),
        target=TARGET,
        check=check,
    )


def _after_a_closed_weekend(bench: Bench, today: date) -> int:
    """Record the days shown as Monday sees them, then add the states; their count."""
    with bench.database().session() as session:
        for days_ago in SHOWN_DAYS_AGO:
            record_agenda_shown(session, today - timedelta(days=days_ago))
        first = late_window_start(session, today)
    if first != today - timedelta(days=min(SHOWN_DAYS_AGO) - 1):
        raise AssertionError(f"agenda: the late window starts on {first}, not after Friday")
    return add_reminder_states(bench.raw(), today, first)
