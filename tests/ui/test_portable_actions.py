"""File → Export Customers and Import Customers, through the menu, with a broken record."""

from __future__ import annotations

import json
import uuid

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from crm_desktop.services.search import CustomerQuery, count_customers
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
