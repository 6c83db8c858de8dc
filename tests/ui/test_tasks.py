"""The database worker: results and errors come back on the GUI thread; changes are broadcast."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from crm_desktop.services.changes import Changes
from crm_desktop.services.customer_data import CustomerInput
from crm_desktop.services.customers import create_customer
from crm_desktop.services.letter_templates import reset_template, save_template
from crm_desktop.ui.tasks import TaskRunner


def test_a_bare_changes_result_is_broadcast(runner, qtbot):
    with qtbot.waitSignal(runner.changed) as caught:
        runner.submit(lambda session: Changes(kinds=frozenset({"letter_templates"})))
    assert caught.args[0].kinds == {"letter_templates"}


def test_saving_a_letter_template_tells_the_views(runner, qtbot):
    with qtbot.waitSignal(runner.changed) as caught:
        runner.submit(lambda s: save_template(s, "birthday", "en", "Hello", "Dear {first_name},"))
    assert caught.args[0] != Changes()
    with qtbot.waitSignal(runner.changed):
        runner.submit(lambda s: reset_template(s, "birthday", "en"))


def test_the_worker_thread_does_the_work_and_the_gui_thread_gets_the_answer(sqlite_db, qtbot):
    runner = TaskRunner(sqlite_db)
    threads: dict[str, object] = {}

    def work(session):
        threads["work"] = threading.get_ident()
        return create_customer(session, CustomerInput(first_name="A", last_name="B"), "FI")

    def done(saved):
        threads["done"] = threading.get_ident()
        threads["gui"] = QThread.currentThread() is qtbot_app_thread()

    def qtbot_app_thread():
        from PySide6.QtWidgets import QApplication

        return QApplication.instance().thread()

    try:
        with qtbot.waitSignal(runner.changed, timeout=5000):
            runner.submit(work, done)
    finally:
        runner.shutdown()
    assert threads["work"] != threads["done"] == threading.get_ident()
    assert threads["gui"] is True


def test_a_task_cancelled_before_it_runs_is_skipped_and_the_runner_is_idle_again(
    sqlite_db, qtbot
):
    runner = TaskRunner(sqlite_db)
    gate = threading.Event()
    ran: list[str] = []
    try:
        runner.submit(lambda session: gate.wait(5))  # keeps the worker busy
        skipped = runner.submit(
            lambda session: ran.append("skipped"), lambda _result: ran.append("done")
        )
        skipped.cancel()
        with qtbot.waitSignal(runner.busy_changed, timeout=5000) as idle:
            gate.set()
        assert idle.args == [False]
    finally:
        runner.shutdown()
    assert ran == []
    assert not runner.busy
