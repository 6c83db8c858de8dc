"""The customer card driven through its widgets, checked through the services."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QToolButton

from crm_desktop.services.customer_data import (
    ConsentInput,
    CustomerInput,
    EmailInput,
    PhoneInput,
)
from crm_desktop.services.customers import create_customer, get_customer
from crm_desktop.services.errors import NotFound
from crm_desktop.services.search import CustomerQuery, count_customers
from crm_desktop.services.touchpoints import log_visit, timeline
from crm_desktop.ui.customer_card import CustomerCard
from tests.ui.conftest import DeferredRunner

MAIJA = CustomerInput(
    first_name="Maija",
    last_name="Mäkinen",
    emails=(EmailInput("maija@example.fi", "home"),),
    phones=(PhoneInput("040 123 4567", "mobile"),),
    city="Tampere",
)


@pytest.fixture(autouse=True)
def _no_unexpected_dialogs(monkeypatch):
    """A message box nobody expected fails the test instead of waiting for a click forever."""

    def refuse(box):
        raise AssertionError(f"unexpected dialog: {box.text()}")

    monkeypatch.setattr(QMessageBox, "exec", refuse)


def answer_dialogs(monkeypatch, button: str) -> list[str]:
    """Make every message box click the button with this object name (or "cancel")."""
    asked: list[str] = []

    def click(box: QMessageBox) -> int:
        asked.append(box.text())
        if button == "cancel":
            box.button(QMessageBox.StandardButton.Cancel).click()
        else:
            box.findChild(QPushButton, button).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click)
    return asked


@pytest.fixture
def card(qtbot, runner) -> CustomerCard:
    widget = CustomerCard(runner)
    qtbot.addWidget(widget)
    widget.resize(600, 650)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def add(db, data: CustomerInput = MAIJA) -> int:
    with db.session() as session:
        return create_customer(session, data, "FI").customer.id


def stored(db, customer_id: int) -> CustomerInput:
    with db.session() as session:
        return get_customer(session, customer_id).data


def customer_total(db) -> int:
    with db.session() as session:
        return count_customers(session, CustomerQuery())


def header_button(card: CustomerCard, action) -> QToolButton:
    return next(b for b in card.findChildren(QToolButton) if b.defaultAction() is action)


def type_into(qtbot, widget, text: str) -> None:
    """Replace the field's text by typing, key by key (QTest types ASCII only; "ä" is sent)."""
    widget.selectAll()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def test_add_a_customer_through_the_widgets(qtbot, card, sqlite_db):
    card.new_customer()
    form = card.form
    type_into(qtbot, form.lines["first_name"], "Maija")
    type_into(qtbot, form.lines["last_name"], "Mäkinen")
    type_into(qtbot, form.emails.rows[0].edit, "maija@example.fi")
    qtbot.mouseClick(form.emails.add_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, form.emails.rows[1].edit, "maija@leipomo.fi")
    form.emails.rows[1].kind.setCurrentIndex(form.emails.rows[1].kind.findData("work"))
    type_into(qtbot, form.phones.rows[0].edit, "040 123 4567")
    type_into(qtbot, form.lines["postal_code"], "33100")
    type_into(qtbot, form.lines["city"], "Tampere")
    type_into(qtbot, form.lines["tags"], "regular, oat milk")
    sms = form.consents["sms"]
    sms.state.setCurrentIndex(sms.state.findData("granted"))
    assert card.has_unsaved_changes()

    with qtbot.waitSignal(card.saved) as saved:
        qtbot.mouseClick(header_button(card, card.save_action), Qt.MouseButton.LeftButton)

    data = stored(sqlite_db, saved.args[0])
    assert (data.first_name, data.last_name, data.city) == ("Maija", "Mäkinen", "Tampere")
    assert data.emails == (EmailInput("maija@example.fi", "home"),
                           EmailInput("maija@leipomo.fi", "work"))
    assert data.phones == (PhoneInput("+358401234567", "mobile"),)
    assert set(data.tags) == {"regular", "oat milk"}
    assert data.consents == (ConsentInput("sms", True, date.today(), ""),)
    assert data.customer_since == date.today()
    assert card.customer_id == saved.args[0]
    assert not card.has_unsaved_changes()


