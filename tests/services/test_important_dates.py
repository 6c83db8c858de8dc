"""Important dates and favourites: validation, one birthday each, the catalogue."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from crm_desktop.models import ImportantDate
from crm_desktop.services.customer_data import CustomerInput
from crm_desktop.services.customers import create_customer, delete_customer
from crm_desktop.services.errors import NotFound, ValidationError
from crm_desktop.services.favourites import (
    ProductInput,
    add_favourite,
    create_product,
    delete_product,
    list_favourites,
    list_products,
    remove_favourite,
    update_favourite_note,
    update_product,
)
from crm_desktop.services.important_dates import (
    DateInput,
    add_date,
    delete_date,
    list_dates,
    undo_delete_date,
    update_date,
)

TODAY = date(2026, 11, 23)


def _customer(session, last_name: str = "Mäkinen") -> int:
    data = CustomerInput(first_name="Maija", last_name=last_name)
    return create_customer(session, data, "FI").customer.id


def test_dates_are_stored_with_month_day_and_listed_birthday_first(db):
    with db.session() as s:
        cid = _customer(s)
        add_date(s, cid, DateInput("anniversary", 1, 15, 2001, "Wedding"), TODAY)
        saved = add_date(s, cid, DateInput("birthday", 12, 24), TODAY)
        add_date(s, cid, DateInput("custom", 4, 14, label="  Name day "), TODAY)
    assert saved.date.month_day == 1224
    assert cid in saved.changes.customers and "reminders" in saved.changes.kinds
    with db.session() as s:
        dates = list_dates(s, cid)
        stored = s.scalars(select(ImportantDate.month_day).order_by(ImportantDate.id)).all()
    assert [d.kind for d in dates] == ["birthday", "anniversary", "custom"]
    assert dates[2].label == "Name day"
    assert stored == [115, 1224, 414]


def test_a_yearless_leap_day_is_valid_but_a_leap_day_needs_a_leap_year(db):
    with db.session() as s:
        cid = _customer(s)
        saved = add_date(s, cid, DateInput("birthday", 2, 29), TODAY)
        assert saved.date.year is None
        with pytest.raises(ValidationError) as error:
            add_date(s, cid, DateInput("anniversary", 2, 29, 2023), TODAY)
        assert set(error.value.fields) == {"day"}
        add_date(s, cid, DateInput("anniversary", 2, 29, 2024), TODAY)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (DateInput("birthday", 13, 1), "month"),
        (DateInput("birthday", 4, 31), "day"),
        (DateInput("birthday", 2, 30), "day"),
        (DateInput("birthday", 5, 1, 1700), "year"),
        (DateInput("birthday", 5, 1, 2027), "year"),
        (DateInput("birthday", 12, 24, 2026), "year"),  # later this year: in the future
        (DateInput("custom", 5, 1), "label"),
        (DateInput("custom", 5, 1, label="x" * 101), "label"),
        (DateInput("holiday", 5, 1), "kind"),
        (DateInput("birthday", 5, 1, lead_days=400), "lead_days"),
        (DateInput("birthday", 5, 1, lead_days=-1), "lead_days"),
    ],
)
def test_bad_dates_name_the_field_and_change_nothing(db, data, field):
    with db.session() as s:
        cid = _customer(s)
        with pytest.raises(ValidationError) as error:
            add_date(s, cid, data, TODAY)
        assert field in error.value.fields
        assert list_dates(s, cid) == []


def test_one_birthday_per_customer(db):
    with db.session() as s:
        cid = _customer(s)
        first = add_date(s, cid, DateInput("birthday", 5, 1), TODAY).date
        with pytest.raises(ValidationError) as error:
            add_date(s, cid, DateInput("birthday", 6, 1), TODAY)
        assert "kind" in error.value.fields
        # Editing the one birthday is fine; turning an anniversary into a second one is not.
        update_date(s, first.id, DateInput("birthday", 5, 2, 1980, lead_days=3), TODAY)
        other = add_date(s, cid, DateInput("anniversary", 6, 1), TODAY).date
        with pytest.raises(ValidationError):
            update_date(s, other.id, DateInput("birthday", 6, 1), TODAY)
        other_customer = _customer(s, "Virtanen")
        add_date(s, other_customer, DateInput("birthday", 5, 1), TODAY)
        first_date = list_dates(s, cid)[0]
        assert (first_date.day, first_date.year, first_date.lead_days) == (2, 1980, 3)


def test_delete_and_undo_keep_the_id(db):
    with db.session() as s:
        cid = _customer(s)
        saved = add_date(s, cid, DateInput("birthday", 5, 1, 1990), TODAY).date
        deleted = delete_date(s, saved.id)
        assert list_dates(s, cid) == []
        restored = undo_delete_date(s, deleted).date
    assert restored == saved
    with db.session() as s, pytest.raises(NotFound):
        delete_date(s, 9999)


def test_dates_of_a_missing_customer(db):
    with db.session() as s:
        with pytest.raises(NotFound):
            add_date(s, 42, DateInput("birthday", 5, 1), TODAY)
        with pytest.raises(NotFound):
            list_dates(s, 42)


def test_dates_go_with_the_customer(db):
    with db.session() as s:
        cid = _customer(s)
        add_date(s, cid, DateInput("birthday", 5, 1), TODAY)
        delete_customer(s, cid)
        assert s.scalars(select(ImportantDate)).all() == []


def test_product_names_are_unique_regardless_of_case(db):
    with db.session() as s:
        latte = create_product(s, ProductInput(" Oat latte ", "Coffee", 450)).product
        assert latte.name == "Oat latte"
        with pytest.raises(ValidationError) as error:
            create_product(s, ProductInput("oat LATTE"))
        assert "name" in error.value.fields
        bun = create_product(s, ProductInput("Korvapuusti", "Bakery", 350)).product
        with pytest.raises(ValidationError):
            update_product(s, bun.id, ProductInput("OAT LATTE"))
        update_product(s, latte.id, ProductInput("Oat latte", "Coffee", 480, active=False))
        assert [p.name for p in list_products(s)] == ["Korvapuusti"]
        assert [p.price_cents for p in list_products(s, include_inactive=True)] == [350, 480]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ProductInput(""), "name"),
        (ProductInput("x" * 101), "name"),
        (ProductInput("Tea", "c" * 51), "category"),
        (ProductInput("Tea", price_cents=-1), "price_cents"),
    ],
)
def test_bad_products(db, data, field):
    with db.session() as s:
        with pytest.raises(ValidationError) as error:
            create_product(s, data)
        assert field in error.value.fields
        assert list_products(s, include_inactive=True) == []


def test_favourites_with_a_note(db):
    with db.session() as s:
        cid = _customer(s)
        latte = create_product(s, ProductInput("Oat latte", "Coffee")).product
        bun = create_product(s, ProductInput("Korvapuusti", "Bakery")).product
        saved = add_favourite(s, cid, latte.id, " oat milk, no sugar ")
        add_favourite(s, cid, bun.id)
        assert saved.favourite.note == "oat milk, no sugar"
        assert "favourites" in saved.changes.kinds
        with pytest.raises(ValidationError) as error:
            add_favourite(s, cid, latte.id)
        assert "product" in error.value.fields
        with pytest.raises(ValidationError):
            update_favourite_note(s, saved.favourite.id, "n" * 201)
        update_favourite_note(s, saved.favourite.id, "extra hot")
        favourites = list_favourites(s, cid)
    assert [(f.product_name, f.note) for f in favourites] == [
        ("Korvapuusti", ""),
        ("Oat latte", "extra hot"),
    ]


def test_a_product_in_use_is_deactivated_not_deleted(db):
    with db.session() as s:
        cid = _customer(s)
        latte = create_product(s, ProductInput("Oat latte")).product
        favourite = add_favourite(s, cid, latte.id).favourite
        with pytest.raises(ValidationError) as error:
            delete_product(s, latte.id)
        assert "1 customer" in str(error.value)
        removed = remove_favourite(s, favourite.id)
        assert removed.favourite.product_name == "Oat latte"
        delete_product(s, latte.id)
        assert list_products(s, include_inactive=True) == []
        with pytest.raises(NotFound):
            add_favourite(s, cid, latte.id)
