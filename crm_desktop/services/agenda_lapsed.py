"""Lapsed regulars: customers whose last visit is much older than their usual interval.

A customer lapses on the day their absence passes either the setting (``lapsed_after_days``,
60 by default) or, for a regular with at least three visits, twice their usual interval (the
median gap between their last visits, see ``visit_habits``) — whichever comes first, and
never before two weeks. The lapse is an occurrence like a birthday: listed on the day it
happens, late while undone, and keyed by the last visit, so marking it done lasts until the
customer comes back and stays away again. Only a lapse that has already happened is listed;
nobody knows ahead whether a customer will come.

One query finds both: a range on the indexed ``Customer.last_visit_at`` for the setting, and
a range on the indexed ``Customer.regular_lapse_on``, kept whenever visits change, for the
usual interval. No visit is read here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from crm_desktop.i18n import ngettext
from crm_desktop.models import Customer, ReminderState
from crm_desktop.services.agenda_data import (
    NO_STATE,
    AgendaWindow,
    Candidate,
    StoredState,
    new_candidate,
    person_name,
)
from crm_desktop.services.reminders import day_occurrence, join_states, wanted
from crm_desktop.services.row_stream import stream_rows
from crm_desktop.services.visit_habits import (
    INTERVAL_FACTOR,
    MIN_LAPSE_DAYS,
    usual_interval,
)

__all__ = ["lapsed_items", "lapsed_text", "usual_interval"]


def lapsed_items(session: Session, window: AgendaWindow) -> Iterator[Candidate]:
    """Active customers whose lapse happened from the window's first day through today."""
    if not window.wants("lapsed"):
        return
    limit = max(window.settings.lapsed_after_days, MIN_LAPSE_DAYS)
    first, today, after_limit = window.first, window.today, timedelta(days=limit)
    texts: dict[tuple[int, int | None], str] = {}
    by_day: dict[str, tuple[int, date]] = {}  # last visit: days away, lapse by the setting
    for row in stream_rows(session, _lapsed_query(session, window, limit)):
        if row[8] == "done":
            continue  # invited back already: never listed
        customer_id, last_day, usual, regular_lapse_on, given, family, company = row[:7]
        known = by_day.get(last_day)
        if known is None:
            last = date.fromisoformat(last_day)
            known = by_day[last_day] = ((today - last).days, last + after_limit)
        away, lapsed_on = known
        usual_days = None
        # The usual interval decides when that lapse falls in the window and comes first.
        if (
            regular_lapse_on is not None
            and first <= regular_lapse_on <= today
            and max(INTERVAL_FACTOR * usual, MIN_LAPSE_DAYS) < limit
        ):
            lapsed_on, usual_days = regular_lapse_on, usual
        text = texts.get((away, usual_days))
        if text is None:
            text = texts[away, usual_days] = lapsed_text(away, usual_days)
        state = NO_STATE if row[8] is None else StoredState(row[8], row[9])
        yield new_candidate((
            f"lapsed:{customer_id}", last_day, customer_id, person_name(given, family, company),
            "lapsed", lapsed_on, 0, None, text, "", True, state,
        ))


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


def _lapsed_query(session: Session, window: AgendaWindow, limit: int) -> Any:
    """Active customers whose lapse by the setting or by their usual interval is in the window.

    By the setting: the last visit ``limit`` days before a day from ``first`` to ``today``.
    By the interval: only when it is shorter than the setting, which it cannot be when the
    setting is at the two-week minimum.
    """
    first, today = window.first, window.today
    by_setting = and_(
        Customer.last_visit_at >= _start_of(first - timedelta(days=limit)),
        Customer.last_visit_at < _start_of(today - timedelta(days=limit - 1)),
    )
    by_habit = (
        and_(
            Customer.regular_lapse_on.between(first, today),
            Customer.usual_visit_days * INTERVAL_FACTOR < limit,
            Customer.last_visit_at.is_not(None),
        )
        if limit > MIN_LAPSE_DAYS
        else false()
    )
    # The day of the last visit, as text: the occurrence the lapse is keyed by.
    last_visit = day_occurrence(session, Customer.last_visit_at)
    query = select(
        Customer.id, last_visit, Customer.usual_visit_days, Customer.regular_lapse_on,
        Customer.first_name, Customer.last_name, Customer.company,
    ).where(
        Customer.status == "active",
        or_(by_setting, by_habit),
        wanted(window, "lapsed", Customer.id),
    )
    return join_states(query, "lapsed", Customer.id, ReminderState.occurrence == last_visit)


def _start_of(day: date) -> datetime:
    """Midnight starting ``day``, to compare with the naive timestamps in the database."""
    return datetime.combine(day, time())
