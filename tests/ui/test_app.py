"""Start-up: the one-instance lock, unusable databases, the interface language, self-test."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QLockFile, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QTableView

from crm_desktop import app, i18n
from crm_desktop.paths import database_backup_dir
from crm_desktop.services.backup import lock_file_path
from crm_desktop.services.database import open_database
from crm_desktop.services.settings import load_settings, save_settings
from crm_desktop.ui.main_window import MainWindow
from tests.ui.conftest import add_customers, person


@pytest.fixture
def messages(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    return shown


@pytest.fixture
def database_file(tmp_path: Path) -> Path:
    path = tmp_path / "shop.sqlite3"
    database = open_database(f"sqlite:///{path}", backup_before_migration=False)
    add_customers(database, person("Maija", "Mäkinen", "Tampere"))
    with database.session() as session:
        save_settings(session, replace(load_settings(session), language="fi"))
    database.dispose()
    return path


def test_a_second_instance_on_the_same_file_is_refused(qapp, tmp_path, messages):
    path = tmp_path / "shop.sqlite3"
    held = QLockFile(str(lock_file_path(path)))
    assert held.tryLock(0)
    try:
        assert app.run_gui(f"sqlite:///{path}", "en") == 1
    finally:
        held.unlock()
    assert messages == ["Kanta is already open on this database."]
    assert not path.exists()  # the database was left alone


def test_a_file_that_is_not_a_database_is_refused(qapp, tmp_path, messages):
    path = tmp_path / "notes.sqlite3"
    path.write_text("shopping list\n")
    assert app.run_gui(f"sqlite:///{path}", "en") == 1
    assert len(messages) == 1 and "not a Kanta database" in messages[0]
    assert path.read_text() == "shopping list\n"
    assert QLockFile(str(lock_file_path(path))).tryLock(0)  # the lock was released


def close_window_when_shown(
    seen: dict[str, object], also: Callable[[], bool] = lambda: True
) -> QTimer:
    """Polls for the filled main window, notes what it shows and closes it: the app ends."""
    timer = QTimer()
    tries = [0]

    def poll() -> None:
        tries[0] += 1
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        shown = [w for w in windows if w.isVisible()
                 and w.customers.list_pane.model.answered  # read after Today, out of sight
                 and not w.customers.list_pane.model.loading]
        if not shown or not also():
            if tries[0] > 500:  # never shown: end the loop so the test fails instead of hanging
                timer.stop()
                QCoreApplication.exit(3)
            return
        timer.stop()
        window = shown[0]
        seen["language"] = i18n.current_language()
        seen["qt cancel"] = QCoreApplication.translate("QPlatformTheme", "Cancel")
        seen["rows"] = window.findChild(QTableView, "customerTable").model().rowCount()
        seen["search"] = window.findChild(QLineEdit, "customerSearch") is not None
        seen["decimal point"] = QLocale().decimalPoint()
        for widget in QApplication.topLevelWidgets():  # the last window closing quits the app
            if widget.isVisible():
                widget.close()

    timer.timeout.connect(poll)
    timer.start(20)
    return timer


def test_the_window_opens_in_the_business_language(qapp, database_file, messages):
    seen: dict[str, object] = {}
    timer = close_window_when_shown(seen)
    assert app.run_gui(f"sqlite:///{database_file}", None) == 0
    timer.stop()
    assert messages == []
    assert seen == {
        "language": "fi",
        "qt cancel": "Peru",
        "rows": 1,
        "search": True,
        "decimal point": ",",
    }
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"  # removed again
    assert QLockFile(str(lock_file_path(database_file))).tryLock(0)


def test_an_explicit_language_wins_over_the_business_setting(qapp, database_file, messages):
    seen: dict[str, object] = {}
    timer = close_window_when_shown(seen)
    assert app.run_gui(f"sqlite:///{database_file}", "en") == 0
    timer.stop()
    assert seen["language"] == "en" and seen["qt cancel"] == "Cancel"
    assert seen["decimal point"] == "."


def test_the_first_start_of_the_day_makes_a_daily_backup(qapp, database_file, messages):
    def daily_backups() -> list[Path]:
        return list(database_backup_dir(database_file).glob("kanta-*-daily.sqlite3"))

    timer = close_window_when_shown({}, also=lambda: bool(daily_backups()))
    assert app.run_gui(f"sqlite:///{database_file}", "en") == 0
    timer.stop()
    daily = daily_backups()
    assert len(daily) == 1
    with sqlite3.connect(daily[0]) as copy:
        names = copy.execute("SELECT first_name FROM customer").fetchall()
    assert names == [("Maija",)]


def test_self_test_window_has_the_customer_desk(sqlite_db, qtbot):
    window = app.build_self_test_window(sqlite_db)
    qtbot.addWidget(window)
    assert isinstance(window, MainWindow)
    assert window.findChild(QTableView, "customerTable") is not None
    assert not window.grab().isNull()


def test_a_window_that_cannot_be_built_ends_with_a_message(
    qapp, database_file, messages, monkeypatch
):
    def broken(runner):
        raise RuntimeError("no screen")

    monkeypatch.setattr(app, "MainWindow", broken)
    assert app.run_gui(f"sqlite:///{database_file}", "en") == 1
    assert messages == ["The window cannot be opened: no screen"]
    assert QLockFile(str(lock_file_path(database_file))).tryLock(0)
