"""Drives the customer desk in this process for the type-ahead figures.

One main window over a real TaskRunner (the database worker thread) on the benchmark's
database, switched to the Customers desk and shown offscreen. ``type_and_wait`` types into
the search box the way the owner does and returns how long the list took to show the new
matches: from the moment the debounce timer fires (its deliberate delay is left out) until the
table has every new id and has painted the first screenful of their rows.
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QSettings, QTimer
from PySide6.QtTest import QTest

from benchmarks.framework import Bench
from crm_desktop.app import application
from crm_desktop.ui.main_window import MainWindow
from crm_desktop.ui.tasks import TaskRunner

WAIT_LIMIT_MS = 30_000
_DESKS: dict[int, Desk] = {}


def shared_desk(bench: Bench) -> Desk:
    """The one window of this benchmark run, opened on first use."""
    desk = _DESKS.get(id(bench))
    if desk is None:
        desk = _DESKS[id(bench)] = Desk(bench)
    return desk


class Desk:
    def __init__(self, bench: Bench) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        os.environ.setdefault("CRM_DATA_DIR", str(bench.workdir / "desk-data"))
        self._app = application()
        self.runner = TaskRunner(bench.database())
        settings = QSettings(str(bench.workdir / "desk.ini"), QSettings.Format.IniFormat)
        self.window = MainWindow(self.runner, settings, remember_layout=False)
        self.window.navigation.setCurrentRow(list(self.window.sections).index("customers"))
        self.pane = self.window.customers.list_pane
        self.model = self.pane.model
        self.window.show()
        self._wait_until_painted(idle=True)
        bench.at_close(self.close)

    def close(self) -> None:
        self.window.close()
        self.runner.shutdown()

    def type_and_wait(self, before: str, key: str) -> float:
        """Seconds from the search for ``before + key`` starting to its rows painted."""
        box = self.pane.search_box
        box.setText(before)
        self.pane.apply_filters()
        self._wait_until_painted(idle=True)
        QTest.keyClicks(box, key)  # starts the debounce timer …
        began = time.perf_counter()
        self.pane.apply_filters()  # … and this is what it runs when it fires
        return self._wait_until_painted(idle=False) - began

    def listed_ids(self) -> list[int]:
        rows = range(self.model.rowCount())
        return [i for i in map(self.model.customer_id, rows) if i is not None]

    def rows_ready(self, idle: bool) -> bool:
        """The matches have arrived and so have the cells of the first row (if any)."""
        if self.model.loading or (idle and self.runner.busy):
            return False
        first = self.model.customer_id(0)
        return first is None or self.model.cached_name(first) is not None

    def _wait_until_painted(self, idle: bool) -> float:
        """Run the event loop until the table has painted the current matches; returns when."""
        loop = QEventLoop()
        watcher = PaintWatcher(self, loop, idle)
        QTimer.singleShot(WAIT_LIMIT_MS, loop.quit)
        viewport = self.pane.table.viewport()
        viewport.installEventFilter(watcher)
        nudge = QTimer()  # settling (untimed): the last task may change nothing on screen
        nudge.timeout.connect(viewport.update)
        if idle:
            viewport.update()
            nudge.start(5)
        loop.exec()
        nudge.stop()
        viewport.removeEventFilter(watcher)
        if watcher.painted_at is None:
            raise TimeoutError("the customer list did not show the search results")
        return watcher.painted_at


class PaintWatcher(QObject):
    """Notes when the first paint that shows rows of the current matches is done."""

    def __init__(self, desk: Desk, loop: QEventLoop, idle: bool) -> None:
        super().__init__()
        self._desk = desk
        self._loop = loop
        self._idle = idle
        self.painted_at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.painted_at is not None or event.type() != QEvent.Type.Paint:
            return False
        if not self._desk.rows_ready(self._idle):
            return False
        watched.removeEventFilter(self)
        QCoreApplication.sendEvent(watched, event)  # paint now, so the time is after painting
        self.painted_at = time.perf_counter()
        self._loop.quit()
        return True
