"""The customer list over the real worker thread: queries run there, answers land on the GUI."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QThread

from crm_desktop.ui import customer_list
from crm_desktop.ui.customer_list import PLACEHOLDER, CustomerTableModel
from crm_desktop.ui.customer_list_pane import CustomerListPane
from crm_desktop.ui.tasks import TaskRunner
from tests.ui.conftest import add_customers, person


@pytest.fixture
def threaded_runner(sqlite_db) -> Iterator[TaskRunner]:
    add_customers(
        sqlite_db,
        person("Maija", "Mäkinen", "Tampere", phone="040 123 4567"),
        person("Bea", "Berg", "Espoo"),
    )
    runner = TaskRunner(sqlite_db)
    yield runner
    runner.shutdown()


def test_queries_run_on_the_worker_and_answers_arrive_on_the_gui_thread(
    threaded_runner, qtbot, monkeypatch
):
    query_threads: list[str] = []
    real_ids = customer_list.customer_ids

    def recording_ids(session, query):
        query_threads.append(threading.current_thread().name)
        return real_ids(session, query)

    monkeypatch.setattr(customer_list, "customer_ids", recording_ids)
    model = CustomerTableModel(threaded_runner)
    answered_on: list[QThread] = []
    model.results_arrived.connect(lambda _count: answered_on.append(QThread.currentThread()))
    with qtbot.waitSignal(model.results_arrived, timeout=5000) as arrived:
        model.refresh()
        assert model.loading
    assert arrived.args == [2]
    assert answered_on == [QCoreApplication.instance().thread()]
    assert query_threads and query_threads[0] != threading.main_thread().name
    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        assert model.index(1, 0).data() == PLACEHOLDER
    assert model.index(1, 0).data() == "Maija Mäkinen"
    assert model.index(1, 2).data() == "040 1234567"


def test_search_box_with_the_worker(threaded_runner, qtbot):
    pane = CustomerListPane(threaded_runner)
    qtbot.addWidget(pane)
    with qtbot.waitSignal(pane.model.results_arrived, timeout=5000):
        pane.refresh()
    pane.search_box.setText("berg")
    qtbot.waitUntil(lambda: pane.match_count.text() == "1 customer", timeout=5000)
    qtbot.waitUntil(lambda: pane.model.index(0, 0).data() == "Bea Berg", timeout=5000)
