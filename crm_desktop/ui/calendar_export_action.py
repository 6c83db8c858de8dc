"""File → Export Calendar: birthdays and anniversaries as an iCalendar file, made on the worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from crm_desktop.i18n import _, ngettext
from crm_desktop.services.calendar_export import CalendarExportResult, export_ics
from crm_desktop.ui.list_formats import whole_number
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

DEFAULT_NAME = "kanta-dates.ics"


def default_path() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder or Path.home()) / DEFAULT_NAME


def export_calendar(
    parent: QWidget, runner: TaskRunner | SyncTaskRunner, show_message: Callable[[str], None]
) -> None:
    """Ask where to save, then export; an error goes to the runner's ``failed`` (one dialog)."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, _("Export Calendar"), str(default_path()), _("iCalendar files (*.ics)")
    )
    if not chosen:
        return
    path = Path(chosen)
    if not path.suffix:
        path = path.with_suffix(".ics")
    show_message(_("Exporting the calendar…"))
    runner.submit(
        lambda session: export_ics(session, path),
        lambda result: show_message(exported_text(result)),
    )


def exported_text(result: CalendarExportResult) -> str:
    return ngettext(
        "Exported {count} date to {path}.", "Exported {count} dates to {path}.", result.events
    ).format(count=whole_number(result.events), path=result.path)
