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
)
from crm_desktop.services.agenda_sources import DEFAULT_SOURCES
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.reminders import StoredState, mark_done, snooze, states_since, undo_state
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
    states = states_since(session, window.first.year - 2)
    first, last = window.first, window.last
    placed: list[AgendaItem] = []
    for source in DEFAULT_SOURCES if sources is None else sources:
        for candidate in source(session, window):
            # Most occurrences have no state; skip building the lookup key for them.
            state = states.get((candidate.item_key, candidate.occurrence)) if states else None
            item = place(candidate, today, first, last, state)
            if item is not None:
                placed.append(item)
    placed.sort(key=_order)
    late = tuple(item for item in placed if item.late)
    by_day: dict[date, list[AgendaItem]] = defaultdict(list)
    for item in placed:
        if not item.late:
            by_day[item.due_on].append(item)
    upcoming = tuple(AgendaDay(day, tuple(by_day[day])) for day in sorted(by_day))
    return Agenda(today, days, late, upcoming)


def place(
    candidate: Candidate, today: date, first: date, last: date, state: StoredState | None
) -> AgendaItem | None:
    """The item as listed from ``today`` through ``last``, late back to ``first``.

    None when the occurrence is done, snoozed past the window, or out of range.
    """
    snoozed_until = None
    occurs_on = candidate.occurs_on
    starts = occurs_on - timedelta(days=candidate.lead_days)
    if state is not None:
        if state.state == "done":
            return None
        snoozed_until = state.snoozed_until
        if snoozed_until is not None and snoozed_until > starts:
            starts = snoozed_until
    if occurs_on < today:
        if not candidate.may_be_late or occurs_on < first or starts > today:
            return None
        due, late = occurs_on, True
    elif starts > last:
        return None
    else:
        due, late = max(starts, today), False
    return AgendaItem(
        candidate.item_key,
        candidate.occurrence,
        candidate.customer_id,
        candidate.name,
        candidate.kind,
        candidate.label,
        occurs_on,
        due,
        candidate.years,
        candidate.text,
        late,
        snoozed_until,
    )


def _order(item: AgendaItem) -> tuple[date, int, str, str]:
    return item.occurs_on, _KIND_ORDER.get(item.kind, 9), item.name, item.item_key
