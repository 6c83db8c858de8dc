"""Agenda sources beyond dates: customer since, lapsed regulars, complaints, coupons, offers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from crm_desktop.models import (
    Complaint,
    Coupon,
    Redemption,
    RetentionCase,
    RetentionOffer,
    Subscription,
)
from crm_desktop.services.agenda import agenda, mark_done
from crm_desktop.services.agenda_lapsed import lapsed_items, usual_interval
from crm_desktop.services.agenda_shown import record_agenda_shown
from crm_desktop.services.agenda_sources import (
    complaint_items,
    coupon_items,
    customer_since_items,
    retention_offer_items,
)
from tests.services.agenda_helpers import customer, no_lead_times, settings, visits

TODAY = date(2026, 6, 15)


def _days_ago(*counts: int) -> list[date]:
    return [TODAY - timedelta(days=count) for count in counts]


def test_customer_since_gives_the_years_as_a_customer(db):
    with db.session() as s:
        no_lead_times(s)
        ten = customer(s, "a", customer_since=date(2016, 6, 17))
        new = customer(s, "b", customer_since=date(2026, 6, 16))  # not a year yet
        leap = customer(s, "c", customer_since=date(2024, 2, 29))
        customer(s, "d")  # no date
        june = agenda(s, TODAY, 7, [customer_since_items])
        leap_day = agenda(s, date(2027, 2, 28), 0, [customer_since_items])
    (item,) = june.items
    assert (item.item_key, item.occurrence, item.years) == (f"since:{ten}", "2026", 10)
    assert item.kind == "customer_since"
    assert "10 years as a customer" in item.what_to_do
    assert f"since:{new}" not in {i.item_key for i in june.items}
    assert [(i.item_key, i.years) for i in leap_day.items] == [(f"since:{leap}", 3)]


def test_customer_since_over_the_year_end(db):
    with db.session() as s:
        no_lead_times(s)
        january = customer(s, "a", customer_since=date(2020, 1, 5))
        december = customer(s, "b", customer_since=date(2020, 12, 30))
        result = agenda(s, date(2026, 12, 23), 14, [customer_since_items])
    assert [(i.item_key, i.occurs_on) for i in result.items] == [
        (f"since:{december}", date(2026, 12, 30)),
        (f"since:{january}", date(2027, 1, 5)),
    ]


def test_a_weekly_regular_lapses_after_twice_the_usual_interval(db):
    with db.session() as s:
        weekly = customer(s, "weekly")
        visits(s, weekly, *_days_ago(14, 21, 28, 35))  # away 14 days, usually every 7
        present = customer(s, "present")
        visits(s, present, *_days_ago(5, 12, 19, 26))
        twice = customer(s, "twice")  # only two visits: not yet a regular
        visits(s, twice, *_days_ago(20, 27))
        result = agenda(s, TODAY, 14, [lapsed_items])
    (item,) = result.items
    assert (item.item_key, item.occurrence) == (f"lapsed:{weekly}", str(TODAY - timedelta(14)))
    assert (item.occurs_on, item.late) == (TODAY, False)
    assert "No visit for 14 days, usually every 7 days" in item.what_to_do


def test_anyone_away_longer_than_the_setting_lapses(db):
    with db.session() as s:
        settings(s, lapsed_after_days=60)
        once = customer(s, "once")
        visits(s, once, *_days_ago(60))
        missed = customer(s, "missed")  # lapsed 10 days ago: late
        visits(s, missed, *_days_ago(70))
        long_gone = customer(s, "gone")  # lapsed 40 days ago: no longer listed
        visits(s, long_gone, *_days_ago(100))
        inactive = customer(s, "inactive", status="inactive")
        visits(s, inactive, *_days_ago(60))
        customer(s, "never")  # no visits at all
        result = agenda(s, TODAY, 14, [lapsed_items])
    assert [(i.item_key, i.late) for i in result.items] == [
        (f"lapsed:{missed}", True),
        (f"lapsed:{once}", False),
    ]


def test_a_lapse_not_acted_on_stays_late_after_the_agenda_was_shown(db):
    with db.session() as s:
        settings(s, lapsed_after_days=60)
        missed = customer(s, "missed")  # lapsed 10 days ago
        visits(s, missed, *_days_ago(70))
        record_agenda_shown(s, TODAY - timedelta(days=1))  # seen yesterday, not acted on
        result = agenda(s, TODAY, 14, [lapsed_items])
    assert [(i.item_key, i.late) for i in result.items] == [(f"lapsed:{missed}", True)]


def test_a_lapse_done_stays_done_until_the_customer_comes_back_and_stays_away(db):
    with db.session() as s:
        cid = customer(s)
        visits(s, cid, *_days_ago(60))
        (item,) = agenda(s, TODAY, 0, [lapsed_items]).items
        mark_done(s, item.item_key, item.occurrence, cid)
        assert agenda(s, TODAY + timedelta(days=5), 0, [lapsed_items]).items == []
        visits(s, cid, TODAY + timedelta(days=6))
        later = TODAY + timedelta(days=66)
        (again,) = agenda(s, later, 0, [lapsed_items]).items
    assert again.item_key == item.item_key and again.occurrence != item.occurrence


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([date(2026, 1, 1), date(2026, 1, 8)], None),
        ([date(2026, 1, 1), date(2026, 1, 8), date(2026, 1, 15)], 7),
        ([date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 30), date(2026, 1, 31)], 1),
        ([date(2026, 1, 1), date(2026, 1, 11), date(2026, 1, 31)], 15),
    ],
)
def test_usual_interval_is_the_median_gap(days, expected):
    assert usual_interval(days) == expected


def _complaint(session, customer_id, follow_up, status="open", outcome=""):
    complaint = Complaint(customer_id=customer_id, received_on=date(2026, 6, 1), status=status,
                          follow_up_on=follow_up, outcome=outcome, description="Cold coffee")
    session.add(complaint)
    session.flush()
    return complaint.id


def test_complaint_follow_ups_due(db):
    with db.session() as s:
        cid = customer(s)
        soon = _complaint(s, cid, TODAY + timedelta(days=2))
        unrecorded = _complaint(s, cid, TODAY, status="resolved")
        _complaint(s, cid, TODAY, status="resolved", outcome="Happy again")
        _complaint(s, cid, TODAY, status="closed")
        _complaint(s, cid, TODAY + timedelta(days=20))
        missed = _complaint(s, cid, TODAY - timedelta(days=3))
        result = agenda(s, TODAY, 7, [complaint_items])
        done = mark_done(s, f"complaint:{soon}", result.items[-1].occurrence, cid)
        after = agenda(s, TODAY, 7, [complaint_items])
    assert [(i.item_key, i.late) for i in result.items] == [
        (f"complaint:{missed}", True),
        (f"complaint:{unrecorded}", False),
        (f"complaint:{soon}", False),
    ]
    assert f"complaint:{soon}" not in {i.item_key for i in after.items}
    assert done.touchpoint_id is not None


def _coupon(session, code, customer_id, expires_on, **fields):
    coupon = Coupon(code=code, kind="percent", value=10, customer_id=customer_id,
                    expires_on=expires_on, issued_at=datetime(2026, 5, 1), **fields)
    session.add(coupon)
    session.flush()
    return coupon.id


def test_coupons_about_to_expire_unused(db):
    with db.session() as s:
        cid = customer(s)
        soon = _coupon(s, "A", cid, TODAY + timedelta(days=5))
        _coupon(s, "B", None, TODAY + timedelta(days=5))  # nobody's
        _coupon(s, "C", cid, TODAY - timedelta(days=1))  # expired: too late to remind
        _coupon(s, "D", cid, TODAY + timedelta(days=5), voided_at=datetime(2026, 6, 1))
        used = _coupon(s, "E", cid, TODAY + timedelta(days=5))
        s.add(Redemption(coupon_id=used))
        later = _coupon(s, "F", cid, TODAY + timedelta(days=40))
        result = agenda(s, TODAY, 14, [coupon_items])
    (item,) = result.items
    assert (item.item_key, item.occurs_on, item.due_on) == (
        f"coupon:{soon}", TODAY + timedelta(days=5), TODAY
    )
    assert "Coupon A" in item.what_to_do
    assert f"coupon:{later}" not in {i.item_key for i in result.items}


def _offer(session, customer_id, ends_on, accepted=True, outcome="retained"):
    subscription = Subscription(customer_id=customer_id, plan="Coffee club",
                                started_on=date(2025, 1, 1))
    session.add(subscription)
    session.flush()
    case = RetentionCase(subscription_id=subscription.id, outcome=outcome)
    session.add(case)
    session.flush()
    offer = RetentionOffer(case_id=case.id, kind="discount", value=50, ends_on=ends_on,
                           accepted=accepted)
    session.add(offer)
    session.flush()
    return offer.id


def test_retention_offers_ending(db):
    with db.session() as s:
        cid = customer(s)
        ending = _offer(s, cid, TODAY + timedelta(days=3))
        _offer(s, cid, TODAY + timedelta(days=3), accepted=False)
        _offer(s, cid, TODAY + timedelta(days=3), outcome="cancelled")
        result = agenda(s, TODAY, 14, [retention_offer_items])
    assert [(i.item_key, i.customer_id, i.kind) for i in result.items] == [
        (f"offer:{ending}", cid, "offer")
    ]
    assert "Coffee club" in result.items[0].what_to_do


def test_all_sources_together_late_first(db):
    with db.session() as s:
        no_lead_times(s)
        cid = customer(s, customer_since=date(2020, 6, 20))
        visits(s, cid, *_days_ago(65))
        _complaint(s, cid, TODAY + timedelta(days=1))
        result = agenda(s, TODAY, 7)
    assert [i.kind for i in result.items] == ["lapsed", "complaint", "customer_since"]
    assert [i.late for i in result.items] == [True, False, False]
