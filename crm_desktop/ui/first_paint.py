"""Run something once the window has painted what the worker first read for it.

Start-up work that is out of sight (other desks, the customer card) must not compete with
the desk in view for the worker or the interpreter. It waits until the worker has answered
everything asked so far and the window has painted once more with those answers; a timer
bounds the wait in case nothing is painted (a minimised window).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

LONGEST_WAIT_MS = 3000


class _AfterFirstPaint(QObject):
    def __init__(
        self, window: QWidget, runner: TaskRunner | SyncTaskRunner, then: Callable[[], None]
    ) -> None:
        super().__init__(window)
        self._window = window
        self._runner = runner
        self._then: Callable[[], None] | None = then
        self._watching = False
        QTimer.singleShot(LONGEST_WAIT_MS, self, self._run)
        if runner.busy:
            runner.busy_changed.connect(self._busy_changed)
        else:
            self._watch_paints()

    def _busy_changed(self, busy: bool) -> None:
        if not busy:
            self._runner.busy_changed.disconnect(self._busy_changed)
            self._watch_paints()

    def _watch_paints(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and not self._watching:
            self._watching = True
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            self._stop_watching()
            QTimer.singleShot(0, self, self._run)  # after the whole window has painted
        return False

    def _stop_watching(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and self._watching:
            self._watching = False
            app.removeEventFilter(self)

    def _run(self) -> None:
        then, self._then = self._then, None
        if then is None:
            return
        self._stop_watching()
        then()
        self.deleteLater()


def after_first_paint(
    window: QWidget, runner: TaskRunner | SyncTaskRunner, then: Callable[[], None]
) -> None:
    """Call ``then`` once, after the worker is idle and ``window`` has painted again."""
    _AfterFirstPaint(window, runner, then)
