"""Column values to and from JSON for the Kanta data file, checked against the model's columns.

Each JSON field is read through the database column it lands in, so its type, length,
nullability and allowed values come from one place: a wrong value is refused with a
message naming the field (``touchpoints.2.kind``) before the database ever sees it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Integer, String, inspect
from sqlalchemy.orm import QueryableAttribute

from crm_desktop.i18n import _, ngettext
from crm_desktop.models.personal import (
    DATE_KINDS,
    REFERRAL_SOURCES,
    REWARD_STATUSES,
    TOUCHPOINT_KINDS,
)
from crm_desktop.models.recovery import COUPON_KINDS, COUPON_REASONS, REMEDIES
from crm_desktop.services.errors import ValidationError

# Allowed values and number ranges, keyed by "table.column"; the database checks most of
# these too, but only this gives the user a sentence instead of a constraint name.
CHOICES: dict[str, tuple[str, ...]] = {
    "important_date.kind": DATE_KINDS,
    "referral.source": REFERRAL_SOURCES,
    "referral.reward_status": REWARD_STATUSES,
    "touchpoint.kind": TOUCHPOINT_KINDS,
    "complaint.status": ("open", "resolved", "closed"),
    "complaint.remedy": REMEDIES,
    "coupon.kind": COUPON_KINDS,
    "coupon.reason": COUPON_REASONS,
    "subscription.status": ("active", "cancelled", "paused"),
    "retention_case.outcome": ("open", "retained", "cancelled"),
}
RANGES: dict[str, tuple[int, int | None]] = {
    "important_date.month": (1, 12),
    "important_date.day": (1, 31),
    "important_date.year": (1, 9999),
    "important_date.lead_days": (0, 365),
    "complaint.severity": (1, 3),
    "complaint.compensation_cents": (0, None),
    "coupon.value": (0, None),
    "loyalty_card.stamps_required": (1, None),
    "loyalty_program.stamps_required": (1, None),
    "product.price_cents": (0, None),
    "subscription.monthly_price_cents": (0, None),
}

_ABSENT = object()  # a required field that is missing
_CALLABLE_DEFAULT = object()  # absent, and the column fills it in (a timestamp)


def plain(row: Mapping[Any, Any], names: Iterable[str]) -> dict[str, object]:
    """The named columns of a row as JSON values: dates and times in ISO 8601."""
    return {name: json_value(row[name]) for name in names}


def json_value(value: object) -> object:
    # datetime is a date too, and both print as ISO 8601 (naive UTC for datetimes).
    return value.isoformat() if isinstance(value, date) else value


def field_error(key: str, message: str) -> ValidationError:
    return ValidationError({key or "record": message})


class Reader:
    """Typed, checked access to one JSON object of a record; ``path`` names it in errors."""

    def __init__(self, data: object, path: str = "") -> None:
        if not isinstance(data, dict):
            raise field_error(path, _("Expected an object with named fields."))
        self.data: dict[str, object] = data
        self.path = path

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def has(self, name: str) -> bool:
        return name in self.data

    def get(self, attribute: QueryableAttribute[Any], name: str | None = None) -> object:
        """The checked value for a column, its default when absent, or an error."""
        column = column_of(attribute)
        name = name or column.key
        if name not in self.data:
            default = _default(column)
            if default is _ABSENT:
                raise field_error(self.key(name), _("This field is missing."))
            return default
        return read_value(column, self.data[name], self.key(name))

    def columns(self, model: type[Any], names: Iterable[str]) -> dict[str, object]:
        """Keyword arguments for ``model(...)``; absent fields keep the column default."""
        mapper = inspect(model)
        values: dict[str, object] = {}
        for name in names:
            value = self.get(mapper.attrs[name].class_attribute, name)
            if value is not _CALLABLE_DEFAULT:
                values[name] = value
        return values

    def text(self, attribute: QueryableAttribute[Any], name: str | None = None) -> str:
        value = self.get(attribute, name)
        return value if isinstance(value, str) else ""

    def reference(self, attribute: QueryableAttribute[Any], name: str) -> str | None:
        """A name, code or uid pointing at another row (``attribute``'s type); null is none."""
        value = self.data.get(name)
        if value is None:
            return None
        checked = read_value(column_of(attribute), value, self.key(name))
        return checked if isinstance(checked, str) else None

    def optional_date(self, attribute: QueryableAttribute[Any]) -> date | None:
        value = self.get(attribute)
        return value if isinstance(value, date) else None

    def flag(self, attribute: QueryableAttribute[Any]) -> bool:
        return self.get(attribute) is True

    def optional_position(self, name: str, count: int) -> int | None:
        """A 1-based reference to an earlier list of ``count`` items, or None."""
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= count:
            raise field_error(self.key(name), _("Expected a number from 1 to {count}.").format(
                count=count))
        return value

    def items(self, name: str) -> list[Reader]:
        """The objects of a list field, each with its 1-based path; absent means none."""
        value = self.data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise field_error(self.key(name), _("Expected a list."))
        return [Reader(item, f"{self.key(name)}.{index}") for index, item in enumerate(value, 1)]

    def strings(self, name: str) -> list[str]:
        value = self.data.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise field_error(self.key(name), _("Expected a list of texts."))
        return [str(item) for item in value]

    def optional_object(self, name: str) -> Reader | None:
        value = self.data.get(name)
        return None if value is None else Reader(value, self.key(name))


_COLUMNS: dict[tuple[object, str], Column[Any]] = {}  # inspect() per field is slow on import


def column_of(attribute: QueryableAttribute[Any]) -> Column[Any]:
    key = (attribute.class_, attribute.key)
    if key not in _COLUMNS:
        _COLUMNS[key] = inspect(attribute.class_).columns[attribute.key]
    return _COLUMNS[key]


def _default(column: Column[Any]) -> object:
    if column.default is not None:
        arg = getattr(column.default, "arg", None)
        return _CALLABLE_DEFAULT if callable(arg) else arg
    return None if column.nullable else _ABSENT


def read_value(column: Column[Any], raw: object, key: str) -> object:
    """``raw`` converted to the column's Python type and checked, or a ValidationError."""
    if raw is None:
        if column.nullable:
            return None
        raise field_error(key, _("A value is required here."))
    value = _convert(column, raw, key)
    _check_allowed(column, value, key)
    return value


def _convert(column: Column[Any], raw: object, key: str) -> object:
    kind = column.type
    if isinstance(kind, Boolean):
        if isinstance(raw, bool):
            return raw
        raise field_error(key, _("Expected true or false."))
    if isinstance(kind, Integer):
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        raise field_error(key, _("Expected a whole number."))
    if isinstance(kind, DateTime):
        return parse_datetime(raw, key)
    if isinstance(kind, Date):
        return _parse_date(raw, key)
    if isinstance(kind, String):
        return _text(raw, kind.length, key)
    raise field_error(key, _("This field cannot be imported."))


def _text(raw: object, length: int | None, key: str) -> str:
    if not isinstance(raw, str):
        raise field_error(key, _("Expected text."))
    if length is not None and len(raw) > length:
        raise field_error(key, ngettext(
            "At most {count} character is allowed.", "At most {count} characters are allowed.",
            length).format(count=length))
    return raw


def _parse_date(raw: object, key: str) -> date:
    try:
        if isinstance(raw, str):
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise field_error(key, _("Expected a date such as 2026-11-23."))


def parse_datetime(raw: object, key: str) -> datetime:
    """ISO 8601; a time with an offset is turned into naive UTC like every stored time."""
    try:
        if isinstance(raw, str):
            value = datetime.fromisoformat(raw)
            if value.tzinfo is not None:
                value = value.astimezone(UTC).replace(tzinfo=None)
            return value
    except ValueError:
        pass
    raise field_error(key, _("Expected a date and time such as 2026-11-23T14:30:00."))


def _check_allowed(column: Column[Any], value: object, key: str) -> None:
    name = f"{column.table.name}.{column.key}"
    choices = CHOICES.get(name)
    if choices is not None and value not in choices:
        raise field_error(key, _("Expected one of: {choices}.").format(choices=", ".join(choices)))
    limits = RANGES.get(name)
    if limits is not None and isinstance(value, int):
        low, high = limits
        if high is not None and not low <= value <= high:
            raise field_error(key, _("Expected a number from {low} to {high}.").format(
                low=low, high=high))
        if value < low:
            raise field_error(key, _("Expected a number of at least {low}.").format(low=low))
