"""The keys the agenda's indexed queries read, kept wherever their sources are written:
a customer's visit habit (usual interval, lapse day) and the day of "customer since"."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from crm_desktop.models import Customer, Touchpoint
from crm_desktop.services.customer_data import CustomerInput
from crm_desktop.services.customers import (
    create_customer,
    delete_customer,
    undo_delete,
    update_customer,
)
from crm_desktop.services.demo import generate_demo
from crm_desktop.services.touchpoints import delete_touchpoint, log_visit
from crm_desktop.services.visit_habits import NO_HABIT, VisitHabit, habit_as_of, habit_of

MAIJA = CustomerInput(first_name="Maija", last_name="Mäkinen", customer_since=date(2019, 5, 4))


def _noon(*days: date) -> list[datetime]:
    return [datetime.combine(day, time(12)) for day in days]


def _stored(session, customer_id: int) -> tuple[int | None, int | None, date | None]:
    row = session.execute(
        select(Customer.since_month_day, Customer.usual_visit_days, Customer.regular_lapse_on)
        .where(Customer.id == customer_id)
    ).one()
    return tuple(row)


def test_weekly_visits_lapse_after_two_weeks():
    visits = _noon(date(2026, 1, 1), date(2026, 1, 8), date(2026, 1, 15))
    assert habit_of(reversed(visits)) == VisitHabit(7, date(2026, 1, 29))


def test_three_visits_on_two_days_are_no_habit_yet():
    visits = [*_noon(date(2026, 1, 1)), datetime(2026, 1, 1, 17), *_noon(date(2026, 1, 8))]
    assert habit_of(visits) == NO_HABIT
    assert habit_of([]) == NO_HABIT


def test_daily_visits_still_lapse_only_after_two_weeks():
    visits = _noon(*(date(2026, 3, day) for day in range(1, 8)))
    assert habit_of(visits) == VisitHabit(1, date(2026, 3, 21))


def test_only_the_last_six_visits_within_five_months_count():
    monthly_long_ago = _noon(date(2025, 1, 5), date(2025, 2, 5), date(2025, 3, 5))
    weekly = _noon(*(date(2026, 1, 1) + timedelta(days=7 * week) for week in range(4)))
    assert habit_of(monthly_long_ago + weekly) == VisitHabit(7, date(2026, 2, 5))
    every_other_day = _noon(*(date(2026, 5, 1) + timedelta(days=2 * n) for n in range(6)))
    monthly_before = _noon(date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1))
    assert habit_of(monthly_before + every_other_day).usual_days == 2


def test_a_last_visit_from_an_import_counts_as_a_visit():
    visits = _noon(date(2026, 1, 1), date(2026, 1, 11))
    assert habit_as_of(datetime(2026, 1, 21, 9), visits) == VisitHabit(10, date(2026, 2, 10))
    assert habit_as_of(None, visits) == NO_HABIT
    # Visits after the last visit (a mismatch in imported data) are left out.
    assert habit_as_of(datetime(2026, 1, 5), visits) == NO_HABIT


def test_logging_and_deleting_visits_keep_the_habit(db):
    with db.session() as s:
        cid = create_customer(s, MAIJA, "FI").customer.id
        log_visit(s, cid, datetime(2026, 1, 1, 12))
        log_visit(s, cid, datetime(2026, 1, 15, 12))
        assert _stored(s, cid)[1:] == (None, None)
        log_visit(s, cid, datetime(2026, 1, 8, 12))  # logged afterwards, still counts
        assert _stored(s, cid)[1:] == (7, date(2026, 1, 29))
        newest = s.scalar(select(Touchpoint.id).order_by(Touchpoint.occurred_at.desc()))
        delete_touchpoint(s, newest)
        assert _stored(s, cid)[1:] == (None, None)


def test_the_customer_since_key_follows_the_card(db):
    with db.session() as s:
        cid = create_customer(s, MAIJA, "FI").customer.id
        assert _stored(s, cid)[0] == 504
        update_customer(s, cid, replace(MAIJA, customer_since=date(2020, 12, 31)), "FI")
        assert _stored(s, cid)[0] == 1231
        update_customer(s, cid, replace(MAIJA, customer_since=None), "FI")
        assert _stored(s, cid)[0] is None


def test_undo_delete_brings_the_keys_back(db):
    with db.session() as s:
        cid = create_customer(s, MAIJA, "FI").customer.id
        for day in (1, 8, 15, 22):
            log_visit(s, cid, datetime(2026, 2, day, 12))
        before = _stored(s, cid)
        deleted = delete_customer(s, cid)
    with db.session() as s:
        restored = undo_delete(s, deleted).customer.id
        assert _stored(s, restored) == before == (504, 7, date(2026, 3, 8))


def test_demo_customers_keys_match_their_visits(db):
    with db.session() as s:
        generate_demo(s, customers=80, seed=3, today=date(2026, 11, 23))
        visits: dict[int, list[datetime]] = {}
        for customer_id, occurred_at in s.execute(
            select(Touchpoint.customer_id, Touchpoint.occurred_at).where(Touchpoint.kind == "visit")
        ):
            visits.setdefault(customer_id, []).append(occurred_at)
        rows = s.execute(select(
            Customer.id, Customer.customer_since, Customer.last_visit_at,
            Customer.since_month_day, Customer.usual_visit_days, Customer.regular_lapse_on,
        )).all()
    regulars = 0
    for customer_id, since, last, key, usual, lapse_on in rows:
        assert key == (since.month * 100 + since.day if since else None)
        assert (usual, lapse_on) == habit_as_of(last, visits.get(customer_id, []))
        regulars += usual is not None
    assert regulars > 0
