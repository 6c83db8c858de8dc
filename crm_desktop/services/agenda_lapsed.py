"""Lapsed regulars: customers whose last visit is much older than their usual interval.

A customer lapses on the day their absence passes either the setting (``lapsed_after_days``,
60 by default) or, for a regular with at least three visits, twice their usual interval (the
median gap between their last visits) — whichever comes first, and never before two weeks.
The lapse is an occurrence like a birthday: listed on the day it happens, late while undone,
and keyed by the last visit, so marking it done lasts until the customer comes back and
stays away again. Only a lapse that has already happened is listed; nobody knows ahead
whether a customer will come.

Both rules are range queries on the indexed ``Customer.last_visit_at``; the second reads the
last few visits of customers seen in the period that can lapse, never every customer.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_desktop.i18n import ngettext
from crm_desktop.models import Customer, Touchpoint
from crm_desktop.services.agenda_data import AgendaWindow, Candidate, person_name

MIN_VISITS = 3  # a regular: at least this many visits
RECENT_VISITS = 6  # the usual interval is the median gap between the last six visits
INTERVAL_FACTOR = 2  # lapsed after twice the usual interval
MIN_LAPSE_DAYS = 14  # away for less than two weeks is never a lapse
HISTORY_DAYS = 150  # the usual interval comes from the visits of about five months
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Lapse:
    customer_id: int
    last_visit: date
    lapsed_on: date
    usual_days: int | None  # the usual interval, when that rule decided


def lapsed_items(session: Session, window: AgendaWindow) -> Iterator[Candidate]:
    lapses = {lapse.customer_id: lapse for lapse in after_setting(session, window)}
    for lapse in after_usual_interval(session, window):
        lapses[lapse.customer_id] = lapse  # the earlier day of the same lapse
    names = _names(session, lapses)
    for lapse in lapses.values():
        away = (window.today - lapse.last_visit).days
        yield Candidate(
            f"lapsed:{lapse.customer_id}", lapse.last_visit.isoformat(), lapse.customer_id,
            names.get(lapse.customer_id, ""), "lapsed", lapse.lapsed_on, 0, None,
            lapsed_text(away, lapse.usual_days),
        )


def lapsed_text(away_days: int, usual_days: int | None) -> str:
    if usual_days is not None and usual_days > 1:
        return ngettext(
            "No visit for {count} day, usually every {usual} days: invite them back.",
            "No visit for {count} days, usually every {usual} days: invite them back.",
            away_days,
        ).format(count=away_days, usual=usual_days)
    return ngettext(
        "No visit for {count} day: invite them back.",
        "No visit for {count} days: invite them back.",
        away_days,
    ).format(count=away_days)


def after_setting(session: Session, window: AgendaWindow) -> Iterator[Lapse]:
    """Active customers whose last visit passed the setting's limit within the window."""
    limit = timedelta(days=max(window.settings.lapsed_after_days, MIN_LAPSE_DAYS))
    rows: Iterable[Any] = session.execute(
        select(Customer.id, Customer.last_visit_at).where(
            Customer.last_visit_at >= _start_of(window.first - limit),
            Customer.last_visit_at < _start_of(window.today - limit + timedelta(days=1)),
            Customer.status == "active",
        )
    )
    for customer_id, last_at in rows:
        last = last_at.date()
        yield Lapse(customer_id, last, last + limit, None)


def after_usual_interval(session: Session, window: AgendaWindow) -> Iterator[Lapse]:
    """Regulars away for twice their usual interval, when that comes before the setting."""
    limit = max(window.settings.lapsed_after_days, MIN_LAPSE_DAYS)
    if limit <= MIN_LAPSE_DAYS:
        return
    visits = _recent_visits(session, window, limit)
    for customer_id, days in visits.items():
        usual = usual_interval(days)
        if usual is None:
            continue
        away = max(INTERVAL_FACTOR * usual, MIN_LAPSE_DAYS)
        lapsed_on = days[-1] + timedelta(days=away)
        if away < limit and window.first <= lapsed_on <= window.today:
            yield Lapse(customer_id, days[-1], lapsed_on, usual)


def usual_interval(visit_days: list[date]) -> int | None:
    """The median gap in whole days between distinct visit days; None below three visits."""
    if len(visit_days) < MIN_VISITS:
        return None
    gaps = [(later - earlier).days for earlier, later in pairwise(visit_days)]
    return max(1, round(statistics.median(gaps)))


def _recent_visits(session: Session, window: AgendaWindow, limit: int) -> dict[int, list[date]]:
    """The last visit days, oldest first, of active customers who may lapse in the window."""
    first_last_visit = window.first - timedelta(days=limit)
    rank = (
        func.row_number()
        .over(partition_by=Touchpoint.customer_id, order_by=Touchpoint.occurred_at.desc())
        .label("rank")
    )
    ranked = (
        select(Touchpoint.customer_id, Touchpoint.occurred_at, rank)
        .join(Customer, Customer.id == Touchpoint.customer_id)
        .where(
            Customer.last_visit_at >= _start_of(first_last_visit),
            Customer.last_visit_at < _start_of(window.today - timedelta(days=MIN_LAPSE_DAYS - 1)),
            Customer.status == "active",
            Touchpoint.kind == "visit",
            Touchpoint.occurred_at >= _start_of(first_last_visit - timedelta(days=HISTORY_DAYS)),
        )
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.customer_id, ranked.c.occurred_at).where(ranked.c.rank <= RECENT_VISITS)
    )
    days: dict[int, set[date]] = defaultdict(set)
    for customer_id, occurred_at in rows:
        days[customer_id].add(occurred_at.date())
    return {customer_id: sorted(found) for customer_id, found in days.items()}


def _names(session: Session, customer_ids: Iterable[int]) -> dict[int, str]:
    ids = list(customer_ids)
    names: dict[int, str] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(Customer.id, Customer.first_name, Customer.last_name, Customer.company).where(
                Customer.id.in_(ids[start : start + _CHUNK])
            )
        )
        for customer_id, first, last, company in rows:
            names[customer_id] = person_name(first, last, company)
    return names


def _start_of(day: date) -> datetime:
    """Midnight starting ``day``, to compare with the naive timestamps in the database."""
    return datetime.combine(day, time())
