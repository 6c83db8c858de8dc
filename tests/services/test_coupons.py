"""Issuing, redeeming, voiding and undoing coupons, with one clear answer each time."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from crm_desktop.models import Coupon, CouponEvent, Customer, Product, Redemption, Touchpoint
from crm_desktop.services import coupons
from crm_desktop.services.coupon_codes import check_symbol, new_code
from crm_desktop.services.coupon_data import (
    ACTIVE,
    ALREADY_REDEEMED,
    EXPIRED,
    REDEEMED,
    REDEEMED_NOW,
    TYPO,
    UNKNOWN,
    VOID,
    local_date,
)
from crm_desktop.services.errors import Conflict, NotFound, ValidationError
from crm_desktop.services.settings import BusinessSettings, save_settings

TODAY = date(2026, 3, 10)
LAST_DAY = date(2026, 4, 30)


@pytest.fixture
def shop(db):
    """A customer and a product; returns their ids."""
    with db.session() as session:
        customer = Customer(uid=str(uuid.uuid4()), first_name="Łukasz", last_name="Żółć",
                            language="fi")
        product = Product(name="coffee", price_cents=320)
        session.add_all([customer, product])
        session.flush()
        return customer.id, product.id


def issue(db, kind="percent", value=20, expires_on=LAST_DAY, customer_id=None, product_id=None,
          **extra):
    with db.session() as session:
        return coupons.issue_coupon(session, kind, value, expires_on, extra.pop("reason",
                                    "complaint"), customer_id, product_id, today=TODAY, **extra)


def redeem(db, code, desk="Till 1", today=TODAY):
    with db.session() as session:
        return coupons.redeem_coupon(session, code, desk, today)


def count(db, model, *where):
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def timeline_kinds(db, customer_id):
    with db.session() as session:
        return session.scalars(select(Touchpoint.kind).where(Touchpoint.customer_id == customer_id)
                               .order_by(Touchpoint.id)).all()


def events(db, coupon_id):
    with db.session() as session:
        return session.scalars(select(CouponEvent.kind).where(CouponEvent.coupon_id == coupon_id)
                               .order_by(CouponEvent.id)).all()


def test_issue_gives_a_checked_code_and_logs_it(db, shop):
    customer_id, product_id = shop
    issued = issue(db, "free_item", 0, customer_id=customer_id, product_id=product_id,
                   terms=" Not with other offers. ")
    coupon = issued.coupon
    assert len(coupon.code) == 13 and coupon.grouped_code.count("-") == 3
    assert coupon.code[-1] == check_symbol(coupon.code[:-1])
    assert coupon.value == 320  # a free item is worth its product's price
    assert (coupon.product_name, coupon.customer_name) == ("coffee", "Łukasz Żółć")
    assert coupon.terms == "Not with other offers."
    assert coupon.status(TODAY) == ACTIVE
    assert timeline_kinds(db, customer_id) == ["coupon_issued"]
    assert events(db, coupon.id) == ["issued"]
    assert customer_id in issued.changes.customers and "coupons" in issued.changes.kinds
    with db.session() as session:
        summary = session.scalar(select(Touchpoint.summary))
    assert coupon.grouped_code in summary and "Free coffee" in summary


def test_a_coupon_to_anyone_has_no_timeline_entry(db):
    issued = issue(db, "amount", 500)
    assert issued.coupon.customer_id is None
    assert count(db, Touchpoint) == 0
    assert events(db, issued.coupon.id) == ["issued"]


@pytest.mark.parametrize(
    ("kind", "value", "expires_on", "reason", "field"),
    [
        ("percent", 0, LAST_DAY, "complaint", "value"),
        ("percent", 101, LAST_DAY, "complaint", "value"),
        ("amount", 0, LAST_DAY, "complaint", "value"),
        ("amount", -100, LAST_DAY, "complaint", "value"),
        ("free_item", -1, LAST_DAY, "complaint", "value"),
        ("gift", 5, LAST_DAY, "complaint", "kind"),
        ("percent", 10, TODAY - timedelta(days=1), "complaint", "expires_on"),
        ("percent", 10, LAST_DAY, "because", "reason"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(db, kind, value, expires_on, reason, field):
    with pytest.raises(ValidationError) as error:
        issue(db, kind, value, expires_on, reason=reason)
    assert set(error.value.fields) == {field}
    assert count(db, Coupon) == 0


def test_terms_must_fit_on_the_coupon(db):
    with pytest.raises(ValidationError) as error:
        issue(db, terms="x" * (coupons.TERMS_MAX_LENGTH + 1))
    assert set(error.value.fields) == {"terms"}


def test_a_coupon_may_expire_today_or_never(db):
    assert issue(db, expires_on=TODAY).coupon.expires_on == TODAY
    assert issue(db, expires_on=None).coupon.is_expired(date(2099, 1, 1)) is False


def test_unknown_customer_or_product_is_not_found(db):
    with pytest.raises(NotFound):
        issue(db, customer_id=999)
    with pytest.raises(NotFound):
        issue(db, product_id=999)
    assert count(db, Coupon) == 0


def test_redeem_now_then_already_redeemed_on_date_at_desk(db, shop):
    customer_id, _product = shop
    code = issue(db, customer_id=customer_id).coupon.grouped_code
    first = redeem(db, code.lower().replace("-", " "), desk="Till 1")
    assert first.status == REDEEMED_NOW and first.redeemed_now
    assert first.message == "Redeemed now: 20% for Łukasz Żółć."
    assert first.code == code
    second = redeem(db, code, desk="Till 2")
    assert second.status == ALREADY_REDEEMED and not second.redeemed_now
    assert second.desk == "Till 1"
    assert second.redeemed_on == local_date(first.redeemed_at)
    assert second.message == f"Already redeemed on {second.redeemed_on:%d/%m/%Y} at Till 1."
    assert count(db, Redemption) == 1
    assert timeline_kinds(db, customer_id) == ["coupon_issued", "coupon_redeemed"]
    assert events(db, first.coupon.id) == ["issued", "redeemed"]


def test_expiry_date_is_the_last_valid_day(db):
    on_last_day = issue(db, expires_on=LAST_DAY).coupon.code
    day_after = issue(db, expires_on=LAST_DAY).coupon.code
    assert redeem(db, on_last_day, today=LAST_DAY).status == REDEEMED_NOW
    late = redeem(db, day_after, today=LAST_DAY + timedelta(days=1))
    assert late.status == EXPIRED
    assert late.message == "Expired on 30/04/2026."
    assert late.expires_on == LAST_DAY
    assert count(db, Redemption) == 1


def test_void_coupon_is_refused_with_the_reason(db, shop):
    customer_id, _product = shop
    code = issue(db, customer_id=customer_id).coupon.code
    with db.session() as session:
        voided = coupons.void_coupon(session, code, "  printed twice ")
    assert voided.coupon.status(TODAY) == VOID
    answer = redeem(db, code)
    assert answer.status == VOID
    assert answer.message.startswith("Void: cancelled on ") and "(printed twice)" in answer.message
    assert count(db, Redemption) == 0
    assert events(db, voided.coupon.id) == ["issued", "voided"]
    assert timeline_kinds(db, customer_id) == ["coupon_issued", "note"]


def test_void_needs_a_reason_and_happens_once(db):
    code = issue(db).coupon.code
    with db.session() as session, pytest.raises(ValidationError) as error:
        coupons.void_coupon(session, code, "  ")
    assert set(error.value.fields) == {"reason"}
    with db.session() as session:
        coupons.void_coupon(session, code, "mistake")
    with db.session() as session, pytest.raises(Conflict, match="already void"):
        coupons.void_coupon(session, code, "again")


def test_a_redeemed_coupon_cannot_be_voided(db):
    code = issue(db).coupon.code
    redeem(db, code)
    with db.session() as session, pytest.raises(Conflict, match="Undo the redemption"):
        coupons.void_coupon(session, code, "too late")


def test_unknown_and_typo_are_told_apart(db):
    real = issue(db).coupon.code
    unknown = redeem(db, new_code())
    assert unknown.status == UNKNOWN and unknown.coupon is None
    assert unknown.message.startswith("Unknown code")
    wrong = "Z" if real[4] != "Z" else "Y"
    typo = redeem(db, real[:4] + wrong + real[5:])
    assert typo.status == TYPO and "typo" in typo.message
    assert redeem(db, "hello").status == TYPO
    assert count(db, Redemption) == 0


def test_undo_redemption_then_redeem_again(db, shop):
    customer_id, _product = shop
    code = issue(db, customer_id=customer_id).coupon.code
    redeem(db, code, desk="Till 1")
    with db.session() as session:
        undone = coupons.undo_redemption(session, code, "Till 1")
    assert undone.coupon.status(TODAY) == ACTIVE
    again = redeem(db, code, desk="Till 2")
    assert again.status == REDEEMED_NOW and again.desk == "Till 2"
    assert events(db, undone.coupon.id) == ["issued", "redeemed", "redemption_undone", "redeemed"]
    assert timeline_kinds(db, customer_id) == [
        "coupon_issued", "coupon_redeemed", "note", "coupon_redeemed"]
    with db.session() as session:
        note = session.scalar(select(CouponEvent.note).where(
            CouponEvent.kind == "redemption_undone"))
    assert note.startswith("Already redeemed on ") and "Till 1" in note


def test_undo_needs_a_redeemed_coupon(db):
    code = issue(db).coupon.code
    with db.session() as session, pytest.raises(Conflict, match="has not been redeemed"):
        coupons.undo_redemption(session, code)
    with db.session() as session, pytest.raises(NotFound):
        coupons.undo_redemption(session, new_code())
    with db.session() as session, pytest.raises(ValidationError):
        coupons.undo_redemption(session, code[:-1])


def test_a_lost_race_leaves_the_callers_transaction_usable(db):
    """The losing INSERT runs in a savepoint: work before it in the same session survives."""
    code = issue(db).coupon.code
    redeem(db, code)
    with db.session() as session:
        coupon_id = session.scalar(select(Coupon.id))
        session.add(CouponEvent(coupon_id=coupon_id, kind="checked", note="before redeeming"))
        session.flush()
        assert coupons.redeem_coupon(session, code, "Till 2", TODAY).status == ALREADY_REDEEMED
    assert count(db, CouponEvent, CouponEvent.kind == "checked") == 1


def test_desk_name_length_is_checked(db):
    code = issue(db).coupon.code
    with db.session() as session, pytest.raises(ValidationError) as error:
        coupons.redeem_coupon(session, code, "x" * 51, TODAY)
    assert set(error.value.fields) == {"desk"}


def test_lists_by_status_and_customer(db, shop):
    customer_id, _product = shop
    active = issue(db, customer_id=customer_id).coupon.code
    used = issue(db).coupon.code
    old = issue(db, expires_on=TODAY).coupon.code
    cancelled = issue(db).coupon.code
    redeem(db, used)
    with db.session() as session:
        coupons.void_coupon(session, cancelled, "mistake")
    later = TODAY + timedelta(days=1)
    with db.session() as session:
        def codes(status, customer=None):
            rows = coupons.list_coupons(session, status, customer, today=later)
            return {row.code for row in rows}

        assert codes("all") == {active, used, old, cancelled}
        assert codes(ACTIVE) == {active}
        assert codes(REDEEMED) == {used}
        assert codes(EXPIRED) == {old}
        assert codes(VOID) == {cancelled}
        assert codes("all", customer_id) == {active}
        for row in coupons.list_coupons(session, "all", today=later):
            assert codes(row.status(later)) >= {row.code}
        with pytest.raises(ValidationError):
            coupons.list_coupons(session, "lost")


def test_expiring_coupons_window_includes_today_and_the_last_day(db):
    today = issue(db, expires_on=TODAY).coupon.code
    in_window = issue(db, expires_on=TODAY + timedelta(days=14)).coupon.code
    issue(db, expires_on=TODAY + timedelta(days=15))
    issue(db, expires_on=None)
    used = issue(db, expires_on=TODAY + timedelta(days=3)).coupon.code
    redeem(db, used)
    with db.session() as session:
        found = coupons.expiring_coupons(session, TODAY, within_days=14)
    assert [coupon.code for coupon in found] == [today, in_window]


def test_value_text_in_the_given_language(db, shop):
    _customer, product_id = shop
    percent = issue(db, "percent", 20).coupon
    amount = issue(db, "amount", 500).coupon
    free = issue(db, "free_item", 0, product_id=product_id).coupon
    anything = issue(db, "free_item", 0).coupon
    assert coupons.coupon_value_text(percent, "fi", "EUR") == "20\xa0%"
    assert coupons.coupon_value_text(percent, "en", "EUR") == "20%"
    assert coupons.coupon_value_text(amount, "fi", "EUR") == "5,00\xa0€"
    assert coupons.coupon_value_text(amount, "en", "EUR") == "€5.00"
    assert coupons.coupon_value_text(free, "en", "EUR") == "Free coffee"
    assert coupons.coupon_value_text(anything, "en", "EUR") == "A free item"


def test_redeem_message_uses_the_business_currency(db):
    with db.session() as session:
        save_settings(session, BusinessSettings(name="Shop", currency="SEK"))
    code = issue(db, "amount", 2500).coupon.code
    assert "SEK" in redeem(db, code).message


def test_product_by_name_ignores_case(db, shop):
    _customer, product_id = shop
    with db.session() as session:
        assert coupons.product_id_by_name(session, " COFFEE ") == product_id
        with pytest.raises(NotFound, match="tea"):
            coupons.product_id_by_name(session, "tea")
