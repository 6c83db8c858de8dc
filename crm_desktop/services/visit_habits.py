"""A customer's usual interval between visits, and the day they lapse by it.

A regular (three visits or more) lapses when their absence reaches twice their usual
interval, the median gap between their last visits, and never before two weeks. Both are
kept on the customer (``usual_visit_days``, ``regular_lapse_on``) wherever visits are
written — a visit logged or deleted, an import, the demo data — so the agenda finds lapsed
regulars with one indexed range query instead of reading everyone's visits.

The interval comes from the last :data:`RECENT_VISITS` visits within :data:`HISTORY_DAYS` of
the last visit, counted in whole days; several visits on one day count once.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop.models import Customer, Touchpoint

MIN_VISITS = 3  # a regular: at least this many visits
RECENT_VISITS = 6  # the usual interval is the median gap between the last six visits
INTERVAL_FACTOR = 2  # lapsed after twice the usual interval
MIN_LAPSE_DAYS = 14  # away for less than two weeks is never a lapse
HISTORY_DAYS = 150  # the usual interval comes from the visits of about five months


class VisitHabit(NamedTuple):
    usual_days: int | None  # None below three visits
    lapse_on: date | None  # the last visit plus twice the usual interval


NO_HABIT = VisitHabit(None, None)


def usual_interval(visit_days: list[date]) -> int | None:
    """The median gap in whole days between distinct visit days; None below three visits."""
    if len(visit_days) < MIN_VISITS:
        return None
    gaps = [(later - earlier).days for earlier, later in pairwise(visit_days)]
    return max(1, round(statistics.median(gaps)))


def habit_of(visit_times: Iterable[datetime]) -> VisitHabit:
    """The habit shown by these visits (in any order), as of the newest of them."""
    newest = sorted(visit_times, reverse=True)[:RECENT_VISITS]
    if not newest:
        return NO_HABIT
    last = newest[0].date()
    oldest = last - timedelta(days=HISTORY_DAYS)
    usual = usual_interval(sorted({t.date() for t in newest if t.date() >= oldest}))
    if usual is None:
        return NO_HABIT
    return VisitHabit(usual, last + timedelta(days=max(INTERVAL_FACTOR * usual, MIN_LAPSE_DAYS)))


def habit_as_of(last_visit: datetime | None, visit_times: Iterable[datetime]) -> VisitHabit:
    """The habit as of ``last_visit``, from the visits up to it.

    The last visit counts as a visit even when none was logged at that time (an import).
    """
    if last_visit is None:
        return NO_HABIT
    return habit_of({last_visit, *(when for when in visit_times if when <= last_visit)})


def refresh_visit_habit(session: Session, customer: Customer) -> None:
    """Work the customer's habit out again from their visits up to ``last_visit_at``."""
    last = customer.last_visit_at
    times: list[datetime] = []
    if last is not None:
        oldest = datetime.combine(last.date() - timedelta(days=HISTORY_DAYS), time())
        times = list(session.scalars(
            select(Touchpoint.occurred_at)
            .where(
                Touchpoint.customer_id == customer.id,
                Touchpoint.kind == "visit",
                Touchpoint.occurred_at >= oldest,
                Touchpoint.occurred_at <= last,
            )
            .order_by(Touchpoint.occurred_at.desc())
            .limit(RECENT_VISITS)
        ))
    customer.usual_visit_days, customer.regular_lapse_on = habit_as_of(last, times)
