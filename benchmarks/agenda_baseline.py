"""The agenda figure's other side: hand-written sqlite3 queries for the agenda's items.

``raw_agenda_rows`` only fetches: the days the agenda was last shown (which set the late
window, as in ``agenda_shown``), the snoozes that ended lately, the rows of every kind of item
in the window, names joined, and the done or snoozed states of those rows through the unique
(item key, occurrence) index.
``expected_items`` turns the rows into (item key, occurrence) pairs, outside the timing, so the
check can tell that both sides list the same things. ``add_reminder_states`` gives the demo
database a year of states to find the agenda's own among.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from crm_desktop.services.agenda_data import LATE_DAYS
from crm_desktop.services.occurrences import month_day_ranges, occurrences_between

Row = tuple[object, ...]
NAMES = "customer.first_name, customer.last_name, customer.company"
DATES_SQL = f"""
SELECT important_date.id, important_date.customer_id, important_date.kind, important_date.label,
       important_date.month, important_date.day, important_date.year, important_date.lead_days,
       {NAMES}
FROM important_date JOIN customer ON customer.id = important_date.customer_id WHERE {{where}}"""
SINCE_SQL = f"SELECT customer.id, customer.customer_since, {NAMES} FROM customer WHERE {{where}}"
# The states of yearly occurrences; {key} is the item key of the row, {years} the placeholders.
YEAR_STATES_SQL = """
SELECT {table}.id, s.occurrence, s.state, s.snoozed_until FROM {table}
JOIN reminder_state AS s ON s.item_key = '{kind}:' || {table}.id AND s.occurrence IN ({years})
WHERE {where}"""
# Every state of a day occurrence: the last three columns of each row, NULL without one.
DAY_STATE = """
LEFT JOIN reminder_state AS s ON s.item_key = '{kind}:' || {ident} AND s.occurrence = {day}"""
STATE_COLUMNS = "s.occurrence, s.state, s.snoozed_until"
LAPSED_SQL = f"""
SELECT customer.id, customer.last_visit_at, customer.usual_visit_days, customer.regular_lapse_on,
       {NAMES}, {STATE_COLUMNS}
FROM customer {DAY_STATE.format(kind="lapsed", ident="customer.id",
                                day="substr(customer.last_visit_at, 1, 10)")}
WHERE customer.status = 'active' AND (
  (customer.last_visit_at >= ? AND customer.last_visit_at < ?)
  OR (customer.regular_lapse_on BETWEEN ? AND ? AND customer.usual_visit_days * 2 < ?))"""
COMPLAINTS_SQL = f"""
SELECT complaint.id, complaint.follow_up_on, complaint.received_on, {NAMES}, {STATE_COLUMNS}
FROM complaint JOIN customer ON customer.id = complaint.customer_id
{DAY_STATE.format(kind="complaint", ident="complaint.id", day="complaint.follow_up_on")}
WHERE complaint.follow_up_on BETWEEN ? AND ?
  AND (complaint.status = 'open' OR (complaint.status = 'resolved' AND complaint.outcome = ''))"""
COUPONS_SQL = f"""
SELECT coupon.id, coupon.expires_on, coupon.code, {NAMES}, {STATE_COLUMNS}
FROM coupon JOIN customer ON customer.id = coupon.customer_id
{DAY_STATE.format(kind="coupon", ident="coupon.id", day="coupon.expires_on")}
WHERE coupon.expires_on BETWEEN ? AND ? AND coupon.voided_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM redemption WHERE redemption.coupon_id = coupon.id)"""
OFFERS_SQL = f"""
SELECT retention_offer.id, retention_offer.ends_on, subscription.plan, {NAMES}, {STATE_COLUMNS}
FROM retention_offer
JOIN retention_case ON retention_case.id = retention_offer.case_id
JOIN subscription ON subscription.id = retention_case.subscription_id
JOIN customer ON customer.id = subscription.customer_id
{DAY_STATE.format(kind="offer", ident="retention_offer.id", day="retention_offer.ends_on")}
WHERE retention_offer.ends_on BETWEEN ? AND ? AND retention_case.outcome != 'cancelled'
  AND (retention_offer.accepted IS NULL OR retention_offer.accepted = 1)"""
# Referrers to thank: referrals by a customer still waiting whose customer first visited in
# the window (the visit timestamps are UTC: the range starts a day early, the check is local).
REFERRALS_SQL = f"""
SELECT referral.id, referral.referrer_id,
       (SELECT min(v.occurred_at) FROM touchpoint AS v
        WHERE v.customer_id = referral.referred_id AND v.kind = 'visit'),
       {NAMES}, friend.first_name, friend.last_name, friend.company, {STATE_COLUMNS}
