"""The "Referred by" line on the card and its dialog, driven through the widgets."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from crm_desktop.services.errors import ValidationError
from crm_desktop.services.referrals import get_referral, set_referral
from crm_desktop.services.touchpoints import timeline
from crm_desktop.ui.customer_card import CustomerCard
from crm_desktop.ui.referral_dialog import ReferralDialog
from tests.ui.conftest import add_customers, person


@pytest.fixture(autouse=True)
def _no_unexpected_dialogs(monkeypatch):
    def refuse(box):
        raise AssertionError(f"unexpected dialog: {box.text()}")

    monkeypatch.setattr(QMessageBox, "exec", refuse)


def answer_questions(monkeypatch, button: str) -> list[str]:
    """Every message box clicks the button with this object name (or "cancel")."""
    asked: list[str] = []

    def click(box: QMessageBox) -> int:
        asked.append(f"{box.text()} {box.informativeText()}")
        if button == "cancel":
            box.button(QMessageBox.StandardButton.Cancel).click()
        else:
            box.findChild(QPushButton, button).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click)
    return asked


@pytest.fixture
def people(sqlite_db) -> dict[str, int]:
    ids = add_customers(
        sqlite_db,
        person("Maija", "Mäkinen", "Tampere"),
        person("Pekka", "Virtanen", "Espoo"),
        person("Liisa", "Korhonen", "Turku"),
    )
    return dict(zip(("maija", "pekka", "liisa"), ids, strict=True))


@pytest.fixture
def card(qtbot, runner) -> CustomerCard:
    widget = CustomerCard(runner)
    qtbot.addWidget(widget)
    widget.resize(600, 650)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def stored(db, customer_id: int):
    with db.session() as session:
        return get_referral(session, customer_id)


def refer(db, customer_id: int, referrer_id: int, on: date | None = None) -> None:
    with db.session() as session:
        set_referral(session, customer_id, referrer_id, None, on)


def service_refusal(db, customer_id: int, referrer_id: int) -> str:
    """What the service itself says about this link (the transaction is rolled back)."""
    with pytest.raises(ValidationError) as refused, db.session() as session:
        set_referral(session, customer_id, referrer_id, None, None)
    return refused.value.fields["referrer"]


def open_dialog(qtbot, card: CustomerCard) -> ReferralDialog:
    panel = card.referral_panel
    qtbot.mouseClick(panel.change_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def pick(qtbot, dialog: ReferralDialog, text: str) -> None:
    """Type into the search line, wait for the matches, choose the first with Enter."""
    line = dialog.picker.line
    line.setFocus()
    qtbot.keyClicks(line, text)
    qtbot.waitUntil(lambda: dialog.picker.matches.isVisible())
    qtbot.keyClick(line, Qt.Key.Key_Return)


def test_hidden_for_a_new_customer_and_shown_for_a_saved_one(card, people):
    card.new_customer()
    assert card.referral_panel.isHidden()
    card.show_customer(people["maija"])
    assert not card.referral_panel.isHidden()
    assert card.referral_panel.text.text() == "Not recorded"
    card.new_customer()
    assert card.referral_panel.isHidden()


def test_setting_a_referrer_through_the_dialog(qtbot, card, sqlite_db, people):
    card.show_customer(people["maija"])
    dialog = open_dialog(qtbot, card)
    pick(qtbot, dialog, "Pekka")
    assert dialog.chosen.text() == "Chosen: Pekka Virtanen"
    dialog.date.set_value(date(2024, 3, 12))
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    info = stored(sqlite_db, people["maija"])
    assert (info.referrer_id, info.source, info.referred_on) == (
        people["pekka"], None, date(2024, 3, 12))
    panel = card.referral_panel
    assert f'href="customer:{people["pekka"]}"' in panel.text.text()
    assert "Pekka Virtanen" in panel.text.text()


def test_the_referrer_link_opens_their_card(qtbot, card, sqlite_db, people):
    refer(sqlite_db, people["maija"], people["pekka"])
    card.show_customer(people["maija"])
    with qtbot.waitSignal(card.opened) as opened:
        card.referral_panel.text.linkActivated.emit(f"customer:{people['pekka']}")
    assert opened.args == [people["pekka"]]


def test_a_source_can_be_chosen_instead(qtbot, card, sqlite_db, people):
    card.show_customer(people["liisa"])
    dialog = open_dialog(qtbot, card)
    dialog.choose_source("advert")
    dialog.date.set_value(None)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    info = stored(sqlite_db, people["liisa"])
    assert (info.referrer_id, info.source, info.referred_on) == (None, "advert", None)
    assert card.referral_panel.caption.text() == "Came from:"
    assert card.referral_panel.text.text() == "Advert"


def test_a_circle_is_refused_next_to_the_field(qtbot, card, sqlite_db, people):
    refer(sqlite_db, people["pekka"], people["maija"])  # Maija brought Pekka
    refer(sqlite_db, people["liisa"], people["pekka"])  # Pekka brought Liisa
    expected = service_refusal(sqlite_db, people["maija"], people["liisa"])
    card.show_customer(people["maija"])
    dialog = open_dialog(qtbot, card)
    pick(qtbot, dialog, "Liisa")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.referrer_error.isVisible()
    assert dialog.referrer_error.text() == expected
    assert "Liisa Korhonen" in expected and "Maija Mäkinen" in expected
    assert stored(sqlite_db, people["maija"]) is None


def test_a_customer_cannot_refer_themself(qtbot, card, sqlite_db, people):
    card.show_customer(people["maija"])
    dialog = open_dialog(qtbot, card)
    pick(qtbot, dialog, "Maija")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.referrer_error.text() == service_refusal(
        sqlite_db, people["maija"], people["maija"])
    assert stored(sqlite_db, people["maija"]) is None


def test_saving_without_choosing_says_what_is_missing(qtbot, card, sqlite_db, people):
    card.show_customer(people["maija"])
    dialog = open_dialog(qtbot, card)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.referrer_error.isVisible()
    assert stored(sqlite_db, people["maija"]) is None


def test_changing_the_referrer_asks_first(qtbot, monkeypatch, card, sqlite_db, people):
    refer(sqlite_db, people["maija"], people["pekka"], date(2024, 1, 5))
    card.show_customer(people["maija"])
    dialog = open_dialog(qtbot, card)
    pick(qtbot, dialog, "Liisa")
    asked = answer_questions(monkeypatch, "cancel")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert "Pekka Virtanen" in asked[0] and "Liisa Korhonen" in asked[0]
    assert dialog.isVisible()
    assert stored(sqlite_db, people["maija"]).referrer_id == people["pekka"]

    asked = answer_questions(monkeypatch, "confirmChange")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert stored(sqlite_db, people["maija"]).referrer_id == people["liisa"]
    history = sqlite_db.run(lambda session: timeline(session, people["maija"]))
    assert any(entry.kind == "referral" and "Liisa Korhonen" in entry.summary
               for entry in history)


def test_keeping_the_same_referrer_does_not_ask(qtbot, card, sqlite_db, people):
    refer(sqlite_db, people["maija"], people["pekka"], date(2024, 1, 5))
    card.show_customer(people["maija"])
    dialog = open_dialog(qtbot, card)
    dialog.date.set_value(date(2024, 2, 1))  # only the date changes: no question
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert stored(sqlite_db, people["maija"]).referred_on == date(2024, 2, 1)


def test_removing_asks_and_forgets(qtbot, monkeypatch, card, sqlite_db, people):
    refer(sqlite_db, people["maija"], people["pekka"])
    card.show_customer(people["maija"])
    dialog = open_dialog(qtbot, card)
    answer_questions(monkeypatch, "confirmRemove")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert stored(sqlite_db, people["maija"]) is None
    assert card.referral_panel.text.text() == "Not recorded"


def test_enter_searches_picks_and_then_saves(qtbot, card, sqlite_db, people):
    card.show_customer(people["maija"])
    dialog = open_dialog(qtbot, card)
    line = dialog.picker.line
    line.setFocus()
    qtbot.keyClicks(line, "Liisa")
    qtbot.keyClick(line, Qt.Key.Key_Return)  # before the type-ahead fired: search now
    assert dialog.isVisible() and dialog.picker.matches.count() == 1
    qtbot.keyClick(line, Qt.Key.Key_Return)  # pick the highlighted match
    assert dialog.chosen.text() == "Chosen: Liisa Korhonen"
    assert dialog.isVisible() and stored(sqlite_db, people["maija"]) is None
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(line, Qt.Key.Key_Return)  # nothing new typed: the dialog saves
    assert stored(sqlite_db, people["maija"]).referrer_id == people["liisa"]
