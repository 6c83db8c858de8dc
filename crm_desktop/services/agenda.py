"""The Today agenda: everything to do for customers from today through the next days.

Sources (``agenda_sources``) yield occurrences; here done and snoozed are applied and each
item is placed on the day it is due. An item is due from ``lead_days`` before its occurrence
(a birthday card a week ahead) through the occurrence itself. Occurrences of the last
:data:`LATE_DAYS` days that were never done are late: missed while the app was closed, they
are listed first instead of being lost. Done and snoozed belong to one occurrence only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.services.agenda_data import (
    LATE_DAYS,
    Agenda,
    AgendaDay,
    AgendaItem,
    AgendaSource,
    AgendaWindow,
    Candidate,
    ReminderChange,
    StoredState,
)
from crm_desktop.services.agenda_sources import DEFAULT_SOURCES
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.reminders import mark_done, snooze, states_of, undo_state
from crm_desktop.services.settings import load_settings

__all__ = [
    "LATE_DAYS",
    "Agenda",
    "AgendaDay",
    "AgendaItem",
    "AgendaWindow",
    "ReminderChange",
    "agenda",
    "mark_done",
    "snooze",
    "undo_state",
]

MAX_DAYS = 366
# Listed in this order within a day: the things with a deadline first.
_KIND_ORDER = {"complaint": 0, "coupon": 1, "offer": 2, "lapsed": 3, "birthday": 4}


def agenda(
    session: Session,
    today: date,
    days: int | None = None,
    sources: Sequence[AgendaSource] | None = None,
    late_days: int = LATE_DAYS,
) -> Agenda:
    """What is due from ``today`` through ``today + days`` (default: the settings, 14)."""
    session.flush()  # sources read through Core, which does not flush by itself
    settings = load_settings(session)
    days = settings.agenda_days if days is None else days
    if not 0 <= days <= MAX_DAYS:
        raise ValidationError(
            {"days": _("Use a number of days from 0 to {count}.").format(count=MAX_DAYS)}
        )
    window = AgendaWindow(today, days, late_days, settings)
    late: list[AgendaItem] = []
    by_day: dict[date, list[AgendaItem]] = defaultdict(list)
    for item in _placed(session, window, DEFAULT_SOURCES if sources is None else sources):
        if item.late:
            late.append(item)
        else:
            by_day[item.due_on].append(item)
    upcoming = tuple(AgendaDay(day, _in_order(by_day[day])) for day in sorted(by_day))
    return Agenda(today, days, _in_order(late), upcoming)


def _placed(
    session: Session, window: AgendaWindow, sources: Sequence[AgendaSource]
) -> list[AgendaItem]:
    """Every source's candidates placed in the window; done and snoozed applied."""
    today, first, last = window.today, window.first, window.last
    placed: list[AgendaItem] = []
    unread: list[Candidate] = []  # from sources that leave the states to the agenda
    for source in sources:
        for candidate in source(session, window):
            if candidate.state is None:
                unread.append(candidate)
                continue
            item = place(candidate, today, first, last, candidate.state)
            if item is not None:
                placed.append(item)
    if unread:
        states = states_of(session, [(c.item_key, c.occurrence) for c in unread])
        for candidate in unread:
            state = states.get((candidate.item_key, candidate.occurrence))
            item = place(candidate, today, first, last, state)
            if item is not None:
                placed.append(item)
    return placed


def place(
    candidate: Candidate, today: date, first: date, last: date, state: StoredState | None
) -> AgendaItem | None:
    """The item as listed from ``today`` through ``last``, late back to ``first``.

    None when the occurrence is done, snoozed past the window, or out of range. Runs for
    every candidate, tens of thousands with a big customer base, so it avoids the work
    most of them do not need.
    """
    (item_key, occurrence, customer_id, name, kind, occurs_on, lead_days, years, text, label,
     may_be_late, _read_state) = candidate
    snoozed_until = None
    if state is not None and state.state:
        if state.state == "done":
            return None
        snoozed_until = state.snoozed_until
    if occurs_on < today:
        # Its reminder period began before today; only a snooze can move that past today.
        if not may_be_late or occurs_on < first or (
            snoozed_until is not None and snoozed_until > today
        ):
            return None
        due, late = occurs_on, True
    else:
        starts = occurs_on - timedelta(days=lead_days) if lead_days else occurs_on
        if snoozed_until is not None and snoozed_until > starts:
            starts = snoozed_until
        if starts > last:
            return None
        due, late = (starts if starts > today else today), False
    # tuple.__new__ skips the named tuple's own constructor, a Python-level call.
    return tuple.__new__(AgendaItem, (
        item_key, occurrence, customer_id, name, kind, label, occurs_on, due, years, text, late,
        snoozed_until,
    ))


def _in_order(items: list[AgendaItem]) -> tuple[AgendaItem, ...]:
    """By occurrence, then the things with a deadline first, then by name.

    Sorted a day of occurrences at a time: many small sorts cost less than one big one.
    """
    by_occurrence: dict[date, list[AgendaItem]] = defaultdict(list)
    for item in items:
        by_occurrence[item.occurs_on].append(item)
    ordered: list[AgendaItem] = []
    for day in sorted(by_occurrence):
        ordered += sorted(by_occurrence[day], key=_order_in_day)
    return tuple(ordered)


def _order_in_day(item: AgendaItem) -> tuple[int, str, str]:
    return _KIND_ORDER.get(item.kind, 9), item.name, item.item_key
