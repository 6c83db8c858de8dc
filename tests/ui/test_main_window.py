"""The main window over a demo business: sections, menus, status bar, remembered layout."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLineEdit, QListView, QMessageBox, QTableView, QWidget

from crm_desktop.services.customers import create_customer
from crm_desktop.services.search import CustomerQuery, customer_ids
from crm_desktop.ui.main_window import SECTIONS, MainWindow
from crm_desktop.ui.tasks import SyncTaskRunner
from tests.ui.conftest import DEMO_CUSTOMERS, add_customers, person


@pytest.fixture
def window(demo_db, ui_settings, qtbot) -> MainWindow:
    main = MainWindow(SyncTaskRunner(demo_db), ui_settings)
    qtbot.addWidget(main)
    main.resize(1024, 700)
    main.show()
    qtbot.waitUntil(lambda: main.fully_started)  # the desks out of sight, the card
    return main


def test_opens_on_the_demo_business(window, demo_db):
    navigation = window.findChild(QListView, "navigation")
    search = window.findChild(QLineEdit, "customerSearch")
    table = window.findChild(QTableView, "customerTable")
    card = window.findChild(QWidget, "customerCard")
    assert navigation is not None and search is not None and card is not None
    assert [navigation.model().index(r, 0).data() for r in range(navigation.model().rowCount())] \
        == [s.title for s in SECTIONS]
    assert table.model().rowCount() == DEMO_CUSTOMERS
    first = demo_db.run(lambda s: customer_ids(s, CustomerQuery()))[0]
    assert table.model().index(0, 0).data(Qt.ItemDataRole.UserRole + 1) == first
    assert window.customer_count.text() == "2,000 customers"
    assert window.windowTitle() == "Kanta — demo.sqlite3"
    assert window.today.isVisible() and not search.isVisible()  # the window opens on Today
    window.navigation.setCurrentRow(list(window.sections).index("customers"))
    assert search.isVisible() and table.isVisible() and card.isVisible()


def test_menus_hold_the_keyboard_shortcuts(window):
    shortcuts = {
        action.text().replace("&", ""): action.shortcut().toString()
        for menu in window.menuBar().actions()
        for action in menu.menu().actions()
        if not action.isSeparator()
    }
    assert shortcuts["New Customer"] == "Ctrl+N"
    assert shortcuts["Quit"] == "Ctrl+Q"
    assert shortcuts["Find Customer"] == "Ctrl+F"
    assert shortcuts[window.customers.card.undo_delete_action.text()] == "Ctrl+Z"
    assert shortcuts[window.customers.card.save_action.text()] == "Ctrl+S"
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Help"]


def test_choosing_a_row_opens_the_card(window, qtbot, monkeypatch):
    opened: list[int] = []
    card = window.customers.card
    monkeypatch.setattr(card, "show_customer", opened.append)
    window.customers.list_pane.table.selectRow(3)
    assert opened == [window.customers.list_pane.model.customer_id(3)]


def test_unsaved_changes_can_keep_the_card(window, monkeypatch):
    pane, card = window.customers.list_pane, window.customers.card
    pane.table.selectRow(0)
    first = pane.model.customer_id(0)
    unsaved = [True]
    monkeypatch.setattr(card, "has_unsaved_changes", lambda: unsaved[0])
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard])
    monkeypatch.setattr(QMessageBox, "question", lambda *args: next(answers))
    opened: list[int] = []
    monkeypatch.setattr(card, "show_customer", opened.append)
    pane.table.selectRow(5)
    assert opened == [] and pane.table.currentIndex().row() == 0
    assert pane.selected_customer() == first
    pane.table.selectRow(5)
    assert opened == [pane.model.customer_id(5)]
    unsaved[0] = False  # let the window close at the end of the test


def test_new_customer_clears_the_selection(window, qtbot, monkeypatch):
    pane, card = window.customers.list_pane, window.customers.card
    pane.table.selectRow(2)
    calls: list[str] = []
    monkeypatch.setattr(card, "new_customer", lambda: calls.append("new"))
    window.new_customer_action.trigger()
    assert calls == ["new"]
    assert not pane.table.selectionModel().hasSelection()
    assert pane.selected_customer() is None


def test_changes_refresh_the_list_and_the_count(window, demo_db):
    runner = window.runner
    runner.submit(lambda s: create_customer(s, person("Aada", "Aaltonen", "Vaasa"), "FI"))
    assert window.customers.list_pane.model.rowCount() == DEMO_CUSTOMERS + 1
    assert window.customer_count.text() == "2,001 customers"


def test_card_messages_reach_the_status_bar(window):
    window.customers.card.status.emit("Saved Maija Mäkinen.")
    assert window.statusBar().currentMessage() == "Saved Maija Mäkinen."


def test_saved_customer_becomes_the_selected_row(window, demo_db):
    pane = window.customers.list_pane
    pane.table.selectRow(0)
    [new_id] = add_customers(demo_db, person("Aada", "Aaltonen", "Vaasa"))
    window.customers.card.saved.emit(new_id)
    pane.refresh()
    row = pane.table.currentIndex().row()
    assert pane.model.customer_id(row) == new_id == pane.selected_customer()
    assert pane.table.selectionModel().isRowSelected(row)


def test_failures_no_view_handled_show_one_message(window, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    window.runner.submit(lambda s: 1 / 0)
    assert shown == ["The action could not be completed: division by zero"]


def test_layout_is_saved_and_restored(demo_db, tmp_path, qtbot):
    path = str(tmp_path / "layout.ini")
    first = MainWindow(SyncTaskRunner(demo_db), QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.resize(760, 560)  # the offscreen screen is 800×600
    first.show()
    first.customers.splitter.setSizes([700, 300])
    first.customers.list_pane.table.horizontalHeader().setSortIndicator(
        1, Qt.SortOrder.DescendingOrder
    )
    sizes = first.customers.splitter.sizes()
    assert first.close()

    second = MainWindow(SyncTaskRunner(demo_db), QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (760, 560)
    assert second.customers.splitter.sizes() == sizes
    assert second.customers.list_pane.model.query().sort == "city"
    assert second.customers.list_pane.model.query().descending


def test_close_waits_for_unsaved_changes(window, monkeypatch, ui_settings):
    unsaved = [True]
    monkeypatch.setattr(window.customers.card, "has_unsaved_changes", lambda: unsaved[0])
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Cancel)
    assert not window.close()
    assert window.isVisible()
    assert ui_settings.value("window/geometry") is None
    unsaved[0] = False
    assert window.close()
    assert ui_settings.value("window/geometry") is not None


def test_find_shortcut_focuses_the_search(window, qtbot):
    with qtbot.waitActive(window):
        window.activateWindow()
    window.customers.list_pane.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.customers.list_pane.search_box.hasFocus()
