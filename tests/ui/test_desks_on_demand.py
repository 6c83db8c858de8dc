"""The window builds a desk when it is first shown, and the desk in view loads first."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from crm_desktop.services.database import Database
from crm_desktop.services.important_dates import DateInput, add_date
from crm_desktop.ui.main_window import MainWindow
from crm_desktop.ui.tasks import SyncTaskRunner
from tests.ui.conftest import add_customers, person

LATER_DESKS = ("referralsSection", "couponsSection", "complaintsSection", "lettersSection")


@pytest.fixture
def shop(sqlite_db: Database) -> Database:
    [maija] = add_customers(sqlite_db, person("Maija", "Mäkinen", "Tampere"))
    today = date.today()
    with sqlite_db.session() as session:
        add_date(session, maija, DateInput("birthday", today.month, today.day))
    return sqlite_db


def new_window(database: Database, settings: QSettings, qtbot) -> MainWindow:
    window = MainWindow(SyncTaskRunner(database), settings)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    return window


def built(window: MainWindow) -> list[str]:
    return [name for name in LATER_DESKS if window.findChild(QWidget, name) is not None]


def test_the_desk_in_view_comes_first_and_the_rest_after_it_painted(shop, ui_settings, qtbot):
    window = new_window(shop, ui_settings, qtbot)
    window.navigation.setCurrentRow(list(window.sections).index("customers"))
    assert window.findChild(QWidget, "todaySection") is None  # not even the desk in view yet
    window.show()
    assert window.findChild(QWidget, "todaySection") is None
    assert window.findChild(QWidget, "customerCard") is None  # the list alone, at first
    assert window.customers.card_actions.save.isEnabled() is False
    qtbot.waitUntil(lambda: window.fully_started)
    assert window.findChild(QWidget, "todaySection") is not None  # for the notice on start
    card = window.findChild(QWidget, "customerCard")
    assert card is not None and card.isVisible()
    window.customers.list_pane.table.selectRow(0)
    assert window.customers.card_customer_id == window.customers.list_pane.model.customer_id(0)
    assert window.customers.card_actions.save.isEnabled()  # the card took the menu's actions


def test_only_the_desk_in_view_and_customers_are_built_with_the_window(
    shop, ui_settings, qtbot
):
    window = new_window(shop, ui_settings, qtbot)
    window.show()
    assert window.today.isVisible()
    assert built(window) == []
    assert "letters" in window.sections and built(window) == []  # asking does not build
    assert list(window.sections) == [
        "today", "customers", "referrals", "coupons", "complaints", "letters"]


def test_choosing_a_desk_builds_and_loads_it(shop, ui_settings, qtbot):
    window = new_window(shop, ui_settings, qtbot)
    window.show()
    window.navigation.setCurrentRow(list(window.sections).index("coupons"))
    assert built(window) == ["couponsSection"]
    coupons = window.sections["coupons"]
    assert coupons.isVisible() and coupons.objectName() == "couponsSection"
    coupons.status_message.emit("Issued.")  # connected like the desks built at start
    assert window.statusBar().currentMessage() == "Issued."


def test_looking_a_desk_up_builds_it(shop, ui_settings, qtbot):
    window = new_window(shop, ui_settings, qtbot)
    letters = window.sections["letters"]
    assert letters.objectName() == "lettersSection" and built(window) == ["lettersSection"]
    assert window.sections["letters"] is letters


def test_the_desk_in_view_loads_before_the_others(shop, ui_settings, qtbot):
    window = new_window(shop, ui_settings, qtbot)
    loaded: list[str] = []
    window.today.loaded.connect(lambda _agenda: loaded.append("today"))
    window.customers.list_pane.model.results_arrived.connect(lambda _n: loaded.append("list"))
    window.navigation.setCurrentRow(list(window.sections).index("customers"))
    assert loaded == []  # nothing is read before the window shows
    window.show()
    assert loaded == ["list"]  # alone, until the window has painted it
    qtbot.waitUntil(lambda: window.fully_started)
    assert loaded == ["list", "today"]
    assert window.statusBar().currentMessage() == "1 touchpoint due today"


def test_on_today_the_agenda_loads_first(shop, ui_settings, qtbot):
    window = new_window(shop, ui_settings, qtbot)
    loaded: list[str] = []
    window.today.loaded.connect(lambda _agenda: loaded.append("today"))
    window.customers.list_pane.model.results_arrived.connect(lambda _n: loaded.append("list"))
    window.show()
    assert loaded == ["today"]
    qtbot.waitUntil(lambda: window.fully_started)
    assert loaded == ["today", "list"]


def test_a_desk_built_later_gets_its_remembered_layout(shop, tmp_path, qtbot):
    path = str(tmp_path / "layout.ini")
    first = new_window(shop, QSettings(path, QSettings.Format.IniFormat), qtbot)
    first.show()
    first.navigation.setCurrentRow(list(first.sections).index("referrals"))
    first.sections["referrals"].tabs.setCurrentIndex(1)
    assert first.close()

    second = new_window(shop, QSettings(path, QSettings.Format.IniFormat), qtbot)
    second.show()
    assert second.close()  # closed without opening Referrals: what it had is kept
    third = new_window(shop, QSettings(path, QSettings.Format.IniFormat), qtbot)
    third.show()
    third.navigation.setCurrentRow(list(third.sections).index("referrals"))
    assert third.sections["referrals"].tabs.currentIndex() == 1


def test_customers_chosen_before_the_background_start_load_at_once(shop, ui_settings, qtbot):
    window = new_window(shop, ui_settings, qtbot)
    window.show()  # on Today; Customers is built with the window but not loaded yet
    assert not window.fully_started
    window.navigation.setCurrentRow(list(window.sections).index("customers"))
    assert window.customers.list_pane.model.rowCount() == 1
    loaded: list[int] = []
    window.customers.list_pane.model.results_arrived.connect(loaded.append)
    qtbot.waitUntil(lambda: window.fully_started)
    assert loaded == []  # not read a second time by the background start
