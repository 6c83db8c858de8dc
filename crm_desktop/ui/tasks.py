"""The single database worker: every database call from the window runs here, off the GUI thread.

``submit(operation, on_done, on_error)`` runs ``operation(session)`` inside one transaction on the
worker thread and calls the callbacks back on the GUI thread. When a result carries ``changes``
(see services.changes.Changes) the runner broadcasts them on ``changed`` so views can refresh.
Tests use :class:`SyncTaskRunner`, which does the same work at once on the calling thread.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from crm_desktop.services.changes import Changes
from crm_desktop.services.database import Database

Operation = Callable[[Any], Any]  # takes a Session; the ui layer does not name SQLAlchemy types
Done = Callable[[Any], None]
Failed = Callable[[Exception], None]


@dataclass
class Task:
    """A submitted operation. ``cancel()`` is honoured by operations that poll ``cancelled``."""

    id: int
    operation: Operation
    on_done: Done | None
    on_error: Failed | None
    _cancel: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


def _changes_of(result: Any) -> Changes | None:
    """What a finished operation changed: its result, or the result's ``changes``."""
    if isinstance(result, Changes):
        return result
    changes = getattr(result, "changes", None)
    return changes if isinstance(changes, Changes) else None


class _Worker(QObject):
    finished = Signal(object, object, object)  # task, result, error

    def __init__(self, database: Database) -> None:
        super().__init__()
        self._database = database

    @Slot(object)
    def run(self, task: Task) -> None:
        if task.cancelled:  # still reported, so the runner's busy count comes down
            self.finished.emit(task, None, None)
            return
        try:
            result = self._database.run(task.operation)
        except Exception as error:  # reported to the GUI thread, which decides what to show
            self.finished.emit(task, None, error)
        else:
            self.finished.emit(task, result, None)


class TaskRunner(QObject):
    """Queues operations for one worker thread; callbacks arrive on the GUI thread."""

    changed = Signal(object)  # Changes
    busy_changed = Signal(bool)
    failed = Signal(object)  # an error no callback handled
    _submit = Signal(object)

    def __init__(self, database: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._ids = itertools.count(1)
        self._pending = 0
        self._thread = QThread()
        self._thread.setObjectName("database-worker")
        self._worker = _Worker(database)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.finished.connect(self._finish)
        self._thread.start()

    def submit(
        self, operation: Operation, on_done: Done | None = None, on_error: Failed | None = None
    ) -> Task:
        task = Task(next(self._ids), operation, on_done, on_error)
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._submit.emit(task)
        return task

    @property
    def busy(self) -> bool:
        return self._pending > 0

    @Slot(object, object, object)
    def _finish(self, task: Task, result: Any, error: Exception | None) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        deliver(self, task, result, error)

    def shutdown(self) -> None:
        self._thread.quit()
        self._thread.wait()


class SyncTaskRunner(QObject):
    """Same interface, run at once on the calling thread: for tests and command-line use."""

    changed = Signal(object)
    busy_changed = Signal(bool)
    failed = Signal(object)

    def __init__(self, database: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._ids = itertools.count(1)
        self.busy = False

    def submit(
        self, operation: Operation, on_done: Done | None = None, on_error: Failed | None = None
    ) -> Task:
        task = Task(next(self._ids), operation, on_done, on_error)
        try:
            result = self.database.run(operation)
        except Exception as error:
            deliver(self, task, None, error)
        else:
            deliver(self, task, result, None)
        return task

    def shutdown(self) -> None:
        pass


def deliver(
    runner: TaskRunner | SyncTaskRunner, task: Task, result: Any, error: Exception | None
) -> None:
    """Hand a finished task to its callbacks and broadcast what it changed."""
    if error is not None:
        if task.on_error is not None:
            task.on_error(error)
        else:
            runner.failed.emit(error)
        return
    if task.on_done is not None and not task.cancelled:
        task.on_done(result)
    changes = _changes_of(result)
    if changes is not None:
        runner.changed.emit(changes)
