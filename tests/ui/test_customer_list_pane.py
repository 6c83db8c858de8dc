"""The list pane: debounced search, match count, filters, empty states, selection, keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from crm_desktop import i18n
from crm_desktop.ui.customer_list_pane import CustomerListPane
from tests.ui.conftest import add_customers, person

PEOPLE = (
    person("Maija", "Mäkinen", "Tampere", ("regular",)),
    person("Matti", "Mäkelä", "Oulu", ("vip",), status="inactive"),
    person("Bea", "Berg", "Espoo", ("regular", "vip")),
)


@pytest.fixture
def pane(runner, sqlite_db, qtbot) -> CustomerListPane:
    add_customers(sqlite_db, *PEOPLE)
    widget = CustomerListPane(runner)
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.refresh()
    return widget


def shown_names(pane: CustomerListPane) -> list[str]:
    return [pane.model.index(row, 0).data() for row in range(pane.model.rowCount())]


def test_search_filters_after_the_pause(pane, qtbot):
    assert pane.model.rowCount() == 3
    qtbot.keyClicks(pane.search_box, "mak")  # accents are folded
    assert pane.model.rowCount() == 3  # nothing is queried while the user is typing
    qtbot.waitUntil(lambda: pane.model.rowCount() == 2)
    assert shown_names(pane) == ["Matti Mäkelä", "Maija Mäkinen"]
    assert pane.match_count.text() == "2 customers"
    qtbot.keyClicks(pane.search_box, "inen")
    qtbot.waitUntil(lambda: pane.match_count.text() == "1 customer")
    assert shown_names(pane) == ["Maija Mäkinen"]


def test_match_count_uses_the_interface_language(runner, sqlite_db, qtbot):
    add_customers(sqlite_db, *PEOPLE)
    i18n.set_language("fi")
    widget = CustomerListPane(runner)
    qtbot.addWidget(widget)
    widget.refresh()
    assert widget.match_count.text() == i18n.ngettext(
        "{count} customer", "{count} customers", 3
    ).format(count="3")


def test_tag_filter_lists_tags_and_filters(pane):
    tags = [pane.tag_filter.itemText(i) for i in range(pane.tag_filter.count())]
    assert tags == ["All tags", "regular", "vip"]
    pane.tag_filter.setCurrentIndex(pane.tag_filter.findData("vip"))
    assert shown_names(pane) == ["Bea Berg", "Matti Mäkelä"]
    pane.tag_filter.setCurrentIndex(0)
    assert pane.model.rowCount() == 3


def test_status_filter(pane):
    pane.status_filter.setCurrentIndex(pane.status_filter.findData("inactive"))
    assert shown_names(pane) == ["Matti Mäkelä"]
    assert pane.match_count.text() == "1 customer"


def test_a_tag_nobody_has_any_more_falls_back_to_all(pane, sqlite_db):
    from crm_desktop.services.customers import delete_all_tags

    pane.tag_filter.setCurrentIndex(pane.tag_filter.findData("vip"))
    with sqlite_db.session() as session:
        delete_all_tags(session, "vip")
    pane.refresh()
    assert pane.tag_filter.currentData() is None
    assert pane.model.rowCount() == 3


def test_sorting_by_clicking_city_and_ignoring_phone(pane, qtbot):
    header = pane.table.horizontalHeader()
    header.setSortIndicator(1, Qt.SortOrder.AscendingOrder)
    assert [pane.model.index(r, 1).data() for r in range(3)] == ["Espoo", "Oulu", "Tampere"]
    header.setSortIndicator(2, Qt.SortOrder.DescendingOrder)  # phone does not sort
    assert header.sortIndicatorSection() == 1
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert pane.model.query().sort == "city"


def test_empty_database_invites_to_add_customers(runner, qtbot):
    widget = CustomerListPane(runner)
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    assert widget.empty_state.isVisible() and not widget.table.isVisible()
    assert widget.empty_state.text() == "No customers yet — add one or import a file."
    assert widget.match_count.text() == "0 customers"
    with qtbot.waitSignal(widget.new_customer_requested):
        qtbot.mouseClick(widget.add_first_button, Qt.MouseButton.LeftButton)


def test_no_match_names_the_search(pane, qtbot):
    pane.show()
    pane.search_box.setText("xyz")
    qtbot.waitUntil(lambda: pane.empty_state.isVisible())
    assert pane.empty_state.text() == "No customers match “xyz”."
    assert not pane.add_first_button.isVisible()
    pane.search_box.clear()
    qtbot.waitUntil(lambda: pane.table.isVisible())


def test_no_match_for_filters(pane):
    pane.show()
    pane.status_filter.setCurrentIndex(pane.status_filter.findData("lost"))
    assert pane.empty_state.text() == "No customers match the chosen tag and status."


def test_selecting_a_row_announces_the_customer(pane, qtbot, sqlite_db):
    with qtbot.waitSignal(pane.customer_selected) as selected:
        pane.table.selectRow(1)
    assert selected.args == [pane.model.customer_id(1)]
    assert pane.selected_customer() == pane.model.customer_id(1)


def test_enter_opens_the_current_customer(pane, qtbot):
    pane.show()
    pane.table.setFocus()
    pane.table.setCurrentIndex(pane.model.index(2, 0))
    with qtbot.waitSignal(pane.customer_activated) as activated:
        qtbot.keyClick(pane.table, Qt.Key.Key_Return)
    assert activated.args == [pane.model.customer_id(2)]


def test_enter_in_search_goes_to_the_first_match(pane, qtbot):
    pane.show()
    pane.search_box.setText("berg")
    with qtbot.waitSignal(pane.customer_selected) as selected:
        qtbot.keyClick(pane.search_box, Qt.Key.Key_Return)
    assert shown_names(pane) == ["Bea Berg"]
    assert selected.args == [pane.model.customer_id(0)]


def test_selection_survives_a_refresh(pane, sqlite_db):
    pane.table.selectRow(2)
    chosen = pane.model.customer_id(2)
    add_customers(sqlite_db, person("Aino", "Aalto", "Turku"))
    pane.refresh()
    assert pane.model.rowCount() == 4
    assert pane.table.currentIndex().row() == pane.model.row_of(chosen) == 3
    assert pane.selected_customer() == chosen


def test_find_action_focuses_and_selects_the_search(pane, qtbot):
    with qtbot.waitActive(pane):
        pane.show()
        pane.activateWindow()
    pane.search_box.setText("maija")
    pane.table.setFocus()
    pane.find_action.trigger()
    assert pane.search_box.hasFocus()
    assert pane.search_box.selectedText() == "maija"
