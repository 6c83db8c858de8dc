"""The Issue Coupon dialog: fields, errors next to them, the new code, and its print."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt

from crm_desktop.services.coupon_search import search_coupons
from crm_desktop.services.favourites import ProductInput, create_product
from crm_desktop.ui.customer_card import CustomerCard
from crm_desktop.ui.issue_coupon_dialog import IssueCouponDialog
from crm_desktop.ui.tasks import SyncTaskRunner
from tests.ui.conftest import add_customers, person


def all_coupons(database):
    return database.run(lambda session: list(search_coupons(session).coupons))


@pytest.fixture
def anna(sqlite_db) -> int:
    return add_customers(sqlite_db, person("Anna", "Virtanen"))[0]


def open_dialog(qtbot, runner, customer_id=None, name="") -> IssueCouponDialog:
    dialog = IssueCouponDialog(runner, customer_id, name)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def choose_kind(dialog: IssueCouponDialog, kind: str) -> None:
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))


def test_an_amount_off_for_the_customer_is_issued_and_shown(runner, sqlite_db, anna, qtbot):
    dialog = open_dialog(qtbot, runner, anna, "Anna Virtanen")
    choose_kind(dialog, "amount")
    assert dialog.value.amount.prefix() == "€"  # the business currency, as English writes it
    dialog.value.amount.setValue(7.5)
    expected_expiry = QDate.currentDate().addMonths(3)
    assert dialog.expires_on.date() == expected_expiry
    dialog.reason.setCurrentIndex(dialog.reason.findData("birthday"))
    qtbot.keyClicks(dialog.terms, "Not with other offers.")
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    [issued] = all_coupons(sqlite_db)
    assert (issued.kind, issued.value, issued.customer_id, issued.reason, issued.terms) == (
        "amount", 750, anna, "birthday", "Not with other offers.")
    assert issued.expires_on == date(expected_expiry.year(), expected_expiry.month(),
                                     expected_expiry.day())
    assert dialog.issued_page.isVisible()
    assert dialog.issued_page.code.text() == issued.grouped_code
    assert "€7.50 for Anna Virtanen, valid until" in dialog.issued_page.summary.text()


def test_the_new_coupon_prints_in_the_preview(runner, sqlite_db, anna, qtbot):
    dialog = open_dialog(qtbot, runner, anna, "Anna Virtanen")
    choose_kind(dialog, "percent")
    dialog.value.percent.setValue(15)
    dialog.issue()
    qtbot.mouseClick(dialog.issued_page.print_button, Qt.MouseButton.LeftButton)
    preview = dialog.print_run.preview
    assert preview is not None and preview.isVisible()
    qtbot.addWidget(preview)
    assert preview.document.pageCount() == 1
    assert preview.windowTitle() == f"Coupon {dialog.coupon.grouped_code}"


def test_a_free_item_comes_from_the_catalogue(runner, sqlite_db, qtbot):
    with sqlite_db.session() as session:
        bun = create_product(session, ProductInput("Cinnamon bun", price_cents=450)).product.id
    dialog = open_dialog(qtbot, runner)
    choose_kind(dialog, "free_item")
    assert dialog.value.product.itemText(0) == "Cinnamon bun (€4.50)"
    dialog.value.product.setCurrentIndex(dialog.value.product.findData(bun))
    dialog.never_expires.setChecked(True)
    dialog.issue()
    [issued] = all_coupons(sqlite_db)
    assert (issued.kind, issued.product_id, issued.value, issued.customer_id) == (
        "free_item", bun, 450, None)
    assert issued.expires_on is None
    assert dialog.issued_page.summary.text() == "Free Cinnamon bun for anyone; it never expires."


def test_a_customer_typed_but_not_chosen_is_marked(runner, sqlite_db, anna, qtbot):
    dialog = open_dialog(qtbot, runner)
    qtbot.keyClicks(dialog.customer.line, "Anna")
    dialog.issue()
    assert dialog.customer_error.isVisible()
    assert dialog.customer_error.message.startswith("Choose a customer from the list")
    assert all_coupons(sqlite_db) == []
    dialog.customer.search_now()
    dialog.customer.matches.setCurrentRow(0)
    dialog.customer.matches.itemActivated.emit(dialog.customer.matches.item(0))
    dialog.issue()
    assert [coupon.customer_id for coupon in all_coupons(sqlite_db)] == [anna]


def test_the_services_refusal_sits_next_to_its_field(runner, sqlite_db, qtbot):
    dialog = open_dialog(qtbot, runner)
    # The dialog was opened yesterday: its earliest date has passed since.
    yesterday = QDate.currentDate().addDays(-1)
    dialog.expires_on.setMinimumDate(yesterday)
    dialog.expires_on.setDate(yesterday)
    dialog.issue()
    assert dialog.expires_error.isVisible()
    assert "has already passed" in dialog.expires_error.message
    assert dialog.expires_on.accessibleDescription() == dialog.expires_error.message
    assert not dialog.customer_error.isVisible()
    assert all_coupons(sqlite_db) == []
    assert dialog.issue_button.isEnabled()  # correct it and try again
    dialog.expires_on.setDate(QDate.currentDate().addDays(1))
    dialog.issue()
    assert not dialog.expires_error.isVisible()
    assert [c.expires_on for c in all_coupons(sqlite_db)] == [date.today() + timedelta(days=1)]


def test_the_customer_card_opens_it_for_its_customer(sqlite_db, anna, qtbot):
    card = CustomerCard(SyncTaskRunner(sqlite_db))
    qtbot.addWidget(card)
    card.show()
    assert not card.issue_coupon_action.isEnabled()
    assert card.issue_coupon_action in card.letter_actions.button.menu().actions()  # "More"
    card.show_customer(anna)
    assert card.issue_coupon_action.isEnabled()
    card.issue_coupon_action.trigger()
    dialog = card.coupon_dialog
    qtbot.addWidget(dialog)
    assert dialog.customer.line.text() == "Anna Virtanen"
    dialog.issue()
    assert [coupon.customer_id for coupon in all_coupons(sqlite_db)] == [anna]


def test_enter_in_the_customer_search_picks_and_does_not_issue(runner, sqlite_db, anna, qtbot):
    dialog = open_dialog(qtbot, runner)
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    dialog.customer.line.setFocus()
    qtbot.keyClicks(dialog.customer.line, "Virtanen")
    qtbot.keyClick(dialog.customer.line, Qt.Key.Key_Return)  # searches
    qtbot.keyClick(dialog.customer.line, Qt.Key.Key_Return)  # picks the one match
    assert dialog.customer.line.text() == "Anna Virtanen"
    assert all_coupons(sqlite_db) == []
    dialog.kind.setFocus()
    qtbot.keyClick(dialog.kind, Qt.Key.Key_Return)  # elsewhere Enter issues
    assert [coupon.customer_id for coupon in all_coupons(sqlite_db)] == [anna]
