"""Done and snoozed agenda items, per occurrence: next year's birthday comes back by itself.

Marking an item done also writes a ``reminder_done`` entry in the customer's history, so the
timeline shows that the card was sent or the call made.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    cast,
    delete,
    func,
    literal,
    select,
    true,
)
from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.models import (
    Complaint,
    Coupon,
    Customer,
    ImportantDate,
    ReminderState,
    Touchpoint,
    utcnow,
)
from crm_desktop.services.agenda_data import DONE, AgendaWindow, ReminderChange, StoredState
from crm_desktop.services.changes import Changes
from crm_desktop.services.errors import NotFound, ValidationError

_ITEM_KEY = re.compile(r"^[a-z_]{1,20}:[0-9A-Za-z_.-]{1,38}$")
_OCCURRENCE = re.compile(r"^[0-9A-Za-z_.-]{1,20}$")
NOTE_MAX_LENGTH = 2000
_CHANGE_KINDS = ("reminders",)
AnySelect = Select[*tuple[Any, ...]]  # a query of any columns
_CHUNK = 500
STATE_COLUMNS = (ReminderState.occurrence, ReminderState.state, ReminderState.snoozed_until)


def states_of(
    session: Session, occurrences: Collection[tuple[str, str]]
) -> dict[tuple[str, str], StoredState]:
    """The states recorded for these (item key, occurrence) pairs, found by item key."""
    wanted = set(occurrences)
    keys = sorted({key for key, _occurrence in wanted})
    found: dict[tuple[str, str], StoredState] = {}
    for start in range(0, len(keys), _CHUNK):
        rows = session.execute(
            select(ReminderState.item_key, *STATE_COLUMNS).where(
                ReminderState.item_key.in_(keys[start : start + _CHUNK])
            )
        )
        for key, occurrence, state, until in rows:
            if (key, occurrence) in wanted:
                found[key, occurrence] = StoredState(state, until)
    return found


def snoozes_ended(session: Session, after: date, today: date) -> frozenset[str]:
    """The items with an occurrence whose snooze ended after ``after``, by ``today``.

    By the index on ``snoozed_until``: however many states the years leave, this reads only
    those of the recent snoozes.
    """
    rows = session.execute(
        select(ReminderState.item_key).where(
            ReminderState.state == "snoozed",
            ReminderState.snoozed_until > after,
            ReminderState.snoozed_until <= today,
        )
    )
    return frozenset(rows.scalars())


def wanted(window: AgendaWindow, kind: str, ident: Any) -> ColumnElement[bool]:
    """The condition on a source's rows: every row, or those of the items the window wants
    (:attr:`AgendaWindow.only`), whose numbers ``ident`` holds."""
    ids = window.ids_of(kind)
    return true() if ids is None else ident.in_(ids)


def item_key_of(kind: str, ident: Any) -> ColumnElement[str]:
    """Each row's item key, ``kind:ident``, built in SQL as the agenda builds it."""
    return literal(f"{kind}:", String) + cast(ident, String)


def join_states(
    query: AnySelect, kind: str, ident: Any, occurrence: ColumnElement[bool]
) -> AnySelect:
    """``query`` with the state of each row's one occurrence in three more, last columns.

    ``occurrence`` is the condition on ``ReminderState.occurrence`` that names the row's
    occurrence. The columns (occurrence, state, snoozed until) are NULL without a state. One
    probe of the unique (item key, occurrence) index per row: however many states the
    years leave, the agenda reads only those of its own items.
    """
    return query.add_columns(*STATE_COLUMNS).outerjoin(
        ReminderState, and_(ReminderState.item_key == item_key_of(kind, ident), occurrence)
    )


def states_where(
    session: Session,
    kind: str,
    ident: Any,
    occurrence: ColumnElement[bool],
    *conditions: ColumnElement[bool],
) -> dict[int, dict[str, StoredState]]:
    """The states recorded for the rows meeting ``conditions``: by ident, then occurrence.

    For items with several occurrences in the window (a birthday in two years): the rows come
    without their states, which this reads apart — by the same index probe per row. By ident
    first, so that the many rows without a state cost one lookup by number each.
    """
    query = (
        select(ident, *STATE_COLUMNS)
        .join(ReminderState, and_(ReminderState.item_key == item_key_of(kind, ident), occurrence))
        .where(*conditions)
    )
    found: dict[int, dict[str, StoredState]] = {}
    for number, occurrence_text, state, until in session.connection().execute(query):
        stored = DONE if state == "done" else StoredState(state, until)
        found.setdefault(number, {})[occurrence_text] = stored
    return found


def day_occurrence(session: Session, column: Any) -> ColumnElement[str]:
    """A date (or a timestamp's date) as its occurrence text, ``YYYY-MM-DD``, in SQL."""
    if session.get_bind().dialect.name == "sqlite":
        return func.substr(column, 1, 10)  # SQLite keeps dates and times as ISO text
    return func.to_char(column, "YYYY-MM-DD")


