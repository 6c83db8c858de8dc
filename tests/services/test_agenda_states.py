"""Done and snoozed as every source reads them: only the states of the agenda's own items."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from crm_desktop.models import Coupon, ReminderState
from crm_desktop.services.agenda import agenda, mark_done, snooze
from crm_desktop.services.agenda_data import Candidate
from crm_desktop.services.agenda_sources import (
    coupon_items,
    customer_since_items,
    important_date_items,
)
from tests.services.agenda_helpers import birthday, customer, keys, no_lead_times

TODAY = date(2026, 6, 15)


def test_states_of_other_years_and_other_items_are_left_alone(db):
    with db.session() as s:
        no_lead_times(s)
        cid = customer(s, customer_since=date(2020, 6, 16))
        date_id = birthday(s, cid, 6, 16)
        for occurrence in ("2025", "2027"):
            mark_done(s, f"date:{date_id}", occurrence, cid)
        # Same number, other kinds of item: the item key tells them apart.
        mark_done(s, f"since:{date_id}", "2026", cid)
        mark_done(s, f"complaint:{date_id}", "2026-06-16", cid)
        result = agenda(s, TODAY, 3, [important_date_items])
    assert keys(result) == [(f"date:{date_id}", "2026")]


def test_a_customer_since_anniversary_done_is_done_for_that_year(db):
    with db.session() as s:
        no_lead_times(s)
        cid = customer(s, customer_since=date(2020, 6, 16))
        mark_done(s, f"since:{cid}", "2026", cid)
        this_year = agenda(s, TODAY, 3, [customer_since_items])
        next_year = agenda(s, TODAY.replace(year=2027), 3, [customer_since_items])
    assert this_year.items == []
    assert keys(next_year) == [(f"since:{cid}", "2027")]


def test_a_year_long_window_applies_each_occurrences_own_state(db):
    with db.session() as s:
        no_lead_times(s)
        cid = customer(s)
        date_id = birthday(s, cid, 6, 20)
        mark_done(s, f"date:{date_id}", "2027", cid)
        snooze(s, f"date:{date_id}", "2026", date(2026, 6, 25), today=TODAY)
        result = agenda(s, TODAY, 366, [important_date_items])
    (item,) = result.items
    assert (item.occurrence, item.due_on, item.snoozed_until) == ("2026", date(2026, 6, 25),
                                                                   date(2026, 6, 25))


def test_a_date_with_its_own_long_lead_time_can_be_done(db):
    with db.session() as s:
        no_lead_times(s)
        cid = customer(s)
        far = birthday(s, cid, 9, 1, lead_days=90)
        assert keys(agenda(s, TODAY, 0, [important_date_items])) == [(f"date:{far}", "2026")]
        mark_done(s, f"date:{far}", "2026", cid)
        assert agenda(s, TODAY, 0, [important_date_items]).items == []


def test_a_coupon_reminder_snoozed_past_the_window_is_hidden(db):
    with db.session() as s:
        cid = customer(s)
        coupon = Coupon(code="A", kind="percent", value=10, customer_id=cid,
                        expires_on=TODAY + timedelta(days=10), issued_at=datetime(2026, 5, 1))
        s.add(coupon)
        s.flush()
        occurrence = (TODAY + timedelta(days=10)).isoformat()
        snooze(s, f"coupon:{coupon.id}", occurrence, TODAY + timedelta(days=9), today=TODAY)
        hidden = agenda(s, TODAY, 7, [coupon_items])
        shown = agenda(s, TODAY + timedelta(days=9), 0, [coupon_items])
    assert hidden.items == []
    assert [item.snoozed_until for item in shown.items] == [TODAY + timedelta(days=9)]


def test_a_source_without_states_gets_them_looked_up(db):
    def thanks(session, window):
        for days in (0, 1):
            when = window.today + timedelta(days=days)
            yield Candidate(f"thanks:{days}", when.isoformat(), cid, "Maija Mäkinen", "thanks",
                            when, 0, None, "Say thank you.")

    with db.session() as s:
        cid = customer(s)
        mark_done(s, "thanks:0", TODAY.isoformat(), cid)
        mark_done(s, "thanks:1", "2020-01-01", cid)  # another occurrence of the same item
        result = agenda(s, TODAY, 3, [thanks])
        assert s.scalar(select(ReminderState.state).where(ReminderState.item_key == "thanks:0"))
    assert keys(result) == [("thanks:1", (TODAY + timedelta(days=1)).isoformat())]