def test_a_new_card_has_no_unsaved_changes_until_something_is_typed(qtbot, card):
    card.new_customer()
    assert not card.has_unsaved_changes()
    qtbot.keyClicks(card.form.lines["city"], "T")
    assert card.has_unsaved_changes()


def test_edit_a_customer(qtbot, card, sqlite_db):
    customer_id = add(sqlite_db)
    card.show_customer(customer_id)
    assert card.form.lines["first_name"].text() == "Maija"
    assert card.form.phones.rows[0].edit.text() == "040 1234567"
    assert not card.has_unsaved_changes()

    type_into(qtbot, card.form.lines["city"], "Pirkkala")
    assert card.has_unsaved_changes()
    card.save_action.trigger()

    assert stored(sqlite_db, customer_id).city == "Pirkkala"
    assert stored(sqlite_db, customer_id).phones == (PhoneInput("+358401234567", "mobile"),)
    assert not card.has_unsaved_changes()


def test_a_bad_email_is_shown_next_to_its_row_and_nothing_is_saved(qtbot, card, sqlite_db):
    card.new_customer()
    form = card.form
    type_into(qtbot, form.lines["last_name"], "Mäkinen")
    type_into(qtbot, form.emails.rows[0].edit, "maija@example.fi")
    form.emails.add_row()
    type_into(qtbot, form.emails.rows[1].edit, "maija@@example")

    card.save_action.trigger()

    bad, good = form.emails.rows[1].error, form.emails.rows[0].error
    assert bad.text() == "“maija@@example” is not a valid email address."
    assert bad.isVisibleTo(card) and not good.isVisibleTo(card)
    assert form.emails.rows[1].edit.accessibleDescription() == bad.text()
    assert customer_total(sqlite_db) == 0
    assert card.customer_id is None
    assert card.has_unsaved_changes()


def test_a_bad_email_is_flagged_when_leaving_the_field(qtbot, card):
    card.new_customer()
    row = card.form.emails.rows[0]
    qtbot.keyClicks(row.edit, "maija@")
    assert not row.error.isVisibleTo(card)  # nothing is said while typing
    qtbot.keyClick(row.edit, Qt.Key.Key_Return)
    assert row.error.isVisibleTo(card)
    qtbot.keyClicks(row.edit, "example.fi")
    assert not row.error.isVisibleTo(card)  # fixed: the message goes at once


def test_a_bad_phone_leaves_the_stored_customer_untouched(qtbot, card, sqlite_db):
    customer_id = add(sqlite_db)
    before = stored(sqlite_db, customer_id)
    card.show_customer(customer_id)
    form = card.form
    type_into(qtbot, form.lines["city"], "Pirkkala")
    qtbot.mouseClick(form.phones.add_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, form.phones.rows[1].edit, "12")

    card.save_action.trigger()

    assert form.phones.rows[1].error.text() == "“12” is not a valid phone number."
    assert form.phones.rows[1].error.isVisibleTo(card)
    assert not form.phones.rows[0].error.isVisibleTo(card)
    assert stored(sqlite_db, customer_id) == before


def test_other_bad_fields_are_shown_next_to_them(qtbot, card, sqlite_db):
    card.new_customer()
    type_into(qtbot, card.form.lines["postal_code"], "331")
    card.save_action.trigger()
    assert card.form.errors["last_name"].isVisibleTo(card)
    assert card.form.errors["postal_code"].text() == "A Finnish postal code has five digits."
    assert customer_total(sqlite_db) == 0


