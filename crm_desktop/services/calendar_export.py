"""Birthdays and anniversaries as an iCalendar file, for the phone's or the office calendar.

Each important date becomes a yearly all-day event with an alarm at its lead time. The UID
is built from the customer's UID and the date's id, so exporting again updates the same
events instead of adding copies. "Customer since" anniversaries are left out: one event per
customer would bury the dates people care about.

Written by hand (RFC 5545): UTF-8, CRLF line ends, lines folded at 75 octets without
splitting a character. The file is written next to its destination and moved into place
only when complete.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop import APP_NAME, __version__
from crm_desktop.i18n import _
from crm_desktop.models import Customer, ImportantDate, utcnow
from crm_desktop.services.agenda_data import person_name
from crm_desktop.services.errors import ServiceError, ValidationError
from crm_desktop.services.occurrences import LEAP_RULES, occurrence
from crm_desktop.services.settings import load_settings

CRLF = "\r\n"
LINE_OCTETS = 75
_BATCH = 1000


class CalendarExportError(ServiceError):
    """The file could not be written; nothing was left behind."""


@dataclass(frozen=True)
class CalendarExportResult:
    path: Path
    events: int


def export_ics(
    session: Session, path: Path, leap_rule: str | None = None, today: date | None = None
) -> CalendarExportResult:
    """Write every birthday, anniversary and custom date; ``leap_rule`` defaults to settings."""
    settings = load_settings(session)
    rule = leap_rule or settings.leap_day_rule
    if rule not in LEAP_RULES:
        raise ValidationError({"leap_day_rule": _("Choose 28 February or 1 March.")})
    leads = {
        "birthday": settings.birthday_lead_days,
        "anniversary": settings.anniversary_lead_days,
        "custom": settings.anniversary_lead_days,
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="") as out:
            count = _write_calendar(out, _events(session, rule, leads, today or date.today()))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise CalendarExportError(
            _("Cannot write {path}: {reason}.").format(path=path, reason=error.strerror or error)
        ) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return CalendarExportResult(path, count)


@dataclass(frozen=True)
class _Event:
    uid: str
    start: date
    rrule: str
    summary: str
    lead_days: int


def _write_calendar(out: TextIO, events: Iterator[_Event]) -> int:
    stamp = _stamp(utcnow())
    for line in (
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{APP_NAME}//{APP_NAME} {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:" + escape_text(_("{app}: birthdays and anniversaries").format(app=APP_NAME)),
    ):
        out.write(fold(line))
    count = 0
    for event in events:
        for line in _event_lines(event, stamp):
            out.write(fold(line))
        count += 1
    out.write(fold("END:VCALENDAR"))
    return count


def _event_lines(event: _Event, stamp: str) -> list[str]:
    summary = escape_text(event.summary)
    return [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{event.start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{event.start + timedelta(days=1):%Y%m%d}",
        f"RRULE:{event.rrule}",
        f"SUMMARY:{summary}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{summary}",
        f"TRIGGER:{_trigger(event.lead_days)}",
        "END:VALARM",
        "END:VEVENT",
    ]


def _events(
    session: Session, rule: str, leads: dict[str, int], today: date
) -> Iterator[_Event]:
    query = (
        select(
            ImportantDate.id, ImportantDate.kind, ImportantDate.label, ImportantDate.month,
            ImportantDate.day, ImportantDate.year, ImportantDate.lead_days, Customer.uid,
            Customer.first_name, Customer.last_name, Customer.company,
        )
        .join(Customer, Customer.id == ImportantDate.customer_id)
        .order_by(ImportantDate.id)
    )
    rows: Any = session.execute(query.execution_options(yield_per=_BATCH))
    for date_id, kind, label, month, day, year, lead, uid, first, last, company in rows:
        name = person_name(first, last, company)
        yield _Event(
            uid=f"{uid}-{date_id}@kanta",
            start=occurrence(month, day, year or today.year, rule),
            rrule=yearly_rule(month, day, rule),
            summary=event_summary(kind, label, name),
            lead_days=leads[kind] if lead is None else lead,
        )


def yearly_rule(month: int, day: int, leap_rule: str) -> str:
    """The RRULE of a yearly date; 29 February needs care, as plain YEARLY skips other years."""
    if (month, day) != (2, 29):
        return "FREQ=YEARLY"
    if leap_rule == "mar1":
        # Day 60 of the year is 29 February in a leap year and 1 March in any other year:
        # exactly the "1 March" rule, in one standard rule that calendars expand themselves.
        return "FREQ=YEARLY;BYYEARDAY=60"
    # The last day of February: the 29th in leap years, the 28th otherwise.
    return "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"


def event_summary(kind: str, label: str, name: str) -> str:
    if kind == "birthday":
        return _("Birthday: {name}").format(name=name)
    label = label or (_("Anniversary") if kind == "anniversary" else _("Date"))
    return _("{label}: {name}").format(label=label, name=name)


def _trigger(lead_days: int) -> str:
    return f"-P{lead_days}D" if lead_days else "PT0S"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """The content line with CRLF, folded so no physical line exceeds 75 octets.

    A continuation line starts with one space, which counts toward its 75 octets; a
    character is never split across lines.
    """
    if len(line.encode("utf-8")) <= LINE_OCTETS:
        return line + CRLF
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces) + CRLF


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")
