from __future__ import annotations

from datetime import date

import pytest

from crm_desktop.services.customer_data import (
    ConsentInput,
    CustomerInput,
    EmailInput,
    PhoneInput,
)
from crm_desktop.services.customers import create_customer, get_customer, update_customer
from crm_desktop.services.duplicates import find_likely_duplicates
from crm_desktop.services.errors import NotFound, ValidationError
from crm_desktop.services.search import CustomerQuery, count_customers, search_customers

MAIJA = CustomerInput(
    first_name="Maija",
    last_name="Mäkinen",
    emails=(EmailInput("Maija.Makinen@Example.FI"),),
    phones=(PhoneInput("040 123 4567"),),
    street="Hämeenkatu 1",
    postal_code="33100",
    city="Tampere",
    tags=("regular",),
    consents=(ConsentInput("email", True, date(2026, 1, 5), "form"),),
)


def test_create_normalises_and_reads_back(db):
    with db.session() as s:
        saved = create_customer(s, MAIJA, "FI")
    with db.session() as s:
        detail = get_customer(s, saved.customer.id)
    assert detail.data.phones[0].number == "+358401234567"
    assert detail.data.emails[0].address == "Maija.Makinen@example.fi"
    assert detail.data.consents == (ConsentInput("email", True, date(2026, 1, 5), "form"),)
    assert detail.display_name == "Maija Mäkinen"
    assert saved.changes.customers == {saved.customer.id}


def test_validation_lists_every_bad_field_and_saves_nothing(db):
    bad = CustomerInput(
        first_name="",
        last_name="",
        emails=(EmailInput("ok@example.com"), EmailInput("not-an-email")),
        phones=(PhoneInput("12"),),
        postal_code="123",
        customer_since=date(2030, 1, 1),
    )
    with pytest.raises(ValidationError) as caught, db.session() as s:
        create_customer(s, bad, "FI", today=date(2026, 11, 23))
    assert set(caught.value.fields) == {
        "last_name",
        "email.1",
        "phone.0",
        "postal_code",
        "customer_since",
    }
    with db.session() as s:
        assert count_customers(s, CustomerQuery()) == 0


def test_update_replaces_contact_details(db):
    with db.session() as s:
        saved = create_customer(s, MAIJA, "FI")
    changed = CustomerInput(
        first_name="Maija", last_name="Virtanen", phones=(PhoneInput("+46 70 123 45 67"),)
    )
    with db.session() as s:
        update_customer(s, saved.customer.id, changed, "FI")
    with db.session() as s:
        detail = get_customer(s, saved.customer.id)
    assert detail.data.last_name == "Virtanen"
    assert detail.data.emails == ()
    assert detail.data.phones[0].number == "+46701234567"


def test_missing_customer_is_not_found(db):
    with pytest.raises(NotFound), db.session() as s:
        get_customer(s, 999)


@pytest.mark.parametrize("typed", ["mak", "mäk", "MÄK", "ma", "040 123", "tampere", "0401234567"])
def test_search_finds_makinen(db, typed):
    with db.session() as s:
        create_customer(s, MAIJA, "FI")
        create_customer(s, CustomerInput(first_name="Olli", last_name="Virta", city="Oulu"), "FI")
    with db.session() as s:
        page = search_customers(s, CustomerQuery(text=typed))
    assert [row.name for row in page.rows] == ["Maija Mäkinen"]
    assert page.total == 1


def test_search_sorts_by_name_and_filters_by_tag(db):
    with db.session() as s:
        for last in ("Övergaard", "Aalto", "Mäkelä", "Mäkinen"):
            create_customer(
                s,
                CustomerInput(
                    first_name="A", last_name=last, tags=("vip",) if last != "Aalto" else ()
                ),
                "FI",
            )
    with db.session() as s:
        everyone = search_customers(s, CustomerQuery())
        vip = search_customers(s, CustomerQuery(tag="vip"))
        mak = search_customers(s, CustomerQuery(text="mäk"))
    assert [r.name for r in everyone.rows] == ["A Aalto", "A Mäkelä", "A Mäkinen", "A Övergaard"]
    assert [r.name for r in vip.rows] == ["A Mäkelä", "A Mäkinen", "A Övergaard"]
    assert mak.total == 2


def test_likely_duplicates_by_email_phone_and_name(db):
    with db.session() as s:
        original = create_customer(s, MAIJA, "FI").customer
    same_email = CustomerInput(
        first_name="M", last_name="X", emails=(EmailInput("maija.makinen@example.fi"),)
    )
    same_phone = CustomerInput(first_name="M", last_name="X", phones=(PhoneInput("+358401234567"),))
    similar_name = CustomerInput(first_name="Maija", last_name="Makinen", city="TAMPERE")
    other = CustomerInput(first_name="Maija", last_name="Makinen", city="Turku")
    with db.session() as s:
        assert [m.reason for m in find_likely_duplicates(s, same_email, "FI")] == ["email"]
        assert [m.reason for m in find_likely_duplicates(s, same_phone, "FI")] == ["phone"]
        matches = find_likely_duplicates(s, similar_name, "FI")
        assert [(m.customer_id, m.reason) for m in matches] == [(original.id, "name")]
        assert find_likely_duplicates(s, other, "FI") == []
        assert find_likely_duplicates(s, MAIJA, "FI", exclude_id=original.id) == []


@pytest.mark.parametrize(
    ("first", "last", "typed"),
    [("Юлия", "Соколова", "соко"), ("Łukasz", "Żółć", "lukasz"), ("Søren", "Ærø", "aero")],
)
def test_search_beyond_latin_1(db, first, last, typed):
    with db.session() as s:
        create_customer(s, CustomerInput(first_name=first, last_name=last), "FI")
        create_customer(s, CustomerInput(first_name="Olli", last_name="Virta"), "FI")
    with db.session() as s:
        page = search_customers(s, CustomerQuery(text=typed))
    assert [row.name for row in page.rows] == [f"{first} {last}"]


def test_names_in_other_scripts_sort_after_latin(db):
    with db.session() as s:
        for first, last in [("Юлия", "Соколова"), ("Olli", "Virta"), ("Anna", "Aalto")]:
            create_customer(s, CustomerInput(first_name=first, last_name=last), "FI")
    with db.session() as s:
        names = [row.name for row in search_customers(s, CustomerQuery()).rows]
    assert names == ["Anna Aalto", "Olli Virta", "Юлия Соколова"]
