"""File → Import / Export Customers: the Kanta JSON file, read and written on the worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from crm_desktop.i18n import _, ngettext
from crm_desktop.services.portable import ExportResult, ImportReport, export_json, import_json
from crm_desktop.ui.list_formats import whole_number
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

FILE_FILTER = "Kanta (*.json)"
PROBLEMS_SHOWN = 15


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

    def exported(result: ExportResult) -> None:
        show_message(ngettext(
            "Exported {count} customer to {path}.", "Exported {count} customers to {path}.",
            result.customers,
        ).format(count=whole_number(result.customers), path=path))

    runner.submit(lambda session: export_json(session, path), exported)


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
    runner.submit(
        lambda session: import_json(session, path),
        lambda report: _imported(parent, report, show_message),
    )


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
