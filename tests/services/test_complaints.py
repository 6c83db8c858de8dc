"""Complaints: register, resolve within the limit, follow up, list, and the recovery report."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from crm_desktop.models import Complaint, Coupon, Touchpoint
from crm_desktop.services.complaint_data import ComplaintFilter, ComplaintInput, CouponSpec
from crm_desktop.services.complaint_report import recovery_report
from crm_desktop.services.complaints import (
    get_complaint,
    list_complaints,
    record_follow_up,
    register_complaint,
    resolve_complaint,
)
from crm_desktop.services.errors import Conflict, ValidationError
from crm_desktop.services.letters import letter_pdf
from crm_desktop.services.touchpoints import log_visit
from tests.services.letter_helpers import (
    TODAY,
    add_customer,
    add_product,
    pdf_text,
    setup_business,
)

FOLLOW_UP = TODAY + timedelta(days=7)


def _complaint(session, customer_id: int, received_on: date = TODAY, **changes) -> int:
    data = ComplaintInput(customer_id=customer_id, received_on=received_on, channel="in_person",
                          description="Cold coffee\nand a rude answer", severity=2, staff="Maija")
    data = ComplaintInput(**{**data.__dict__, **changes})
    return register_complaint(session, data, today=TODAY).complaint.id


def _resolve(session, complaint_id: int, remedy="apology", cents=0, coupon=None, follow_up=None):
    return resolve_complaint(session, complaint_id, remedy, cents, coupon, follow_up, "Maija",
                             today=TODAY)


def test_a_registered_complaint_is_open_and_on_the_timeline(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s)
        product = add_product(s, "Cappuccino", 450)
        saved = register_complaint(s, ComplaintInput(
            customer, date(2026, 11, 20), "phone", "Cold coffee", 3, product, "Maija"), TODAY)
    with db.session() as s:
        entry = s.query(Touchpoint).filter_by(customer_id=customer).one()

    row = saved.complaint
    assert (row.status, row.channel, row.severity, row.product_name) == (
        "open", "phone", 3, "Cappuccino")
    assert row.customer_name == "Aino Mäkinen"
    assert (entry.kind, entry.summary, entry.complaint_id) == (
        "complaint", "Complaint: Cold coffee", row.id)
    assert entry.occurred_at == datetime(2026, 11, 20, 12)


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"received_on": TODAY + timedelta(days=1)}, "received_on"), ({"severity": 4}, "severity"),
     ({"channel": "pigeon"}, "channel"), ({"description": "  "}, "description"),
     ({"product_id": 999}, "product_id")],
)
def test_bad_complaint_input_is_refused_and_nothing_is_stored(db, changes, field) -> None:
    with db.session() as s:
        customer = add_customer(s)
    with pytest.raises(ValidationError) as refused, db.session() as s:
        _complaint(s, customer, **changes)
    assert field in refused.value.fields
    with db.session() as s:
        assert s.query(Complaint).count() == 0
        assert s.query(Touchpoint).count() == 0


def test_a_coupon_remedy_issues_the_coupon_and_schedules_the_follow_up(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s, language="en")
        complaint = _complaint(s, customer)
        spec = CouponSpec("amount", 1500, date(2027, 1, 31))
        resolved = _resolve(s, complaint, "coupon", 0, spec, FOLLOW_UP)
        text = pdf_text(letter_pdf(s, "apology", customer, resolved.coupon.id, TODAY, "Maija"))
    with db.session() as s:
        kinds = [t.kind for t in s.query(Touchpoint).order_by(Touchpoint.id)]
        coupon = s.get(Coupon, resolved.coupon.id)

    row = resolved.complaint
    assert (row.status, row.remedy, row.compensation_cents) == ("resolved", "coupon", 1500)
    assert (row.follow_up_on, row.coupon_code) == (FOLLOW_UP, resolved.coupon.grouped_code)
    assert (coupon.reason, coupon.customer_id, coupon.value) == ("complaint", customer, 1500)
    assert kinds == ["complaint", "coupon_issued", "complaint"]
    assert resolved.coupon.grouped_code in text and "€15.00 off" in text


def test_a_free_item_coupon_costs_the_items_price(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s)
        bun = add_product(s, "Korvapuusti", 380)
        resolved = _resolve(s, _complaint(s, customer), "replacement", 0,
                            CouponSpec("free_item", 0, date(2027, 1, 31), bun))

    assert resolved.complaint.compensation_cents == 380
    assert resolved.coupon.value == 380


@pytest.mark.parametrize(
    ("remedy", "cents", "coupon"),
    [("refund", 5001, None), ("coupon", 0, CouponSpec("amount", 6000, date(2027, 1, 31))),
     ("replacement", 6000, CouponSpec("percent", 10, date(2027, 1, 31)))],
)
def test_compensation_above_the_limit_is_refused_and_nothing_changes(db, remedy, cents, coupon):
    with db.session() as s:
        setup_business(s)
        complaint = _complaint(s, add_customer(s))
    with pytest.raises(ValidationError) as refused, db.session() as s:
        _resolve(s, complaint, remedy, cents, coupon, FOLLOW_UP)

    assert "above the limit of €50.00" in refused.value.fields["compensation_cents"]
    with db.session() as s:
        assert get_complaint(s, complaint).status == "open"
        assert s.query(Coupon).count() == 0


def test_the_limit_comes_from_the_settings(db) -> None:
    with db.session() as s:
        setup_business(s, compensation_limit_cents=10000)
        complaint = _complaint(s, add_customer(s))
        resolved = _resolve(s, complaint, "refund", 8000)

    assert resolved.complaint.compensation_cents == 8000
    assert resolved.coupon is None


@pytest.mark.parametrize(
    ("remedy", "cents", "coupon", "field"),
    [("apology", 500, None, "remedy"), ("refund", 0, None, "compensation_cents"),
     ("refund", 500, CouponSpec("amount", 500, date(2027, 1, 1)), "coupon"),
     ("coupon", 0, None, "coupon"), ("flowers", 0, None, "remedy"),
     ("coupon", 0, CouponSpec("percent", 150, date(2027, 1, 1)), "value")],
)
def test_a_remedy_that_does_not_add_up_is_refused(db, remedy, cents, coupon, field) -> None:
    with db.session() as s:
        setup_business(s)
        complaint = _complaint(s, add_customer(s))
    with pytest.raises(ValidationError) as refused, db.session() as s:
        _resolve(s, complaint, remedy, cents, coupon)
    assert field in refused.value.fields


def test_a_follow_up_date_in_the_past_is_refused(db) -> None:
    with db.session() as s:
        setup_business(s)
        complaint = _complaint(s, add_customer(s))
        with pytest.raises(ValidationError) as refused:
            _resolve(s, complaint, follow_up=TODAY - timedelta(days=1))
    assert "follow_up_on" in refused.value.fields


def test_follow_up_closes_the_complaint_once(db) -> None:
    with db.session() as s:
        setup_business(s)
        complaint = _complaint(s, add_customer(s))
        with pytest.raises(Conflict, match="Resolve the complaint"):
            record_follow_up(s, complaint, "Happy again")
        _resolve(s, complaint, follow_up=FOLLOW_UP)
        with pytest.raises(Conflict, match="already been resolved"):
            _resolve(s, complaint)
        with pytest.raises(ValidationError):
            record_follow_up(s, complaint, "  ")
        closed = record_follow_up(s, complaint, "Called her, happy again", "Maija").complaint
        with pytest.raises(Conflict, match="already been recorded"):
            record_follow_up(s, complaint, "Again")

    assert (closed.status, closed.outcome, closed.follow_up_on) == (
        "closed", "Called her, happy again", FOLLOW_UP)


def test_list_complaints_filters(db) -> None:
    with db.session() as s:
        setup_business(s)
        aino, eero = add_customer(s), add_customer(s, "Eero", "Virtanen")
        old = _complaint(s, aino, date(2026, 10, 1))
        due = _complaint(s, eero, date(2026, 11, 1))
        later = _complaint(s, aino, date(2026, 11, 10))
        _resolve(s, due, follow_up=date(2026, 11, 25))
        _resolve(s, later, follow_up=date(2026, 12, 20))

        newest_first = [c.id for c in list_complaints(s)]
        open_ones = [c.id for c in list_complaints(s, ComplaintFilter(status="open"))]
        ainos = [c.id for c in list_complaints(s, ComplaintFilter(customer_id=aino))]
        november = list_complaints(s, ComplaintFilter(received_from=date(2026, 11, 1),
                                                      received_until=date(2026, 11, 5)))
        follow_ups = list_complaints(s, ComplaintFilter(follow_up_due_by=date(2026, 11, 30)))

    assert newest_first == [later, due, old]
    assert open_ones == [old]
    assert ainos == [later, old]
    assert [c.id for c in november] == [due]
    assert [c.id for c in follow_ups] == [due]


def test_recovery_report_counts_remedies_cost_and_who_came_back(db) -> None:
    with db.session() as s:
        setup_business(s)
        came_back, same_day, never, outside = (
            add_customer(s, name, "Testi") for name in ("Palasi", "Samana", "Ei", "Ulkona"))
        first = _complaint(s, came_back, date(2026, 10, 5))
        second = _complaint(s, came_back, date(2026, 10, 20))
        _resolve(s, first, "refund", 1200)
        _resolve(s, second, "coupon", 0, CouponSpec("amount", 800, date(2027, 1, 1)))
        _resolve(s, _complaint(s, same_day, date(2026, 10, 10)), "apology")
        _complaint(s, never, date(2026, 10, 31))
        _complaint(s, outside, date(2026, 9, 30))
        log_visit(s, came_back, datetime(2026, 10, 12, 9))  # between the two complaints
        log_visit(s, came_back, datetime(2026, 10, 21, 9))  # the day after the last one
        log_visit(s, same_day, datetime(2026, 10, 10, 15))  # the complaint's own visit
        log_visit(s, outside, datetime(2026, 10, 15, 9))
        report = recovery_report(s, date(2026, 10, 1), date(2026, 10, 31))

    assert report.complaints == 4
    assert (report.open, report.resolved, report.closed) == (1, 3, 0)
    assert dict(report.by_remedy) == {"apology": 1, "replacement": 0, "refund": 1, "coupon": 1}
    assert report.total_compensation_cents == 2000
    assert (report.customers, report.came_back) == (3, 1)
    assert report.came_back_share == pytest.approx(1 / 3)


def test_an_empty_period_and_a_backwards_one(db) -> None:
    with db.session() as s:
        report = recovery_report(s, date(2026, 1, 1), date(2026, 1, 31))
        with pytest.raises(ValidationError):
            recovery_report(s, date(2026, 2, 1), date(2026, 1, 1))

    assert (report.complaints, report.customers, report.came_back) == (0, 0, 0)
    assert report.came_back_share is None
