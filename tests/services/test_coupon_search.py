"""The Coupons desk's list: by status, by a piece of the code, by the customer's name."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from crm_desktop.services import coupons
from crm_desktop.services.coupon_search import search_coupons
from crm_desktop.services.customer_data import CustomerInput
from crm_desktop.services.customers import create_customer
from crm_desktop.services.errors import ValidationError

TODAY = date(2026, 3, 10)


@pytest.fixture
def desk(db):
    """Coupons for Mäkinen (active, redeemed), Smith (void), one to anyone (expired)."""
    with db.session() as session:
        makinen = create_customer(session, CustomerInput(first_name="Aino", last_name="MÄKINEN"),
                                  "FI").customer.id
        smith = create_customer(session, CustomerInput(first_name="Jo", last_name="Smith"),
                                "FI").customer.id

        def issue(customer_id, expires_on=TODAY + timedelta(days=30)):
            return coupons.issue_coupon(session, "amount", 500, expires_on, "complaint",
                                        customer_id, None, today=TODAY - timedelta(days=60)).coupon

        active = issue(makinen)
        redeemed = issue(makinen)
        coupons.redeem_coupon(session, redeemed.code, "Till", TODAY)
        void = issue(smith)
        coupons.void_coupon(session, void.code, "Mistake")
        expired = issue(None, TODAY - timedelta(days=1))
        return {"active": active.code, "redeemed": redeemed.code, "void": void.code,
                "expired": expired.code}


def codes(db, text="", status="all", limit=500):
    with db.session() as session:
        found = search_coupons(session, text, status, TODAY, limit)
    return [coupon.code for coupon in found.coupons], found.more


def test_every_status_finds_only_its_coupons(db, desk):
    for status in ("active", "redeemed", "void", "expired"):
        assert codes(db, status=status)[0] == [desk[status]]
    assert sorted(codes(db)[0]) == sorted(desk.values())


def test_a_piece_of_the_code_finds_it_however_typed(db, desk):
    code = desk["void"]
    piece = f"{code[3:7].lower()}-{code[7:9]}"  # lower case, with a dash in the middle
    assert desk["void"] in codes(db, piece)[0]
    assert codes(db, code)[0] == [code]


def test_the_customer_name_is_found_without_case_or_accents(db, desk):
    found = codes(db, "mäk")[0]
    assert sorted(found) == sorted([desk["active"], desk["redeemed"]])
    assert sorted(codes(db, "MAKINEN aino")[0]) == sorted(found)
    assert codes(db, "makinen", status="redeemed")[0] == [desk["redeemed"]]
    assert codes(db, "smith jo")[0] == [desk["void"]]


def test_text_that_matches_nothing_finds_nothing(db, desk):
    assert codes(db, "Nobody")[0] == []
    assert codes(db, "%")[0] == []  # not a wildcard


def test_the_limit_says_there_are_more(db, desk):
    found, more = codes(db, limit=3)
    assert len(found) == 3 and more
    assert codes(db, limit=4)[1] is False


def test_an_unknown_status_is_refused(db):
    with db.session() as session, pytest.raises(ValidationError):
        search_coupons(session, status="lost")
