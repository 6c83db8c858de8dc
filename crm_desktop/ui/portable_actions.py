"""File → Import / Export Customers: the Kanta JSON file, read and written on the worker.

Both can take minutes with a large customer base: a progress dialog follows the worker, and
its Cancel stops the run with nothing kept (no customer imported, no file written).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from crm_desktop.i18n import _, ngettext
from crm_desktop.services.portable import (
    ExportResult,
    ImportReport,
    Progress,
    ServiceError,
    Stopped,
    export_json,
    import_json,
)
from crm_desktop.ui.list_formats import whole_number
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

FILE_FILTER = "Kanta (*.json)"
PROBLEMS_SHOWN = 15
ShowMessage = Callable[[str], None]


class RunProgress(QObject):
    """A progress dialog for one run on the worker; ``report`` is its progress callback.

    ``report`` runs on the worker thread: it only emits a (queued) signal and reads the
    Cancel flag, which the dialog sets on the GUI thread.
    """

    advanced = Signal(int, int)  # done, total

    def __init__(self, parent: QWidget, title: str, text: str) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self.dialog = QProgressDialog(text, _("Cancel"), 0, 0, parent)
        self.dialog.setObjectName("portableProgress")
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)  # a small file is done before it would show
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self._stop.set)
        self.advanced.connect(self._advance)

    def report(self, done: int, total: int) -> bool:
        if self._stop.is_set():
            return False
        self.advanced.emit(done, total)
        return True

    def _advance(self, done: int, total: int) -> None:
        if self.dialog.wasCanceled():  # a report queued before Cancel would show it again
            return
        if self.dialog.maximum() != total:
            self.dialog.setMaximum(total)
        self.dialog.setValue(done)

    def finish(self) -> None:
        self.dialog.close()
        self.dialog.deleteLater()
        self.deleteLater()


def _documents() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder or Path.home())


def export_customers(
    parent: QWidget, runner: TaskRunner | SyncTaskRunner, show_message: Callable[[str], None]
) -> None:
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, _("Export Customers"), str(_documents() / "kanta-customers.json"), FILE_FILTER
    )
    if not chosen:
        return
    path = Path(chosen) if Path(chosen).suffix else Path(chosen).with_suffix(".json")
    show_message(_("Exporting customers…"))
    run = RunProgress(parent, _("Export Customers"), _("Exporting customers…"))

    def exported(result: ExportResult) -> None:
        run.finish()
        show_message(ngettext(
            "Exported {count} customer to {path}.", "Exported {count} customers to {path}.",
            result.customers,
        ).format(count=whole_number(result.customers), path=path))

    report: Progress = run.report
    runner.submit(
        lambda session: export_json(session, path, report),
        exported,
        lambda error: _failed(parent, run, error, show_message),
    )


def import_customers(
    parent: QWidget, runner: TaskRunner | SyncTaskRunner, show_message: Callable[[str], None]
) -> None:
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, _("Import Customers"), str(_documents()), FILE_FILTER
    )
    if not chosen:
        return
    path = Path(chosen)
    show_message(_("Importing customers…"))
    run = RunProgress(parent, _("Import Customers"), _("Importing customers…"))

    def imported(report: ImportReport) -> None:
        run.finish()
        _imported(parent, report, show_message)

    progress: Progress = run.report
    runner.submit(
        lambda session: import_json(session, path, progress=progress),
        imported,
        lambda error: _failed(parent, run, error, show_message),
    )


def _failed(parent: QWidget, run: RunProgress, error: Exception, show_message: ShowMessage) -> None:
    """Stopped by the owner: a status message; anything else: one dialog."""
    title = run.dialog.windowTitle()
    run.finish()
    if isinstance(error, Stopped):
        show_message(str(error))
        return
    message = str(error) if isinstance(error, ServiceError) else _(
        "The action could not be completed: {reason}").format(reason=error)
    QMessageBox.warning(parent, title, message)


def _imported(parent: QWidget, report: ImportReport, show_message: Callable[[str], None]) -> None:
    summary = ngettext(
        "Imported {count} customer.", "Imported {count} customers.", report.imported
    ).format(count=whole_number(report.imported))
    show_message(summary)
    if not report.problems:
        return
    lines = [
        _("Record {index}: {message}").format(index=p.index, message=p.message)
        for p in report.problems[:PROBLEMS_SHOWN]
    ]
    hidden = len(report.problems) - PROBLEMS_SHOWN
    if hidden > 0:
        lines.append(ngettext("…and {count} more.", "…and {count} more.", hidden).format(
            count=hidden))
    box = QMessageBox(QMessageBox.Icon.Warning, _("Import Customers"), summary, parent=parent)
    box.setObjectName("importProblems")
    box.setInformativeText(ngettext(
        "{count} record was not imported:", "{count} records were not imported:",
        len(report.problems),
    ).format(count=whole_number(len(report.problems))))
    box.setDetailedText("\n".join(lines))
    box.exec()