FROM referral
JOIN customer ON customer.id = referral.referrer_id
JOIN customer AS friend ON friend.id = referral.referred_id
{DAY_STATE.format(kind="referral", ident="referral.id", day="'1'")}
WHERE referral.reward_status IN ('due', 'pending') AND referral.referrer_id IS NOT NULL
  AND referral.referred_id IN (SELECT id FROM customer WHERE last_visit_at >= ?)
  AND NOT EXISTS (SELECT 1 FROM touchpoint AS v WHERE v.customer_id = referral.referred_id
                  AND v.kind = 'visit' AND v.occurred_at < ?)"""
SHOWN_SQL = "SELECT value FROM setting WHERE key IN ('agenda.shown_on', 'agenda.shown_before')"
# Items with a snooze that ended lately: the agenda reads those again over LATE_DAYS.
SNOOZES_ENDED_SQL = """
SELECT item_key FROM reminder_state
WHERE state = 'snoozed' AND snoozed_until > ? AND snoozed_until <= ?"""
LEAD_DAYS = 7  # coupons and offers, as in agenda_sources
MIN_LAPSE_DAYS = 14


@dataclass(frozen=True)
class RawSettings:
    leap_day_rule: str = "feb28"
    lapsed_after_days: int = 60
    birthday_lead_days: int = 7
    anniversary_lead_days: int = 7


@dataclass
class RawAgenda:
    first: date  # greetings: the day after the agenda was last shown before today
    owed_first: date  # obligations: LATE_DAYS back
    last: date
    settings: RawSettings
    rows: dict[str, list[Row]] = field(default_factory=dict)  # by kind of item
    year_states: list[Row] = field(default_factory=list)  # ("date:1", "2026", state)
    snoozes_ended: list[Row] = field(default_factory=list)


def raw_agenda_rows(raw: sqlite3.Connection, today: date, days: int) -> RawAgenda:
    settings = _settings(raw)
    oldest = today - timedelta(days=LATE_DAYS)
    result = RawAgenda(
        _late_window_start(raw, today), oldest, today + timedelta(days=days), settings
    )
    result.snoozes_ended = raw.execute(
        SNOOZES_ENDED_SQL, (oldest.isoformat(), today.isoformat())
    ).fetchall()
    _dates(raw, result)
    _since(raw, result)
    limit = max(settings.lapsed_after_days, MIN_LAPSE_DAYS)
    habit_limit = limit if limit > MIN_LAPSE_DAYS else 0
    result.rows["lapsed"] = raw.execute(LAPSED_SQL, (
        str(oldest - timedelta(days=limit)), str(today - timedelta(days=limit - 1)),
        oldest.isoformat(), today.isoformat(), habit_limit,
    )).fetchall()
    ahead = (result.last + timedelta(days=LEAD_DAYS)).isoformat()
    for kind, sql, start in (("complaint", COMPLAINTS_SQL, oldest),
                             ("coupon", COUPONS_SQL, today), ("offer", OFFERS_SQL, oldest)):
        end = result.last.isoformat() if kind == "complaint" else ahead
        result.rows[kind] = raw.execute(sql, (start.isoformat(), end)).fetchall()
    since = str(oldest - timedelta(days=1))
    result.rows["referral"] = raw.execute(REFERRALS_SQL, (since, since)).fetchall()
    return result


def _late_window_start(raw: sqlite3.Connection, today: date) -> date:
    """The day after the agenda was last shown before today, at most LATE_DAYS back."""
    shown = [date.fromisoformat(json.loads(value)) for (value,) in raw.execute(SHOWN_SQL)]
    earlier = [day for day in shown if day < today]
    oldest = today - timedelta(days=LATE_DAYS)
    return max(oldest, max(earlier) + timedelta(days=1)) if earlier else oldest


def _settings(raw: sqlite3.Connection) -> RawSettings:
    names = set(RawSettings.__dataclass_fields__)
    stored = {
        key.removeprefix("business."): json.loads(value)
        for key, value in raw.execute("SELECT key, value FROM setting WHERE key LIKE 'business.%'")
    }
    return RawSettings(**{name: value for name, value in stored.items() if name in names})


def _dates(raw: sqlite3.Connection, result: RawAgenda) -> None:
    settings = result.settings
    leads = (settings.birthday_lead_days, settings.anniversary_lead_days)
    end = result.last + timedelta(days=max(leads))
    rows = result.rows.setdefault("date", [])
    for low, high in month_day_ranges(result.first, end, settings.leap_day_rule):
        where, values = "important_date.month_day BETWEEN ? AND ?", (low, high)
        rows += raw.execute(DATES_SQL.format(where=where), values).fetchall()
        _year_states(raw, result, "date", "important_date", where, values, end)
    where = "important_date.lead_days > ?"
    rows += raw.execute(DATES_SQL.format(where=where), (max(leads),)).fetchall()
    _year_states(raw, result, "date", "important_date", where, (max(leads),),
                 result.last + timedelta(days=365))


def _since(raw: sqlite3.Connection, result: RawAgenda) -> None:
    end = result.last + timedelta(days=result.settings.anniversary_lead_days)
    rows = result.rows.setdefault("since", [])
    for low, high in month_day_ranges(result.first, end, result.settings.leap_day_rule):
        where, values = "customer.since_month_day BETWEEN ? AND ?", (low, high)
        rows += raw.execute(SINCE_SQL.format(where=where), values).fetchall()
        _year_states(raw, result, "since", "customer", where, values, end)


def _year_states(raw: sqlite3.Connection, result: RawAgenda, kind: str, table: str, where: str,
                 values: tuple[object, ...], end: date) -> None:
    years = [str(year) for year in range(result.first.year, end.year + 1)]
    sql = YEAR_STATES_SQL.format(table=table, kind=kind, years=", ".join("?" * len(years)),
                                 where=where)
    for ident, occurrence, state, _until in raw.execute(sql, (*years, *values)):
        result.year_states.append((f"{kind}:{ident}", occurrence, state))


def expected_items(raw: RawAgenda) -> set[tuple[str, str]]:
    """The (item key, occurrence) pairs the raw rows stand for, the done ones left out.

    Only for the check, untimed; it knows that the states added here are all "done", so no
    snooze brings an older item back.
    """
    if raw.snoozes_ended:
        raise AssertionError("the baseline does not read the items of ended snoozes again")
    rule, anniversary = raw.settings.leap_day_rule, raw.settings.anniversary_lead_days
    items: set[tuple[str, str]] = set()
    for ident, _customer, kind, _label, month, day, _year, lead, *_names in raw.rows["date"]:
        if lead is None:
            lead = raw.settings.birthday_lead_days if kind == "birthday" else anniversary
        end = raw.last + timedelta(days=int(str(lead)))
        items.update((f"date:{ident}", str(when.year)) for when in occurrences_between(
            int(str(month)), int(str(day)), raw.first, end, rule))
    for ident, since_text, *_names in raw.rows["since"]:
        since = date.fromisoformat(str(since_text))
        end = raw.last + timedelta(days=anniversary)
        items.update((f"since:{ident}", str(when.year)) for when in occurrences_between(
            since.month, since.day, raw.first, end, rule) if when.year > since.year)
    for kind in ("lapsed", "complaint", "coupon", "offer"):
        items.update((f"{kind}:{row[0]}", str(row[1])[:10]) for row in raw.rows[kind])
    for ident, _referrer, first_visit, *_names in raw.rows["referral"]:
        if first_visit is not None and _local_day(str(first_visit)) >= raw.owed_first:
            items.add((f"referral:{ident}", "1"))
    done = {(key, occurrence) for key, occurrence, state in raw.year_states if state == "done"}
    for kind in ("lapsed", "complaint", "coupon", "offer", "referral"):
        done.update((f"{kind}:{row[0]}", str(row[-3])) for row in raw.rows[kind]
                    if row[-2] == "done")
    return items - done


def _local_day(utc_text: str) -> date:
    return datetime.fromisoformat(utc_text).replace(tzinfo=UTC).astimezone().date()


def add_reminder_states(raw: sqlite3.Connection, today: date, first: date) -> int:
    """A year of done reminders, as a shop working through its agenda leaves them, up to
    ``first``, the first day of the late window; one in four from there on."""
    year_ago, window_end = today - timedelta(days=365), today + timedelta(days=30)
    recorded = datetime.combine(today, datetime.min.time()).isoformat(" ")
    rows: list[tuple[str, str, str]] = []

    def done(key: str, ident: int, when: date) -> None:
        # Everything before the late window; one in four since.
        if when < first or ident % 4 == 0:
            rows.append((key, str(when.year), recorded))

    for ident, month, day in raw.execute("SELECT id, month, day FROM important_date"):
        for when in occurrences_between(month, day, year_ago, window_end):
            done(f"date:{ident}", ident, when)
    for ident, since_text in raw.execute(
        "SELECT id, customer_since FROM customer WHERE customer_since IS NOT NULL"
    ):
        since = date.fromisoformat(since_text)
        for when in occurrences_between(since.month, since.day, year_ago, window_end):
            if when.year > since.year:
                done(f"since:{ident}", ident, when)
    # Lapses stay owed until done: those before the late window were dealt with when shown.
    handled_before = first - timedelta(days=max(_settings(raw).lapsed_after_days, MIN_LAPSE_DAYS))
    visits = raw.execute(
        "SELECT id, substr(last_visit_at, 1, 10) FROM customer WHERE (id % 4 = 0 OR "
        "last_visit_at < ?) AND last_visit_at BETWEEN ? AND ?",
        (str(handled_before), str(year_ago), str(today - timedelta(days=14))),
    )
    rows += [(f"lapsed:{ident}", last_visit, recorded) for ident, last_visit in visits]
    raw.executemany(
        "INSERT OR IGNORE INTO reminder_state (item_key, occurrence, state, recorded_at, note) "
        "VALUES (?, ?, 'done', ?, '')", rows,
    )
    raw.commit()
    return len(rows)
