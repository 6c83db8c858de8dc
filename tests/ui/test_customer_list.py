"""The lazy customer table model: model rules, formatting, blocks, sorting, stale answers."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from crm_desktop import i18n
from crm_desktop.services.search import CustomerQuery
from crm_desktop.ui import customer_list
from crm_desktop.ui.customer_list import CUSTOMER_ID_ROLE, PLACEHOLDER, CustomerTableModel
from tests.ui.conftest import DeferredRunner, add_customers, person

PEOPLE = (
    person("Maija", "Mäkinen", "Tampere", ("regular",), phone="040 123 4567",
           email="maija@example.fi", since=date(2019, 3, 4)),
    person("Aapo", "Ähtäri", "Oulu", ("vip", "regular"), status="inactive"),
    person("Bea", "Berg", "Espoo", phone="+46 8 123 456 78"),
)


def names(model: CustomerTableModel) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def loaded(runner) -> CustomerTableModel:
    model = CustomerTableModel(runner)
    model.refresh()
    return model


def test_model_rules_hold_with_customers(runner, sqlite_db, qtmodeltester):
    add_customers(sqlite_db, *PEOPLE)
    model = CustomerTableModel(runner)
    model.refresh()
    assert model.rowCount() == 3
    qtmodeltester.check(model)


def test_model_rules_hold_when_empty(runner, qtmodeltester):
    model = CustomerTableModel(runner)
    model.refresh()
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_rows_show_formatted_columns_in_name_order(runner, sqlite_db, qtbot):
    ids = add_customers(sqlite_db, *PEOPLE)
    model = loaded(runner)
    assert names(model) == ["Aapo Ähtäri", "Bea Berg", "Maija Mäkinen"]
    maija = [model.index(2, column).data() for column in range(model.columnCount())]
    assert maija == ["Maija Mäkinen", "Tampere", "040 1234567", "maija@example.fi", "",
                     i18n.format_date(date(2019, 3, 4))]
    assert model.index(1, 2).data() == "+46 8 123 456 78"  # foreign numbers stay international
    assert model.index(2, 0).data(CUSTOMER_ID_ROLE) == ids[0]
    assert model.index(2, 0).data(Qt.ItemDataRole.ToolTipRole) is None


def test_headers_are_translated(runner):
    model = CustomerTableModel(runner)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Name", "City", "Phone", "Email", "Last visit", "Customer since"]
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_dates_follow_the_interface_language(runner, sqlite_db):
    add_customers(sqlite_db, PEOPLE[0])
    i18n.set_language("fi")
    model = CustomerTableModel(runner)
    model.refresh()
    assert model.index(0, 5).data() == "4.3.2019"


def test_sort_by_city_both_ways(runner, sqlite_db):
    add_customers(sqlite_db, *PEOPLE)
    model = CustomerTableModel(runner)
    model.refresh()
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, 1).data() for r in range(3)] == ["Espoo", "Oulu", "Tampere"]
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 1).data() for r in range(3)] == ["Tampere", "Oulu", "Espoo"]
    assert model.query().sort == "city" and model.query().descending


def test_columns_without_a_sort_key_do_not_reorder(runner, sqlite_db):
    add_customers(sqlite_db, *PEOPLE)
    model = CustomerTableModel(runner)
    model.refresh()
    before = names(model)
    model.sort(3, Qt.SortOrder.DescendingOrder)  # email
    assert names(model) == before
    assert model.query().sort == "name"


def test_rows_arrive_in_blocks_after_the_placeholder(sqlite_db, qtbot, monkeypatch):
    monkeypatch.setattr(customer_list, "BLOCK_SIZE", 2)
    add_customers(sqlite_db, *PEOPLE)
    runner = DeferredRunner(sqlite_db)
    model = CustomerTableModel(runner)
    model.refresh()
    runner.finish_all()
    assert model.rowCount() == 3
    assert model.index(2, 0).data() == PLACEHOLDER
    assert model.index(2, 1).data() == ""
    assert len(runner.waiting) == 1  # only the block holding row 2
    model.index(2, 0).data()
    assert len(runner.waiting) == 1  # asking again does not fetch the block twice
    with qtbot.waitSignal(model.dataChanged) as changed:
        runner.finish_all()
    top, bottom = changed.args[0], changed.args[1]
    assert (top.row(), top.column(), bottom.row(), bottom.column()) == (2, 0, 2, 5)
    assert model.index(2, 0).data() == "Maija Mäkinen"
    assert model.index(0, 0).data() == PLACEHOLDER  # the first block was never asked for


def test_only_the_latest_query_is_shown(sqlite_db):
    add_customers(sqlite_db, *PEOPLE)
    runner = DeferredRunner(sqlite_db)
    model = CustomerTableModel(runner)
    model.set_query(CustomerQuery(text="maija"))
    model.set_query(CustomerQuery(text="berg"))
    first, second = runner.waiting
    runner.finish(second)
    runner.finish(first)  # the slower, older answer must not replace the newer one
    assert model.rowCount() == 1
    assert not model.loading
    model.index(0, 0).data()
    runner.finish_all()
    assert names(model) == ["Bea Berg"]


def test_blocks_for_an_old_list_are_dropped(sqlite_db):
    add_customers(sqlite_db, *PEOPLE)
    runner = DeferredRunner(sqlite_db)
    model = CustomerTableModel(runner)
    model.refresh()
    runner.finish_all()
    model.index(0, 0).data()  # asks for the block of the full list
    model.set_query(CustomerQuery(text="berg"))
    old_block, new_query = runner.waiting
    runner.finish(new_query)
    runner.finish(old_block)
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == PLACEHOLDER
    runner.finish_all()  # the block of the new list
    assert names(model) == ["Bea Berg"]


def test_refresh_keeps_cached_rows_of_unchanged_customers(sqlite_db):
    ids = add_customers(sqlite_db, *PEOPLE)
    runner = DeferredRunner(sqlite_db)
    model = CustomerTableModel(runner)
    model.refresh()
    runner.finish_all()
    names(model)
    runner.finish_all()
    model.refresh(frozenset({ids[0]}))
    runner.finish_all()
    assert model.index(0, 0).data() == "Aapo Ähtäri"  # no new fetch needed
    assert model.index(2, 0).data() == PLACEHOLDER  # Maija changed: fetched again
    assert [model.customer_id(r) for r in range(3)] == [ids[1], ids[2], ids[0]]
    assert model.row_of(ids[0]) == 2 and model.row_of(999) is None
    assert model.cached_name(ids[1]) == "Aapo Ähtäri"


@pytest.mark.parametrize("role", [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.FontRole])
def test_unhandled_roles_return_none(runner, sqlite_db, role):
    add_customers(sqlite_db, PEOPLE[0])
    model = CustomerTableModel(runner)
    model.refresh()
    assert model.data(model.index(0, 0), role) is None
