"""A list model a view shows brings the first screenful along with the matches."""

from __future__ import annotations

from crm_desktop.services.search import CustomerQuery
from crm_desktop.ui import customer_list
from crm_desktop.ui.customer_list import PLACEHOLDER, CustomerTableModel
from tests.ui.conftest import DeferredRunner, add_customers, person

PEOPLE = (
    person("Maija", "Mäkinen", "Tampere", phone="040 123 4567"),
    person("Aapo", "Ähtäri", "Oulu"),
    person("Bea", "Berg", "Espoo"),
)


def test_first_rows_come_with_the_matches(sqlite_db, monkeypatch):
    monkeypatch.setattr(customer_list, "FIRST_ROWS", 2)
    add_customers(sqlite_db, *PEOPLE)
    runner = DeferredRunner(sqlite_db)
    model = CustomerTableModel(runner, first_rows=True)
    model.refresh()
    runner.finish_all()
    assert [model.index(row, 0).data() for row in range(2)] == ["Aapo Ähtäri", "Bea Berg"]
    assert runner.waiting == []  # shown without another trip to the worker
    assert model.index(2, 0).data() == PLACEHOLDER  # past the first screenful: a block
    assert len(runner.waiting) == 1
    runner.finish_all()
    assert model.index(2, 0).data() == "Maija Mäkinen"
    assert model.index(2, 2).data() == "040 1234567"


def test_a_new_search_replaces_the_first_rows(sqlite_db):
    add_customers(sqlite_db, *PEOPLE)
    runner = DeferredRunner(sqlite_db)
    model = CustomerTableModel(runner, first_rows=True)
    model.refresh()
    runner.finish_all()
    model.set_query(CustomerQuery(text="berg"))
    runner.finish_all()
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == "Bea Berg"
    assert runner.waiting == []
