"""Plain data of the Today agenda: the window asked for, what sources yield, what callers get.

An agenda item is one occurrence of something to do for a customer: a birthday in a given
year, a complaint follow-up on a given date. ``item_key`` names the thing ("date:12") and
``occurrence`` the occurrence ("2026", "2026-12-24"); done and snoozed are recorded for that
pair, so next year's birthday comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from crm_desktop.services.changes import Changes
from crm_desktop.services.settings import BusinessSettings

LATE_DAYS = 30  # the furthest back a missed, undone occurrence is still listed as late


@dataclass(frozen=True)
class AgendaWindow:
    """From ``first`` (the oldest late occurrence) through ``last`` (today + days).

    ``only``, when set, names the items the agenda wants (item keys): a source may leave out
    every other one. The agenda sets it when it looks further back than the late window for
    the few items a snooze carried past their day.
    """

    today: date
    days: int
    first: date
    settings: BusinessSettings
    only: frozenset[str] | None = None

    @property
    def last(self) -> date:
        return self.today + timedelta(days=self.days)

    def wants(self, kind: str) -> bool:
        """Whether any item of this kind ("date", "complaint") may be wanted: a source that
        is not wanted need not ask the database at all."""
        return self.only is None or any(key.startswith(f"{kind}:") for key in self.only)

    def ids_of(self, kind: str) -> list[int] | None:
        """The numbers of the wanted items of one kind ("date" for "date:12"); None: all."""
        if self.only is None:
            return None
        prefix = f"{kind}:"
        idents = (key[len(prefix):] for key in self.only if key.startswith(prefix))
        return sorted(int(ident) for ident in idents if ident.isdigit())


class StoredState(NamedTuple):
    """Done or snoozed, as recorded for one occurrence."""

    state: str  # done or snoozed; empty for none
    snoozed_until: date | None


NO_STATE = StoredState("", None)  # the occurrence was looked up and has no state
DONE = StoredState("done", None)  # shared by every done occurrence, as most states are done


class Candidate(NamedTuple):
    """What a source yields: an occurrence that may be on the agenda.

    A source yields the occurrences whose reminder period, from ``lead_days`` before
    ``occurs_on`` through ``occurs_on``, meets the window; the agenda applies done, snoozed
    and late to them. ``may_be_late`` is False for things that cannot be acted on once past
    (an expired coupon). ``state`` is the occurrence's done or snoozed state when the source
    read it along with the occurrence (:data:`NO_STATE` for none); when left at None the
    agenda looks it up. A named tuple rather than a dataclass: sources make thousands of
    these and a tuple is several times cheaper to build.
    """

    item_key: str
    occurrence: str
    customer_id: int
    name: str
    kind: str
    occurs_on: date
    lead_days: int
    years: int | None
    text: str
    label: str = ""
    may_be_late: bool = True
    state: StoredState | None = None


def new_candidate(fields: tuple[Any, ...]) -> Candidate:
    """``Candidate(*fields)`` with every field given, for the sources' loops: the named
    tuple's own constructor is a Python-level call, this is the plain tuple one."""
    return tuple.__new__(Candidate, fields)


def person_name(first: str, last: str, company: str) -> str:
    """``customer_data.display_name`` for the trimmed names the services store, but quicker."""
    if first and last:
        return f"{first} {last}"
    return first or last or company


AgendaSource = Callable[[Session, AgendaWindow], Iterable[Candidate]]


class AgendaItem(NamedTuple):
    """One thing to do on the agenda; immutable. A named tuple like :class:`Candidate`: a
    big customer base puts thousands on the agenda, and a tuple is the cheapest to build."""

    item_key: str
    occurrence: str
    customer_id: int
    name: str
    kind: str  # birthday, anniversary, custom, customer_since, lapsed, complaint, coupon, offer
    label: str
    occurs_on: date  # the birthday itself, the follow-up date, the expiry date
    due_on: date  # the day it is listed under; the occurrence itself when late
    years: int | None  # the age a birthday turns, an anniversary's years; None when unknown
    what_to_do: str
    late: bool
    snoozed_until: date | None = None

    @property
    def age(self) -> int | None:
        return self.years if self.kind == "birthday" else None


@dataclass(frozen=True)
class AgendaDay:
    day: date
    items: tuple[AgendaItem, ...]


@dataclass(frozen=True)
class Agenda:
    today: date
    days: int
    late: tuple[AgendaItem, ...]  # missed and not done, oldest first
    upcoming: tuple[AgendaDay, ...]  # by the day each item is due, today first

    @property
    def items(self) -> list[AgendaItem]:
        """Everything in display order: the late items first."""
        return [*self.late, *(item for day in self.upcoming for item in day.items)]

    @property
    def due_today(self) -> int:
        """How many things want doing today: the late ones and today's."""
        today = sum(len(day.items) for day in self.upcoming if day.day == self.today)
        return len(self.late) + today


@dataclass(frozen=True)
class ReminderChange:
    """A done, snoozed or undone reminder; ``touchpoint_id`` is the history entry of a done."""

    item_key: str
    occurrence: str
    state: str | None  # done, snoozed, or None after an undo
    snoozed_until: date | None
    touchpoint_id: int | None
    changes: Changes
