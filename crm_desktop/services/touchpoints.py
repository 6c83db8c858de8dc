"""A customer's history: the timeline on the card, one-click visits, quick notes.

Times are naive UTC like every timestamp in the database; an aware ``when`` is converted.
``Customer.last_visit_at`` is the newest visit and is kept here, where visits are written,
with the visit habit derived from the last visits (``visit_habits``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.models import Customer, Touchpoint, utcnow
from crm_desktop.services.changes import Changes
from crm_desktop.services.errors import NotFound, ValidationError
from crm_desktop.services.referral_thanks import on_visit_logged, on_visit_removed
from crm_desktop.services.validation import clean_staff
from crm_desktop.services.visit_habits import refresh_visit_habit

_CHANGE_KINDS = ("customers", "touchpoints")


@dataclass(frozen=True)
class TimelineEntry:
    id: int
    kind: str  # one of models.TOUCHPOINT_KINDS
    occurred_at: datetime  # naive UTC
    staff: str
    summary: str


@dataclass(frozen=True)
class LoggedTouchpoint:
    entry: TimelineEntry
    changes: Changes


@dataclass(frozen=True)
class DeletedTouchpoint:
    entry: TimelineEntry
    customer_id: int
    changes: Changes


def timeline(session: Session, customer_id: int, limit: int = 200) -> list[TimelineEntry]:
    """The customer's history, newest first."""
    _customer(session, customer_id)
    rows = session.scalars(
        select(Touchpoint)
        .where(Touchpoint.customer_id == customer_id)
        .order_by(Touchpoint.occurred_at.desc(), Touchpoint.id.desc())
        .limit(limit)
    )
    return [_entry(row) for row in rows]


def log_visit(
    session: Session, customer_id: int, when: datetime | None = None, staff: str = ""
) -> LoggedTouchpoint:
    """Record a visit (now unless ``when`` is given) and move the last visit forward."""
    customer = _customer(session, customer_id)
    occurred_at = _as_utc(when) if when is not None else utcnow()
    touchpoint = _add(session, customer_id, "visit", occurred_at, staff, "")
    if customer.last_visit_at is None or occurred_at > customer.last_visit_at:
        customer.last_visit_at = occurred_at
    refresh_visit_habit(session, customer)  # a visit logged late can change the habit too
    # A referred customer's first visit makes a thank-you to their referrer due.
    changes = _changes(customer_id) | on_visit_logged(session, customer_id)
    return LoggedTouchpoint(_entry(touchpoint), changes)


def add_note(session: Session, customer_id: int, text: str, staff: str = "") -> LoggedTouchpoint:
    """A free-text note on the timeline, stamped now."""
    if not text.strip():
        raise ValidationError({"note": _("Write the note before adding it.")})
    _customer(session, customer_id)
    touchpoint = _add(session, customer_id, "note", utcnow(), staff, text.strip())
    return LoggedTouchpoint(_entry(touchpoint), _changes(customer_id))


def delete_touchpoint(session: Session, touchpoint_id: int) -> DeletedTouchpoint:
    """Remove an entry logged by mistake; a removed visit can move the last visit back."""
    touchpoint = session.get(Touchpoint, touchpoint_id)
    if touchpoint is None:
        raise NotFound(_("History entry {id} does not exist.").format(id=touchpoint_id))
    entry = _entry(touchpoint)
    customer_id = touchpoint.customer_id
    session.delete(touchpoint)
    session.flush()
    changes = _changes(customer_id)
    if entry.kind == "visit":
        _recompute_last_visit(session, customer_id, entry.occurred_at)
        # A first visit logged by mistake made a thank-you due that is not due.
        changes |= on_visit_removed(session, customer_id)
    return DeletedTouchpoint(entry, customer_id, changes)


def _recompute_last_visit(session: Session, customer_id: int, removed_at: datetime) -> None:
    customer = _customer(session, customer_id)
    # A last visit later than any logged visit came from elsewhere (an import); keep it.
    if customer.last_visit_at is None or customer.last_visit_at <= removed_at:
        customer.last_visit_at = session.scalar(
            select(func.max(Touchpoint.occurred_at)).where(
                Touchpoint.customer_id == customer_id, Touchpoint.kind == "visit"
            )
        )
    refresh_visit_habit(session, customer)


def _add(
    session: Session, customer_id: int, kind: str, occurred_at: datetime, staff: str, summary: str
) -> Touchpoint:
    staff = clean_staff(staff)
    touchpoint = Touchpoint(
        customer_id=customer_id, kind=kind, occurred_at=occurred_at, staff=staff, summary=summary
    )
    session.add(touchpoint)
    session.flush()
    return touchpoint


def _customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(_("Customer {id} does not exist.").format(id=customer_id))
    return customer


def _as_utc(when: datetime) -> datetime:
    if when.tzinfo is None:
        return when
    return when.astimezone(UTC).replace(tzinfo=None)


def _entry(touchpoint: Touchpoint) -> TimelineEntry:
    return TimelineEntry(
        id=touchpoint.id,
        kind=touchpoint.kind,
        occurred_at=touchpoint.occurred_at,
        staff=touchpoint.staff,
        summary=touchpoint.summary,
    )


def _changes(customer_id: int) -> Changes:
    return Changes.of_customers(customer_id, kinds=_CHANGE_KINDS)
