"""The card's dates and favourites panel, the product catalogue and the reminder settings."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from crm_desktop.services.favourites import (
    ProductInput,
    add_favourite,
    create_product,
    list_favourites,
    list_products,
)
from crm_desktop.services.important_dates import list_dates
from crm_desktop.services.settings import load_settings
from crm_desktop.ui.customer_card import CustomerCard
from crm_desktop.ui.date_dialogs import DateDialog, FavouriteDialog
from crm_desktop.ui.products_dialog import ProductsDialog, parse_price
from crm_desktop.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import add_customers, person


@pytest.fixture
def maija(sqlite_db) -> int:
    [customer_id] = add_customers(sqlite_db, person("Maija", "Mäkinen", "Tampere"))
    return customer_id


@pytest.fixture
def card(runner, maija, qtbot) -> CustomerCard:
    widget = CustomerCard(runner)
    qtbot.addWidget(widget)
    widget.resize(600, 700)
    widget.show()
    widget.show_customer(maija)
    return widget


def open_date_dialog(card: CustomerCard) -> DateDialog:
    card.dates_panel.add_date()
    dialog = card.dates_panel.dialog
    assert isinstance(dialog, DateDialog) and dialog.isVisible()
    return dialog


def test_the_panel_is_hidden_for_a_new_customer(card):
    assert card.dates_panel.isVisible()
    assert card.dates_panel.no_dates.isVisible() and card.dates_panel.date_list.isHidden()
    card.new_customer()
    assert card.dates_panel.isHidden()


def test_a_yearless_leap_day_birthday_can_be_added(card, sqlite_db, maija):
    dialog = open_date_dialog(card)
    dialog.day.setValue(29)
    dialog.month.setCurrentIndex(1)  # February
    dialog.save()
    assert not dialog.isVisible()
    [stored] = sqlite_db.run(lambda s: list_dates(s, maija))
    assert (stored.kind, stored.month, stored.day, stored.year) == ("birthday", 2, 29, None)
    row = card.dates_panel.date_list.topLevelItem(0)
    assert [row.text(column) for column in range(3)] == ["Birthday", "29 Feb", "as in Settings"]


def test_an_impossible_day_is_refused_next_to_the_field(card, sqlite_db, maija):
    dialog = open_date_dialog(card)
    dialog.day.setValue(31)
    dialog.month.setCurrentIndex(3)  # April
    dialog.year.setText("1990")
    dialog.save()
    assert dialog.isVisible()
    assert dialog.errors["day"].isVisible()
    assert dialog.errors["day"].text() == "That month has no day 31."
    assert not dialog.errors["year"].isVisible()
    assert sqlite_db.run(lambda s: list_dates(s, maija)) == []


def test_an_unreadable_year_is_refused_before_saving(card, sqlite_db, maija):
    dialog = open_date_dialog(card)
    dialog.year.setText("86")
    dialog.save()
    assert dialog.errors["year"].text() == "Write the year with four digits, or leave it empty."
    assert sqlite_db.run(lambda s: list_dates(s, maija)) == []


def test_an_anniversary_with_its_own_lead_time_can_be_changed_and_removed(card, sqlite_db, maija):
    dialog = open_date_dialog(card)
    dialog.kind.setCurrentIndex(dialog.kind.findData("anniversary"))
    dialog.label.setText("Wedding")
    dialog.day.setValue(12)
    dialog.month.setCurrentIndex(5)
    dialog.year.setText("2010")
    dialog.own_lead.setChecked(True)
    dialog.lead_days.setValue(14)
    dialog.save()
    panel = card.dates_panel
    row = panel.date_list.topLevelItem(0)
    assert [row.text(column) for column in range(3)] == ["Wedding", "12/06/2010",
                                                         "14 days before"]
    panel.date_list.setCurrentItem(row)
    panel.edit_date()
    change = panel.dialog
    assert isinstance(change, DateDialog) and change.label.text() == "Wedding"
    change.own_lead.setChecked(False)
    change.save()
    [stored] = sqlite_db.run(lambda s: list_dates(s, maija))
    assert stored.lead_days is None and stored.year == 2010
    panel.date_list.setCurrentItem(panel.date_list.topLevelItem(0))
    panel.remove_date()
    assert sqlite_db.run(lambda s: list_dates(s, maija)) == []
    assert panel.note.text() == "Removed Wedding."
    panel.undo_button.click()
    assert [d.id for d in sqlite_db.run(lambda s: list_dates(s, maija))] == [stored.id]
    assert panel.date_list.topLevelItemCount() == 1


def test_favourites_come_from_the_catalogue(card, sqlite_db, maija):
    sqlite_db.run(lambda s: create_product(s, ProductInput("Oat latte", "coffee", 480)))
    card.dates_panel.add_favourite()
    dialog = card.dates_panel.dialog
    assert isinstance(dialog, FavouriteDialog)
    assert dialog.product.itemText(0) == "Oat latte (coffee)"
    dialog.note.setText("oat milk, no sugar")
    dialog.save()
    favourites = card.dates_panel.favourite_list
    assert [favourites.topLevelItem(0).text(c) for c in (0, 1)] == ["Oat latte",
                                                                    "oat milk, no sugar"]
    favourites.setCurrentItem(favourites.topLevelItem(0))
    card.dates_panel.remove_favourite()
    assert sqlite_db.run(lambda s: list_favourites(s, maija)) == []
    card.dates_panel.undo_remove()
    [back] = sqlite_db.run(lambda s: list_favourites(s, maija))
    assert back.note == "oat milk, no sugar"


def test_an_empty_catalogue_says_where_to_add_products(card):
    card.dates_panel.add_favourite()
    dialog = card.dates_panel.dialog
    assert not dialog.save_button.isEnabled()
    assert "Products and Services" in dialog.errors["product"].text()


# The catalogue ----------------------------------------------------------------------------------


def test_prices_are_read_in_either_notation():
    assert parse_price("4,50") == parse_price("4.5") == parse_price("4,50 €") == 450
    assert parse_price("") is None
    with pytest.raises(ValueError):
        parse_price("four")


def test_products_are_added_and_checked(runner, sqlite_db, qtbot):
    dialog = ProductsDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Oat latte")
    dialog.category.setEditText("coffee")
    dialog.price.setText("4,80")
    dialog.save()
    [product] = sqlite_db.run(list_products)
    assert (product.name, product.category, product.price_cents) == ("Oat latte", "coffee", 480)
    assert dialog.list.topLevelItem(0).text(2) == "€4.80"
    dialog.new_product()
    dialog.name.setText("oat LATTE")
    dialog.price.setText("lots")
    dialog.save()
    assert dialog.errors["price_cents"].text() == "Write the price as a number, such as 4,50."
    dialog.price.clear()
    dialog.save()
    assert dialog.errors["name"].text() == "There is already a product called oat LATTE."
    assert len(sqlite_db.run(list_products)) == 1


def test_a_favourite_product_cannot_be_deleted(runner, sqlite_db, maija, qtbot, monkeypatch):
    def setup(session):
        product = create_product(session, ProductInput("Oat latte")).product
        add_favourite(session, maija, product.id)
    sqlite_db.run(setup)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    dialog = ProductsDialog(runner)
    qtbot.addWidget(dialog)
    dialog.delete()
    assert dialog.general_error.text() == (
        "Oat latte is a favourite of 1 customer: deactivate it instead.")
    dialog.active.setChecked(False)
    dialog.save()
    assert [p.active for p in sqlite_db.run(lambda s: list_products(s, True))] == [False]


# Reminder settings ------------------------------------------------------------------------------


def test_reminder_settings_are_saved(runner, sqlite_db, qtbot):
    dialog = SettingsDialog(runner)
    qtbot.addWidget(dialog)
    fields = dialog.agenda_fields
    assert fields.spins["agenda_days"].value() == 14
    fields.spins["agenda_days"].setValue(21)
    fields.spins["birthday_lead_days"].setValue(3)
    fields.leap_day_rule.setCurrentIndex(fields.leap_day_rule.findData("mar1"))
    dialog.save()
    saved = sqlite_db.run(load_settings)
    assert (saved.agenda_days, saved.birthday_lead_days, saved.leap_day_rule) == (21, 3, "mar1")
