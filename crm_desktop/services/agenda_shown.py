"""The days the Today agenda was shown, so that "late" means missed while Kanta was closed.

An occurrence is late when it fell on a day the agenda was not shown: after the last day it
was shown before today, and before today. What was due on a day the agenda was open has been
seen; what fell on the closed weekend is listed on Monday. Never more than
:data:`~crm_desktop.services.agenda_data.LATE_DAYS` back, and with nothing recorded yet (the
first start) that many days.

The days live in the database (the ``setting`` table), not in each desk's QSettings: several
desks may share one PostgreSQL database, and what one desk has shown, the shop has seen. Two
days are kept, the last one and the one before it, so that loading the agenda again later
the same day still finds the day before and lists the same late items.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from crm_desktop.models import Setting
from crm_desktop.services.agenda_data import LATE_DAYS

SHOWN_KEYS = ("agenda.shown_on", "agenda.shown_before")  # the last day, the one before it


def shown_days(session: Session) -> list[date]:
    """The days recorded, the last first; empty before the agenda was first shown."""
    query = select(Setting.key, Setting.value).where(Setting.key.in_(SHOWN_KEYS))
    rows = dict(session.execute(query).all())
    days = []
    for key in SHOWN_KEYS:
        try:
            days.append(date.fromisoformat(json.loads(rows[key])))
        except (KeyError, TypeError, ValueError):
            continue  # not recorded yet, or damaged: as if never shown that day
    return sorted(set(days), reverse=True)


def late_window_start(session: Session, today: date) -> date:
    """The oldest day whose undone occurrences are late on ``today``.

    The day after the agenda was last shown before today, but at most ``LATE_DAYS`` back;
    with no such day recorded, ``LATE_DAYS`` back. Shown only on later days (a desk whose
    clock lags behind another's), nothing was missed: today.
    """
    oldest = today - timedelta(days=LATE_DAYS)
    shown = shown_days(session)
    earlier = [day for day in shown if day < today]
    if earlier:
        return max(oldest, earlier[0] + timedelta(days=1))
    if shown and shown[0] > today:  # shown on a later day (this desk's clock lags): not missed
        return today
    return oldest


def record_agenda_shown(session: Session, today: date) -> None:
    """Note that the agenda of ``today`` was shown; loading it again the same day writes nothing.

    Keeps the two latest days: an agenda of an earlier day (a desk whose clock lags) changes
    nothing. Written as an upsert, so two desks recording at once both succeed.
    """
    stored = shown_days(session)
    latest = sorted({today, *stored}, reverse=True)[: len(SHOWN_KEYS)]
    if latest == stored:
        return
    rows = [
        {"key": key, "value": json.dumps(day.isoformat())}
        for key, day in zip(SHOWN_KEYS, latest, strict=False)
    ]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Setting).values(rows)
    session.execute(statement.on_conflict_do_update(
        index_elements=[Setting.key], set_={"value": statement.excluded.value}
    ))
