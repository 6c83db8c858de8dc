"""The business settings dialog, driven through its widgets and read back through the services."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import QDialog, QFileDialog

from crm_desktop.services.settings import BusinessSettings, load_settings, save_settings
from crm_desktop.ui.settings_dialog import SettingsDialog


@pytest.fixture
def dialog(qtbot, runner) -> SettingsDialog:
    widget = SettingsDialog(runner)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def stored(db) -> BusinessSettings:
    with db.session() as session:
        return load_settings(session)


def retype(qtbot, edit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def test_saves_and_reloads(qtbot, dialog, runner, sqlite_db):
    retype(qtbot, dialog.lines["name"], "Leipomo Oy")
    retype(qtbot, dialog.lines["business_id"], "0112038-9")
    retype(qtbot, dialog.lines["email"], "info@leipomo.fi")
    dialog.region.setCurrentIndex(dialog.region.findData("SE"))
    retype(qtbot, dialog.currency.lineEdit(), "sek")
    dialog.language.setCurrentIndex(dialog.language.findData("fi"))

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = stored(sqlite_db)
    assert (saved.name, saved.business_id, saved.email) == (
        "Leipomo Oy", "0112038-9", "info@leipomo.fi")
    assert (saved.phone_region, saved.currency, saved.language) == ("SE", "SEK", "fi")
    again = SettingsDialog(runner)
    qtbot.addWidget(again)
    assert again.lines["name"].text() == "Leipomo Oy"
    assert again.collect() == saved


def test_fields_the_dialog_does_not_show_are_kept(qtbot, runner, sqlite_db):
    with sqlite_db.session() as session:
        save_settings(session, BusinessSettings(agenda_days=30, leap_day_rule="mar1"))
    dialog = SettingsDialog(runner)
    qtbot.addWidget(dialog)
    retype(qtbot, dialog.lines["city"], "Tampere")
    dialog.save()
    assert stored(sqlite_db) == replace(
        BusinessSettings(agenda_days=30, leap_day_rule="mar1"), city="Tampere")


def test_a_bad_business_id_is_shown_next_to_it_and_nothing_is_saved(qtbot, dialog, sqlite_db):
    retype(qtbot, dialog.lines["name"], "Leipomo Oy")
    retype(qtbot, dialog.lines["business_id"], "0112038-8")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    error = dialog.errors["business_id"]
    assert error.isVisible()
    assert error.text() == "The check digit of business ID “0112038-8” is wrong."
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.focusWidget() is dialog.lines["business_id"]
    assert stored(sqlite_db) == BusinessSettings()

    retype(qtbot, dialog.lines["business_id"], "0112038-9")
    dialog.save()
    assert stored(sqlite_db).business_id == "0112038-9"


def test_escape_cancels_without_saving(qtbot, dialog, sqlite_db):
    retype(qtbot, dialog.lines["name"], "Leipomo Oy")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert stored(sqlite_db) == BusinessSettings()


def test_a_region_typed_by_hand(qtbot, dialog, sqlite_db):
    retype(qtbot, dialog.region.lineEdit(), "pt")
    dialog.save()
    assert stored(sqlite_db).phone_region == "PT"


def test_an_unknown_region_is_refused_next_to_the_field(qtbot, dialog, sqlite_db):
    retype(qtbot, dialog.region.lineEdit(), "XX")
    dialog.save()
    assert dialog.errors["phone_region"].isVisible()
    assert stored(sqlite_db) == BusinessSettings()


def test_choosing_a_logo_shows_a_preview_and_stores_the_path(
    qtbot, monkeypatch, dialog, sqlite_db, tmp_path: Path
):
    logo = tmp_path / "logo.png"
    image = QPixmap(300, 100)
    image.fill(QColor("brown"))
    assert image.save(str(logo))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(logo), ""))

    dialog.choose_logo()

    preview = dialog.logo_preview.pixmap()
    assert not preview.isNull() and preview.width() <= dialog.logo_preview.width()
    dialog.save()
    assert stored(sqlite_db).logo_path == str(logo)


def test_an_unreadable_logo_is_flagged(dialog, tmp_path: Path):
    not_an_image = tmp_path / "logo.png"
    not_an_image.write_text("hello")
    dialog.set_logo(str(not_an_image))
    assert dialog.errors["logo_path"].isVisible()
    dialog.set_logo("")
    assert not dialog.errors["logo_path"].isVisible()