def mark_done(
    session: Session, item_key: str, occurrence: str, customer_id: int, note: str = ""
) -> ReminderChange:
    """Record the occurrence as done and log it in the customer's history."""
    _check_key(item_key, occurrence)
    note = _clean_note(note)
    if session.get(Customer, customer_id) is None:
        raise NotFound(_("Customer {id} does not exist.").format(id=customer_id))
    row = _upsert(session, item_key, occurrence, "done", None, note)
    touchpoint = Touchpoint(
        customer_id=customer_id,
        kind="reminder_done",
        occurred_at=utcnow(),
        summary=note or describe(session, item_key),
        **_links(session, item_key),
    )
    session.add(touchpoint)
    session.flush()
    changes = Changes.of_customers(customer_id, kinds=("reminders", "touchpoints", "customers"))
    return ReminderChange(item_key, occurrence, row.state, None, touchpoint.id, changes)


def snooze(
    session: Session, item_key: str, occurrence: str, until: date, today: date | None = None
) -> ReminderChange:
    """Hide the occurrence until ``until``; from that day on it is listed again."""
    _check_key(item_key, occurrence)
    if until <= (today or date.today()):
        raise ValidationError({"until": _("Snooze until a day after today.")})
    _upsert(session, item_key, occurrence, "snoozed", until, "")
    return ReminderChange(
        item_key, occurrence, "snoozed", until, None, Changes(kinds=frozenset(_CHANGE_KINDS))
    )


def undo_state(
    session: Session, item_key: str, occurrence: str, touchpoint_id: int | None = None
) -> ReminderChange:
    """Forget done or snoozed for the occurrence; with ``touchpoint_id`` its history entry too."""
    _check_key(item_key, occurrence)
    session.execute(
        delete(ReminderState).where(
            ReminderState.item_key == item_key, ReminderState.occurrence == occurrence
        )
    )
    changes = Changes(kinds=frozenset(_CHANGE_KINDS))
    if touchpoint_id is not None:
        touchpoint = session.get(Touchpoint, touchpoint_id)
        if touchpoint is not None and touchpoint.kind == "reminder_done":
            changes = changes | Changes.of_customers(
                touchpoint.customer_id, kinds=("touchpoints", "customers")
            )
            session.delete(touchpoint)
    session.flush()
    return ReminderChange(item_key, occurrence, None, None, None, changes)


def describe(session: Session, item_key: str) -> str:
    """The history text of a done reminder when the user wrote no note."""
    kind, _sep, ident = item_key.partition(":")
    if kind == "date":
        found = session.get(ImportantDate, int(ident)) if ident.isdigit() else None
        if found is not None and found.kind == "birthday":
            return _("Birthday greeting done.")
        if found is not None and found.label:
            return _("Reminder done: {label}.").format(label=found.label)
        return _("Anniversary greeting done.")
    texts = {
        "since": _("Thanked for the years as a customer."),
        "lapsed": _("Invited back after a long absence."),
        "complaint": _("Complaint followed up."),
        "coupon": _("Reminded of an expiring coupon."),
        "offer": _("Asked about the ending offer."),
        "referral": _("Thanked for a referral."),
    }
    return texts.get(kind, _("Reminder done."))


def _upsert(
    session: Session, item_key: str, occurrence: str, state: str, until: date | None, note: str
) -> ReminderState:
    row = session.scalar(
        select(ReminderState).where(
            ReminderState.item_key == item_key, ReminderState.occurrence == occurrence
        )
    )
    if row is None:
        row = ReminderState(item_key=item_key, occurrence=occurrence)
        session.add(row)
    row.state, row.snoozed_until, row.note, row.recorded_at = state, until, note, utcnow()
    session.flush()
    return row


def _links(session: Session, item_key: str) -> dict[str, int]:
    """A done complaint follow-up or coupon reminder points at its complaint or coupon."""
    kind, _sep, ident = item_key.partition(":")
    if not ident.isdigit():
        return {}
    if kind == "complaint" and session.get(Complaint, int(ident)) is not None:
        return {"complaint_id": int(ident)}
    if kind == "coupon" and session.get(Coupon, int(ident)) is not None:
        return {"coupon_id": int(ident)}
    return {}


def _check_key(item_key: str, occurrence: str) -> None:
    if not _ITEM_KEY.match(item_key) or not _OCCURRENCE.match(occurrence):
        raise ValidationError(
            {"item_key": _("“{key}” / “{occurrence}” is not an agenda item.").format(
                key=item_key, occurrence=occurrence
            )}
        )


def _clean_note(note: str) -> str:
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("A note can be at most {count} characters long.").format(
                count=NOTE_MAX_LENGTH
            )}
        )
    return note