def test_removing_an_email_row(qtbot, card, sqlite_db):
    customer_id = add(sqlite_db, CustomerInput(
        last_name="Mäkinen", emails=(EmailInput("a@example.fi"), EmailInput("b@example.fi"))))
    card.show_customer(customer_id)
    qtbot.mouseClick(card.form.emails.rows[0].remove_button, Qt.MouseButton.LeftButton)
    assert [row.edit.accessibleName() for row in card.form.emails.rows] == ["Email 1"]
    card.save_action.trigger()
    assert stored(sqlite_db, customer_id).emails == (EmailInput("b@example.fi", "home"),)


def test_an_added_row_takes_its_place_in_the_tab_order(card):
    card.new_customer()
    emails = card.form.emails
    added = emails.add_row()

    def next_focusable(widget):
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible()):
            widget = widget.nextInFocusChain()
        return widget

    assert next_focusable(emails.rows[0].remove_button) is added.kind
    assert next_focusable(added.kind) is added.edit
    assert next_focusable(added.remove_button) is emails.add_button


def _new_duplicate_of_maija(qtbot, card: CustomerCard) -> None:
    card.new_customer()
    type_into(qtbot, card.form.lines["first_name"], "Maija")
    type_into(qtbot, card.form.lines["last_name"], "Mäkinen-Virtanen")
    type_into(qtbot, card.form.emails.rows[0].edit, "MAIJA@example.fi")


def test_duplicate_warning_opens_the_existing_customer(qtbot, monkeypatch, card, sqlite_db):
    existing = add(sqlite_db)
    _new_duplicate_of_maija(qtbot, card)
    asked = answer_dialogs(monkeypatch, "openExisting")

    with qtbot.waitSignal(card.opened) as opened:
        card.save_action.trigger()

    assert asked == ["Maija Mäkinen, Tampere, already exists — open it?"]
    assert opened.args == [existing]
    assert customer_total(sqlite_db) == 1
    assert not card.has_unsaved_changes()  # the owner chose the existing card


def test_duplicate_warning_can_save_anyway(qtbot, monkeypatch, card, sqlite_db):
    add(sqlite_db)
    _new_duplicate_of_maija(qtbot, card)
    answer_dialogs(monkeypatch, "saveAnyway")
    with qtbot.waitSignal(card.saved):
        card.save_action.trigger()
    assert customer_total(sqlite_db) == 2


def test_duplicate_warning_cancel_keeps_editing(qtbot, monkeypatch, card, sqlite_db):
    add(sqlite_db)
    _new_duplicate_of_maija(qtbot, card)
    answer_dialogs(monkeypatch, "cancel")
    card.save_action.trigger()
    assert customer_total(sqlite_db) == 1
    assert card.customer_id is None and card.has_unsaved_changes()


