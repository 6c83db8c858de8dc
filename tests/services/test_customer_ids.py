"""customer_ids reads the id list off the plain database cursor: the same ids, in the same
order, as the pages of search_customers, for every kind of filter, on both backends."""

from __future__ import annotations

import pytest

from crm_desktop.services.customer_data import CustomerInput, PhoneInput
from crm_desktop.services.customers import create_customer
from crm_desktop.services.search import CustomerQuery, customer_ids, search_customers

PEOPLE = (
    ("Maija", "Mäkinen", "Tampere", "040 123 4567", ("vip",), "active"),
    ("Matti", "Mäkelä", "Oulu", "050 765 4321", (), "active"),
    ("Bea", "Berg", "Espoo", "", ("vip",), "lost"),
    ("Anna", "Virtanen", "Tampere", "040 555 0101", (), "inactive"),
    ("Marja", "Aalto", "", "", ("50% off",), "active"),
)
QUERIES = (
    CustomerQuery(),
    CustomerQuery(text="ma"),
    CustomerQuery(text="mäk"),
    CustomerQuery(text="040"),
    CustomerQuery(text="ma tampere"),
    CustomerQuery(tag="vip"),
    CustomerQuery(tag="50% off"),  # a % in a bound value, not in the SQL
    CustomerQuery(status="active", text="ma"),
    CustomerQuery(sort="city", descending=True),
    CustomerQuery(descending=True),
    CustomerQuery(text="nobody"),
)


@pytest.fixture
def people(db):
    with db.session() as s:
        for first, last, city, phone, tags, status in PEOPLE:
            phones = (PhoneInput(phone),) if phone else ()
            customer = CustomerInput(
                first_name=first, last_name=last, city=city, phones=phones, tags=tags,
                status=status,
            )
            create_customer(s, customer, "FI")
    return db


@pytest.mark.parametrize("query", QUERIES, ids=repr)
def test_ids_match_the_pages(people, query):
    with people.session() as s:
        ids = customer_ids(s, query)
        page = search_customers(s, query, limit=100)
    assert ids == [row.id for row in page.rows]
    assert len(ids) == page.total

