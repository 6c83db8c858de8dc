"""The Today agenda: everything to do for customers from today through the next days.

Sources (``agenda_sources``) yield occurrences; here done and snoozed are applied and each
item is placed on the day it is due. An item is due from ``lead_days`` before its occurrence
(a birthday card a week ahead) through the occurrence itself. Late items are listed first
instead of being lost: the greetings (birthdays and other dates) whose day fell while Kanta
was closed, after the last day the agenda was shown before today (see ``agenda_shown``), and
the obligations (``agenda_sources.OBLIGATIONS``: follow-ups, lapsed regulars, thank-yous,
ending offers) not done yet, both at most :data:`LATE_DAYS` back. An occurrence a snooze
carried past its day comes back as late when the snooze ends, as long as it is at most
``LATE_DAYS`` old. Done and snoozed belong to one occurrence only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from operator import itemgetter

from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.services.agenda_data import (
    LATE_DAYS,
    NO_STATE,
    Agenda,
    AgendaDay,
    AgendaItem,
    AgendaSource,
    AgendaWindow,
    Candidate,
    ReminderChange,
)
from crm_desktop.services.agenda_shown import late_window_start, record_agenda_shown
from crm_desktop.services.agenda_sources import DEFAULT_SOURCES, OBLIGATIONS
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.important_dates import MAX_LEAD_DAYS
from crm_desktop.services.reminders import (
    mark_done,
    snooze,
    snoozes_ended,
    states_of,
    undo_state,
)
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
    "record_agenda_shown",
    "snooze",
    "undo_state",
]

MAX_DAYS = 366
# Each lead time as a timedelta, made once: making one per item costs more than the rest of
# placing it.
_LEAD_TIMES = [timedelta(days=days) for days in range(MAX_LEAD_DAYS + 1)]
# tuple.__new__ skips the named tuple's own constructor, a Python-level call.
_new_item = tuple.__new__
# Listed in this order within a day: the things with a deadline first.
_KIND_ORDER = {"complaint": 0, "coupon": 1, "offer": 2, "lapsed": 3, "birthday": 4}
_NAME, _ITEM_KEY = itemgetter(3), itemgetter(0)


def agenda(
    session: Session,
    today: date,
    days: int | None = None,
    sources: Sequence[AgendaSource] | None = None,
) -> Agenda:
    """What is due from ``today`` through ``today + days`` (default: the settings, 14), and
    what is late. Only reads: the Today desk records that it showed the agenda apart."""
    session.flush()  # sources read through Core, which does not flush by itself
    settings = load_settings(session)
    days = settings.agenda_days if days is None else days
    if not 0 <= days <= MAX_DAYS:
        raise ValidationError(
            {"days": _("Use a number of days from 0 to {count}.").format(count=MAX_DAYS)}
        )
    window = AgendaWindow(today, days, late_window_start(session, today), settings)
    sources = DEFAULT_SOURCES if sources is None else sources
    late: list[AgendaItem] = []
    by_day: dict[date, list[AgendaItem]] = defaultdict(list)
    for item in [*_placed(session, window, sources), *_back_from_snooze(session, window, sources)]:
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
    placed: list[AgendaItem] = []
    owed = replace(window, first=window.today - timedelta(days=LATE_DAYS))
    for source in sources:
        source_window = owed if source in OBLIGATIONS else window
        unread: list[Candidate] = []  # from a source that leaves the states to the agenda
        placed += _place(source(session, source_window), source_window, unread)
        if unread:
            states = states_of(session, [(c.item_key, c.occurrence) for c in unread])
            placed += _place(
                [c._replace(state=states.get((c.item_key, c.occurrence), NO_STATE))
                 for c in unread],
                source_window, unread,
            )
    return placed


def _back_from_snooze(
    session: Session, window: AgendaWindow, sources: Sequence[AgendaSource]
) -> list[AgendaItem]:
    """Occurrences older than the late window that a snooze carried past their day, now
    that it has ended: late up to ``LATE_DAYS`` after the occurrence, however often the
    agenda was shown since. Only the few items with such a snooze are read again."""
    oldest = window.today - timedelta(days=LATE_DAYS)
    if window.first <= oldest:
        return []  # the late window reaches as far back already
    wanted = snoozes_ended(session, oldest, window.today)
    if not wanted:
        return []
    greetings = [source for source in sources if source not in OBLIGATIONS]  # owed: listed
    further = _placed(session, replace(window, first=oldest, only=wanted), greetings)
    return [
        item for item in further
        if item.late and item.occurs_on < window.first
        and item.snoozed_until is not None and item.snoozed_until > item.occurs_on
    ]


def _place(
    candidates: Iterable[Candidate], window: AgendaWindow, unread: list[Candidate]
) -> list[AgendaItem]:
    """The items as listed from today through ``window.last``, late back to ``window.first``.

    Leaves out the occurrences done, snoozed past the window, or out of range; a candidate
    whose state was not read goes to ``unread`` instead. Runs for every candidate, tens of
    thousands with a big customer base: one loop, no call per candidate, and only the work
    each one needs.
    """
    today, first, last = window.today, window.first, window.last
    placed: list[AgendaItem] = []
    append = placed.append
    for candidate in candidates:
        (item_key, occurrence, customer_id, name, kind, occurs_on, lead_days, years, text,
         label, may_be_late, state) = candidate
        if state is None:
            unread.append(candidate)
            continue
        recorded, snoozed_until = state  # done, snoozed (until when) or nothing
        if recorded == "done":
            continue
        if occurs_on < today:
            # Its reminder period began before today; only a snooze can move that past today.
            if not may_be_late or occurs_on < first or (
                snoozed_until is not None and snoozed_until > today
            ):
                continue
            due, late = occurs_on, True
        else:
            starts = occurs_on
            if lead_days:
                starts -= (
                    _LEAD_TIMES[lead_days] if lead_days <= MAX_LEAD_DAYS else timedelta(lead_days)
                )
            if snoozed_until is not None and snoozed_until > starts:
                starts = snoozed_until
            if starts > last:
                continue
            due, late = (starts if starts > today else today), False
        append(_new_item(AgendaItem, (
            item_key, occurrence, customer_id, name, kind, label, occurs_on, due, years, text,
            late, snoozed_until,
        )))
    return placed


def _in_order(items: list[AgendaItem]) -> tuple[AgendaItem, ...]:
    """By occurrence, then the things with a deadline first, then by name (and item key).

    Grouped by occurrence and by rank of kind, then each group sorted by item key and, keeping
    that order among equal names, by name: many small sorts on plain text keys, which Python
    compares much faster than tuples.
    """
    groups: dict[date, dict[int, list[AgendaItem]]] = {}
    rank_of = _KIND_ORDER.get
    for item in items:
        ranks = groups.get(item[6])  # occurs_on
        if ranks is None:
            ranks = groups[item[6]] = {}
        rank = rank_of(item[4], 9)  # kind
        group = ranks.get(rank)
        if group is None:
            ranks[rank] = [item]
        else:
            group.append(item)
    ordered: list[AgendaItem] = []
    for day in sorted(groups):
        ranks = groups[day]
        for rank in sorted(ranks):
            group = ranks[rank]
            group.sort(key=_ITEM_KEY)
            group.sort(key=_NAME)  # stable: the same names stay in item key order
            ordered += group
    return tuple(ordered)
