"""A customer's important dates: birthday, anniversaries and custom dates with a label.

Month and day are stored apart, the year only when known (never a made-up year), and
``month_day = month * 100 + day`` for the agenda's indexed range query. A year-less
29 February is a valid birthday; with a year it must be a leap year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.models import DATE_KINDS, Customer, ImportantDate
from crm_desktop.services.changes import Changes
from crm_desktop.services.errors import NotFound, ValidationError
from crm_desktop.services.occurrences import is_valid_month_day, month_day

LABEL_MAX_LENGTH = 100
EARLIEST_YEAR = 1850
MAX_LEAD_DAYS = 365
_CHANGE_KINDS = ("customers", "dates", "reminders")


@dataclass(frozen=True)
class DateInput:
    """What the card edits; ``lead_days`` None follows the lead time in the settings."""

    kind: str  # birthday, anniversary or custom
    month: int
    day: int
    year: int | None = None
    label: str = ""  # required for custom dates; optional for anniversaries ("wedding")
    lead_days: int | None = None


@dataclass(frozen=True)
class ImportantDateRow:
    id: int
    customer_id: int
    kind: str
    label: str
    month: int
    day: int
    year: int | None
    lead_days: int | None

    @property
    def month_day(self) -> int:
        return month_day(self.month, self.day)


@dataclass(frozen=True)
class SavedDate:
    date: ImportantDateRow
    changes: Changes


@dataclass(frozen=True)
class DeletedDate:
    """The removed date, enough to put it back with :func:`undo_delete_date`."""

    date: ImportantDateRow
    changes: Changes


def list_dates(session: Session, customer_id: int) -> list[ImportantDateRow]:
    """The customer's dates: the birthday first, then by month and day."""
    _require_customer(session, customer_id)
    rows = session.scalars(
        select(ImportantDate)
        .where(ImportantDate.customer_id == customer_id)
        .order_by(ImportantDate.month_day, ImportantDate.id)
    )
    dates = [_row(item) for item in rows]
    return sorted(dates, key=lambda d: d.kind != "birthday")


def get_date(session: Session, date_id: int) -> ImportantDateRow:
    return _row(_load(session, date_id))


def add_date(
    session: Session, customer_id: int, data: DateInput, today: date | None = None
) -> SavedDate:
    _require_customer(session, customer_id)
    clean = clean_date(data, today)
    _check_one_birthday(session, customer_id, clean, exclude_id=None)
    item = ImportantDate(customer_id=customer_id)
    _apply(item, clean)
    session.add(item)
    session.flush()
    return SavedDate(_row(item), _changes(customer_id))


def update_date(
    session: Session, date_id: int, data: DateInput, today: date | None = None
) -> SavedDate:
    item = _load(session, date_id)
    clean = clean_date(data, today)
    _check_one_birthday(session, item.customer_id, clean, exclude_id=item.id)
    _apply(item, clean)
    session.flush()
    return SavedDate(_row(item), _changes(item.customer_id))


def delete_date(session: Session, date_id: int) -> DeletedDate:
    item = _load(session, date_id)
    row = _row(item)
    session.delete(item)
    session.flush()
    return DeletedDate(row, _changes(row.customer_id))


def undo_delete_date(session: Session, deleted: DeletedDate) -> SavedDate:
    """Put a deleted date back with its id, so reminders marked done stay done."""
    old = deleted.date
    _require_customer(session, old.customer_id)
    data = DateInput(old.kind, old.month, old.day, old.year, old.label, old.lead_days)
    _check_one_birthday(session, old.customer_id, data, exclude_id=None)
    item = ImportantDate(id=old.id, customer_id=old.customer_id)
    _apply(item, data)
    session.add(item)
    session.flush()
    return SavedDate(_row(item), _changes(old.customer_id))


def clean_date(data: DateInput, today: date | None = None) -> DateInput:
    """Validated input with the label trimmed; one ValidationError names every bad field."""
    today = today or date.today()
    label = data.label.strip()
    errors: dict[str, str] = {}
    if data.kind not in DATE_KINDS:
        errors["kind"] = _("Choose birthday, anniversary or another date.")
    if data.kind == "custom" and not label:
        errors["label"] = _("Give the date a name, such as “Name day”.")
    if len(label) > LABEL_MAX_LENGTH:
        errors["label"] = _("A date's name can be at most {count} characters long.").format(
            count=LABEL_MAX_LENGTH
        )
    _check_day(data, today, errors)
    if data.lead_days is not None and not 0 <= data.lead_days <= MAX_LEAD_DAYS:
        errors["lead_days"] = _("Use a number of days from 0 to {count}.").format(
            count=MAX_LEAD_DAYS
        )
    if errors:
        raise ValidationError(errors)
    return DateInput(data.kind, data.month, data.day, data.year, label, data.lead_days)


def _check_day(data: DateInput, today: date, errors: dict[str, str]) -> None:
    if not 1 <= data.month <= 12:
        errors["month"] = _("Choose a month from 1 to 12.")
        return
    if not is_valid_month_day(data.month, data.day):
        errors["day"] = _("That month has no day {day}.").format(day=data.day)
        return
    if data.year is None:
        return
    if not EARLIEST_YEAR <= data.year <= today.year:
        errors["year"] = _("Use a year from {first} to {last}, or leave the year empty.").format(
            first=EARLIEST_YEAR, last=today.year
        )
    elif (data.month, data.day) == (2, 29) and not _is_leap(data.year):
        errors["day"] = _("{year} was not a leap year: it had no 29 February.").format(
            year=data.year
        )
    elif date(data.year, data.month, data.day) > today:
        errors["year"] = _("The date cannot be in the future.")


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _check_one_birthday(
    session: Session, customer_id: int, data: DateInput, exclude_id: int | None
) -> None:
    if data.kind != "birthday":
        return
    query = select(ImportantDate.id).where(
        ImportantDate.customer_id == customer_id, ImportantDate.kind == "birthday"
    )
    if exclude_id is not None:
        query = query.where(ImportantDate.id != exclude_id)
    if session.scalar(query.limit(1)) is not None:
        raise ValidationError({"kind": _("This customer already has a birthday.")})


def _apply(item: ImportantDate, data: DateInput) -> None:
    item.kind = data.kind
    item.label = data.label
    item.month = data.month
    item.day = data.day
    item.year = data.year
    item.month_day = month_day(data.month, data.day)
    item.lead_days = data.lead_days


def _load(session: Session, date_id: int) -> ImportantDate:
    item = session.get(ImportantDate, date_id)
    if item is None:
        raise NotFound(_("Date {id} does not exist.").format(id=date_id))
    return item


def _require_customer(session: Session, customer_id: int) -> None:
    if session.get(Customer, customer_id) is None:
        raise NotFound(_("Customer {id} does not exist.").format(id=customer_id))


def _row(item: ImportantDate) -> ImportantDateRow:
    return ImportantDateRow(
        id=item.id,
        customer_id=item.customer_id,
        kind=item.kind,
        label=item.label,
        month=item.month,
        day=item.day,
        year=item.year,
        lead_days=item.lead_days,
    )


def _changes(customer_id: int) -> Changes:
    return Changes.of_customers(customer_id, kinds=_CHANGE_KINDS)
