"""Coupons ready to print: the customer's language, the business's details, no dead coupons."""

from __future__ import annotations

import io
import uuid
from datetime import date

import pytest
from pypdf import PdfReader

from crm_desktop.models import Customer, Product
from crm_desktop.services import coupons
from crm_desktop.services.coupon_printing import coupon_pdf, coupon_prints
from crm_desktop.services.errors import Conflict, NotFound, ValidationError
from crm_desktop.services.settings import BusinessSettings, save_settings

TODAY = date(2026, 3, 10)


@pytest.fixture
def shop(db):
    with db.session() as session:
        save_settings(session, BusinessSettings(
            name="Kahvila Korvapuusti", street="Kauppakatu 12", postal_code="40100",
            city="Jyväskylä", phone="+358 40 123 4567", website="korvapuusti.fi",
        ))
        finn = Customer(uid=str(uuid.uuid4()), first_name="Aino", last_name="Mäki", language="fi")
        brit = Customer(uid=str(uuid.uuid4()), first_name="Ann", last_name="Lee", language="en")
        bun = Product(name="korvapuusti")
        session.add_all([finn, brit, bun])
        session.flush()
        return finn.id, brit.id, bun.id


def issue(db, kind, value, customer_id=None, product_id=None):
    with db.session() as session:
        return coupons.issue_coupon(session, kind, value, date(2026, 4, 30), "birthday",
                                    customer_id, product_id, terms="One per visit.",
                                    today=TODAY).coupon


def test_each_coupon_prints_in_its_customers_language(db, shop):
    finn, brit, _bun = shop
    fi_coupon = issue(db, "amount", 450, finn)
    en_coupon = issue(db, "percent", 15, brit)
    with db.session() as session:
        first, second = coupon_prints(session, [fi_coupon.grouped_code, en_coupon.code.lower()])
    assert (first.language, first.value_text, first.expires_text) == ("fi", "4,50\xa0€",
                                                                        "30.4.2026")
    assert (second.language, second.value_text, second.expires_text) == ("en", "15%",
                                                                         "30/04/2026")
    assert first.customer_name == "Aino Mäki" and first.terms == "One per visit."
    assert first.code == fi_coupon.code and first.code_text == fi_coupon.grouped_code
    assert first.business_name == "Kahvila Korvapuusti"
    assert first.business_line == "Kauppakatu 12, 40100 Jyväskylä · +358 40 123 4567 · " \
                                  "korvapuusti.fi"


def test_a_coupon_to_anyone_prints_without_a_name(db, shop):
    _finn, _brit, bun = shop
    coupon = issue(db, "free_item", 0, None, bun)
    with db.session() as session:
        (printed,) = coupon_prints(session, [coupon.code])
    assert printed.customer_name == ""
    assert printed.kind == "free_item" and "korvapuusti" in printed.value_text


def test_void_redeemed_unknown_and_typo_codes_are_refused(db, shop):
    finn, _brit, _bun = shop
    void = issue(db, "amount", 100, finn).code
    used = issue(db, "amount", 100, finn).code
    with db.session() as session:
        coupons.void_coupon(session, void, "duplicate")
        coupons.redeem_coupon(session, used, "Till", TODAY)
    with db.session() as session:
        with pytest.raises(Conflict, match="void"):
            coupon_prints(session, [void])
        with pytest.raises(Conflict, match="Already redeemed"):
            coupon_prints(session, [used])
        with pytest.raises(NotFound):
            coupon_prints(session, ["0000-0000-0000-0"])
        with pytest.raises(ValidationError):
            coupon_prints(session, [used[:-1]])
        with pytest.raises(ValidationError):
            coupon_prints(session, [])


def test_coupon_pdf_is_one_document(db, shop):
    finn, brit, _bun = shop
    codes = [issue(db, "amount", 100 * n, finn if n % 2 else brit).code for n in range(1, 6)]
    with db.session() as session:
        pdf = coupon_pdf(session, codes, per_page=4)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert "Aino Mäki" in reader.pages[0].extract_text()
