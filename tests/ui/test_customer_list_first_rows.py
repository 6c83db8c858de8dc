"""A list model a view shows brings the first screenful along with the matches."""

from __future__ import annotations

from crm_desktop.services.search import CustomerQuery
from crm_desktop.ui import customer_list
from crm_desktop.ui.customer_list import PLACEHOLDER, CustomerTableModel
from crm_desktop.ui.customer_list_pane import CustomerListPane
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


def test_the_first_query_shows_a_screenful_before_every_id(sqlite_db, monkeypatch):
    monkeypatch.setattr(customer_list, "FIRST_ROWS", 2)
    add_customers(sqlite_db, *PEOPLE)
    runner = DeferredRunner(sqlite_db)
    model = CustomerTableModel(runner, first_rows=True)
    model.refresh()
    page, every_id = runner.waiting
    runner.finish(page)
    assert model.answered and not model.loading
    assert model.rowCount() == 3  # the count comes with the first screenful
    assert [model.index(row, 0).data() for row in range(2)] == ["Aapo Ähtäri", "Bea Berg"]
    assert model.customer_id(2) is None
    assert model.index(2, 0).data() == PLACEHOLDER
    assert runner.waiting == [every_id]  # no block asked for before its ids are known
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last, _roles: changed.append((first.row(), last.row())))
    completed: list[bool] = []
    model.every_id_arrived.connect(lambda: completed.append(True))  # the pane reselects then
    runner.finish(every_id)
    assert changed == [(2, 2)] and completed == [True]
    assert model.row_of(model.customer_id(2)) == 2
    assert model.customer_id(2) is not None
    assert model.index(2, 0).data() == PLACEHOLDER  # now its block is on the way
    runner.finish_all()
    assert model.index(2, 0).data() == "Maija Mäkinen"


def test_a_list_that_changed_between_the_two_answers_is_read_anew(sqlite_db, monkeypatch):
    monkeypatch.setattr(customer_list, "FIRST_ROWS", 2)
    add_customers(sqlite_db, *PEOPLE)
    runner = DeferredRunner(sqlite_db)
    model = CustomerTableModel(runner, first_rows=True)
    model.refresh()
    page, _every_id = runner.waiting
    runner.finish(page)
    add_customers(sqlite_db, person("Aada", "Aalto", "Vaasa"))  # another desk adds one
    runner.finish_all()
    assert model.rowCount() == 4
    assert model.index(0, 0).data() == PLACEHOLDER  # read anew: a block is asked for
    runner.finish_all()
    names = [model.index(row, 0).data() for row in range(4)]
    assert names[0] == "Aada Aalto" and PLACEHOLDER not in names


def test_a_customer_chosen_before_every_id_arrived_is_selected_when_it_does(
    sqlite_db, monkeypatch, qtbot
):
    monkeypatch.setattr(customer_list, "FIRST_ROWS", 2)
    maija = add_customers(sqlite_db, *PEOPLE)[0]  # third in name order
    runner = DeferredRunner(sqlite_db)
    pane = CustomerListPane(runner)
    qtbot.addWidget(pane)
    pane.refresh()
    runner.finish(runner.waiting[0])  # the first screenful
    pane.select_customer(maija)  # opened from another desk, past the first screenful
    assert not pane.table.selectionModel().hasSelection()
    runner.finish_all()
    assert pane.table.currentIndex().row() == 2 and pane.selected_customer() == maija
