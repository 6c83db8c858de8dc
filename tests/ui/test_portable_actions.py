"""File → Export Customers and Import Customers, through the menu, with a broken record."""

from __future__ import annotations

import json
import uuid

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QPushButton, QWidget

from crm_desktop.services.search import CustomerQuery, count_customers
from crm_desktop.ui import portable_actions
from crm_desktop.ui.main_window import MainWindow
from crm_desktop.ui.tasks import SyncTaskRunner
from tests.ui.conftest import add_customers, person


@pytest.fixture
def window(sqlite_db, ui_settings, qtbot) -> MainWindow:
    add_customers(sqlite_db, person("Maija", "Mäkinen", "Tampere"), person("Olli", "Virta", "Oulu"))
    main = MainWindow(SyncTaskRunner(sqlite_db), ui_settings)
    qtbot.addWidget(main)
    return main


def test_export_then_import_into_another_database_reports_the_broken_record(
    window, sqlite_db, tmp_path, monkeypatch, qtbot, ui_settings
):
    exported = tmp_path / "customers.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(exported), ""))
    window.export_customers_action.trigger()
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert [c["last_name"] for c in document["customers"]] == ["Mäkinen", "Virta"]
    assert "2 customers" in window.statusBar().currentMessage()

    # Into an empty database, with the second record broken.
    for record in document["customers"]:
        record["uid"] = str(uuid.uuid4())
    document["customers"][1]["emails"] = [{"address": "not-an-email", "label": ""}]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(broken), ""))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.detailedText()))
    window.import_customers_action.trigger()

    assert len(shown) == 1 and shown[0].startswith("Record 2:")
    assert "Imported 1 customer." in window.statusBar().currentMessage()
    total = sqlite_db.run(lambda s: count_customers(s, CustomerQuery()))
    assert total == 3  # the two originals and the one good copy
    qtbot.waitUntil(lambda: window.customers.list_pane.model.rowCount() == 3)


def test_a_long_import_shows_progress_and_cancel_keeps_nothing(
    window, sqlite_db, tmp_path, monkeypatch
):
    records = [{"uid": str(uuid.uuid4()), "first_name": "Asiakas", "last_name": f"N{n}"}
               for n in range(250)]
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"format": "kanta-customers", "version": 1,
                               "customers": records}), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(big), ""))
    seen: list[tuple[int, int, str]] = []
    advance = portable_actions.RunProgress._advance

    def advance_then_cancel(run, done: int, total: int) -> None:
        advance(run, done, total)
        seen.append((run.dialog.value(), run.dialog.maximum(), run.dialog.windowTitle()))
        run.dialog.findChild(QPushButton).click()  # the owner cancels at the first report

    monkeypatch.setattr(portable_actions.RunProgress, "_advance", advance_then_cancel)
    window.import_customers_action.trigger()
    assert seen == [(100, 250, "Import Customers")]
    assert window.statusBar().currentMessage() == "The import was stopped: nothing was imported."
    assert sqlite_db.run(lambda s: count_customers(s, CustomerQuery())) == 2
    progress = window.findChild(QProgressDialog, "portableProgress")
    assert progress is None or not progress.isVisible()


def test_an_unreadable_file_is_one_clear_message(window, tmp_path, monkeypatch):
    missing = tmp_path / "missing.json"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(missing), ""))
    warnings: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text: warnings.append((title, text)))
    window.import_customers_action.trigger()
    assert len(warnings) == 1 and warnings[0][0] == "Import Customers"
    assert warnings[0][1].startswith(f"Cannot read {missing}")


def test_after_cancel_the_run_reports_no_more_progress(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    run = portable_actions.RunProgress(parent, "Import Customers", "Importing customers…")
    shown: list[tuple[int, int]] = []
    run.advanced.connect(lambda done, total: shown.append((done, total)))
    assert run.report(100, 300)
    run.dialog.findChild(QPushButton).click()
    assert not run.report(200, 300)
    assert shown == [(100, 300)]
    run._advance(200, 300)  # a report queued before Cancel arrives late
    assert not run.dialog.isVisible()