def test_delete_asks_first_and_ctrl_z_brings_the_customer_back(
    qtbot, monkeypatch, card, sqlite_db
):
    customer_id = add(sqlite_db)
    with sqlite_db.session() as session:
        log_visit(session, customer_id)
    before = stored(sqlite_db, customer_id)
    card.show_customer(customer_id)
    asked = answer_dialogs(monkeypatch, "confirmDelete")

    with qtbot.waitSignal(card.deleted) as deleted, qtbot.waitSignal(card.status) as status:
        card.delete_action.trigger()

    assert asked == ["Delete Maija Mäkinen?"]
    assert deleted.args == [customer_id]
    assert "Ctrl+Z" in status.args[0]
    assert card.customer_id is None and not card.delete_action.isEnabled()
    with pytest.raises(NotFound), sqlite_db.session() as session:
        get_customer(session, customer_id)

    card.activateWindow()
    qtbot.waitActive(card)
    with qtbot.waitSignal(card.saved) as restored:
        qtbot.keyClick(card, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    assert restored.args == [customer_id]
    assert stored(sqlite_db, customer_id) == before
    with sqlite_db.session() as session:
        assert [entry.kind for entry in timeline(session, customer_id)] == ["visit"]
    assert card.customer_id == customer_id
    assert not card.undo_delete_action.isEnabled()


def test_delete_cancelled_keeps_the_customer(monkeypatch, card, sqlite_db):
    customer_id = add(sqlite_db)
    card.show_customer(customer_id)
    answer_dialogs(monkeypatch, "cancel")
    card.delete_action.trigger()
    assert stored(sqlite_db, customer_id).last_name == "Mäkinen"
    assert card.customer_id == customer_id
    assert not card.undo_delete_action.isEnabled()


def timeline_rows(card: CustomerCard) -> list[tuple[str, ...]]:
    tree = card.timeline.entries
    return [
        tuple(tree.topLevelItem(i).text(c) for c in range(tree.columnCount()))
        for i in range(tree.topLevelItemCount())
    ]


def test_log_visit_adds_a_timeline_row(qtbot, card, sqlite_db):
    customer_id = add(sqlite_db)
    card.show_customer(customer_id)
    assert timeline_rows(card) == []
    assert "No visits yet" in card.subtitle.text()

    qtbot.mouseClick(header_button(card, card.log_visit_action), Qt.MouseButton.LeftButton)

    rows = timeline_rows(card)
    assert [row[1] for row in rows] == ["Visit"]
    with sqlite_db.session() as session:
        assert [entry.kind for entry in timeline(session, customer_id)] == ["visit"]
        assert get_customer(session, customer_id).last_visit_at is not None
    assert "Last visit" in card.subtitle.text()


def test_quick_note_and_removing_an_entry(qtbot, monkeypatch, card, sqlite_db):
    customer_id = add(sqlite_db)
    card.show_customer(customer_id)
    qtbot.keyClicks(card.timeline.note_edit, "Prefers oat milk")
    qtbot.keyClick(card.timeline.note_edit, Qt.Key.Key_Return)
    assert [(row[1], row[3]) for row in timeline_rows(card)] == [("Note", "Prefers oat milk")]
    assert card.timeline.note_edit.text() == ""

    answer_dialogs(monkeypatch, "confirmRemove")
    card.timeline.entries.setCurrentItem(card.timeline.entries.topLevelItem(0))
    card.timeline.remove_action.trigger()
    assert timeline_rows(card) == []
    with sqlite_db.session() as session:
        assert timeline(session, customer_id) == []


def test_log_visit_is_off_for_an_unsaved_customer(card):
    card.new_customer()
    assert not card.log_visit_action.isEnabled()
    assert not card.delete_action.isEnabled()
    assert card.save_action.isEnabled()
    card.clear()
    assert not card.save_action.isEnabled()


def test_every_input_has_an_accessible_name(card, sqlite_db):
    card.show_customer(add(sqlite_db))
    from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLineEdit, QPlainTextEdit

    inputs = [w for kind in (QLineEdit, QComboBox, QDateEdit, QPlainTextEdit, QCheckBox)
              for w in card.findChildren(kind)
              if not isinstance(w.parent(), (QComboBox, QDateEdit))]  # their inner editors
    unnamed = [w.objectName() or type(w).__name__ for w in inputs if not w.accessibleName()]
    assert unnamed == []


def test_a_slow_answer_for_an_earlier_customer_is_dropped(qtbot, sqlite_db):
    first = add(sqlite_db)
    second = add(sqlite_db, CustomerInput(first_name="Pekka", last_name="Virtanen"))
    runner = DeferredRunner(sqlite_db)
    card = CustomerCard(runner)
    qtbot.addWidget(card)
    runner.finish_all()
    card.show_customer(first)
    card.show_customer(second)
    first_answer, second_answer = runner.waiting
    runner.finish(second_answer)
    runner.finish(first_answer)  # arrives last, for a customer no longer wanted
    assert card.customer_id == second
    assert card.form.lines["first_name"].text() == "Pekka"

