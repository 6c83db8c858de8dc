"""Composition root: the Qt application, the interface language, the database and the window.

Start-up imports only what the first window needs; desks that print or import load their
modules when first used.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from contextlib import suppress
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QLockFile,
    QObject,
    QTranslator,
    Signal,
)
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from crm_desktop import APP_NAME, __version__
from crm_desktop.i18n import _, set_language
from crm_desktop.models.engine import DatabaseOpenError, parse_url, sqlite_path
from crm_desktop.services.backup import lock_file_path
from crm_desktop.services.database import Database, open_database
from crm_desktop.services.errors import ServiceError
from crm_desktop.services.settings import BusinessSettings, load_settings
from crm_desktop.ui.first_paint import after_first_paint
from crm_desktop.ui.list_formats import QT_LOCALES
from crm_desktop.ui.main_window import MainWindow
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

EXIT_OK, EXIT_FAILED = 0, 1
FIRST_PAINT_ENV = "CRM_BENCH_FIRST_PAINT"  # benchmarks: report the first painted rows, quit
# How long closing Kanta waits for a daily backup still being written.
BACKUP_EXIT_WAIT_S = 20.0


def application() -> QApplication:
    """The running QApplication, created on first use with the names QSettings files use."""
    existing = QCoreApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    return app


def install_qt_translations(app: QApplication, language: str) -> QTranslator | None:
    """Qt's own texts (standard buttons such as "Peru", "Tallenna") in the interface language,
    and Qt's number formats with it (a decimal comma in spin boxes)."""
    QLocale.setDefault(QLocale(QT_LOCALES.get(language, "en_GB")))
    if language == "en":
        return None
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{language}", folder):
        return None
    app.installTranslator(translator)
    return translator


class _BackupNotice(QObject):
    """Carries a failure of the backup thread to the GUI thread (a queued signal)."""

    failed = Signal(str)


def start_daily_backup(runner: TaskRunner, window: MainWindow) -> threading.Thread | None:
    """Once a day, a backup of the SQLite file on a thread of its own, after the window painted.

    Not on the database worker: copying and checking a large file takes seconds, and the
    desks' first searches would wait behind it. The backup uses its own SQLite connections.
    A failure is a status-bar notice, never a dialog at start-up.
    """
    path = runner.database.path
    if path is None:
        return None
    notice = _BackupNotice(window)
    notice.failed.connect(window.statusBar().showMessage)

    def backup() -> None:
        from crm_desktop.services.backup_schedule import daily_backup

        try:
            daily_backup(path)
        except Exception as error:  # a notice, not a crash of the thread
            message = _("The daily backup failed: {reason}").format(reason=error)
            with suppress(RuntimeError):  # the window is already gone
                notice.failed.emit(message)

    # A daemon: an exit that outwaits BACKUP_EXIT_WAIT_S leaves at most a temporary file,
    # never a half-written backup under a backup's name.
    thread = threading.Thread(target=backup, name="daily-backup", daemon=True)
    thread.start()
    return thread


class AlreadyOpen(Exception):
    """Another Kanta holds the lock of this database file."""


def acquire_lock(url: str) -> QLockFile | None:
    """Hold the one-instance lock of an SQLite file (PostgreSQL serves many desks: None)."""
    path = sqlite_path(parse_url(url))
    if path is None:
        return None
    lock = QLockFile(str(lock_file_path(path)))
    lock.setStaleLockTime(0)  # a long session must not look stale; a dead owner still does
    if not lock.tryLock(0):
        raise AlreadyOpen(_("Kanta is already open on this database."))
    return lock


def _complain(message: str) -> int:
    QMessageBox.critical(None, APP_NAME, message)
    return EXIT_FAILED


def run_gui(url: str, language: str | None) -> int:
    """Open the window on a database; returns the process exit code."""
    app = application()
    explicit = language or os.environ.get("CRM_LANGUAGE") or None
    set_language(explicit)  # for any message before the business settings are read
    try:
        lock = acquire_lock(url)
    except (AlreadyOpen, DatabaseOpenError) as error:
        return _complain(str(error))
    try:
        database = open_database(url)
    except (DatabaseOpenError, ServiceError) as error:  # e.g. the pre-migration backup failed
        return _complain(str(error))
    else:
        runner = TaskRunner(database)
        try:
            return _show_window(app, runner, explicit)
        finally:
            runner.shutdown()
            database.dispose()
    finally:
        if lock is not None:
            lock.unlock()


def _show_window(app: QApplication, runner: TaskRunner, explicit: str | None) -> int:
    """Read the business settings on the worker, then build the window in their language."""
    started: list[QObject] = []  # the window and Qt's translator live until the loop ends
    backups: list[threading.Thread] = []

    def start(settings: BusinessSettings) -> None:
        code = set_language(explicit or settings.language or None)
        translator = install_qt_translations(app, code)
        if translator is not None:
            started.append(translator)
        try:
            window = MainWindow(runner)
        except Exception as error:  # without a window the loop would wait forever
            fail(_("The window cannot be opened: {reason}").format(reason=error))
            return
        started.append(window)
        if os.environ.get(FIRST_PAINT_ENV):
            started.append(FirstRowsPainted(window))  # before showing: it opens on the list
        window.show()  # the desks load now, the one in view first

        def back_up() -> None:
            backup = start_daily_backup(runner, window)
            if backup is not None:
                backups.append(backup)

        # Copying the file competes with the first paint for the disk and the interpreter.
        after_first_paint(window, runner, back_up)

    def fail(message: str) -> None:
        _complain(message)
        app.exit(EXIT_FAILED)

    def settings_failed(error: Exception) -> None:
        fail(_("The settings cannot be read: {reason}").format(reason=error))

    runner.submit(load_settings, start, settings_failed)
    previous_locale = QLocale()
    try:
        return app.exec()
    finally:
        QLocale.setDefault(previous_locale)
        for backup in backups:  # finish a backup in progress while its database is locked
            backup.join(BACKUP_EXIT_WAIT_S)
        for thing in started:
            if isinstance(thing, QTranslator):
                app.removeTranslator(thing)


class FirstRowsPainted(QObject):
    """Benchmarks (CRM_BENCH_FIRST_PAINT): open on the customer list; once its table has painted
    rows from the database, print ``first-rows <time.time()> <VmRSS kB> <VmHWM kB>`` and quit.

    It chooses the Customers desk before the window shows, as the owner's own choice would at
    that moment; everything else is the ordinary start: the desk in view loads first, Today's
    agenda is computed behind it (for the notice on start).
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        window.navigation.setCurrentRow(list(window.sections).index("customers"))
        self._model = window.customers.list_pane.model
        window.customers.list_pane.table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        first = self._model.customer_id(0)
        if event.type() != QEvent.Type.Paint or self._model.loading or first is None:
            return False
        if self._model.cached_name(first) is None:
            return False
        watched.removeEventFilter(self)
        QCoreApplication.sendEvent(watched, event)  # paint now, so the time is after painting
        status = Path("/proc/self/status").read_text(encoding="ascii")
        found = [re.search(rf"^{key}:\s+(\d+)", status, re.M) for key in ("VmRSS", "VmHWM")]
        kilobytes = [match.group(1) if match else "0" for match in found]
        print("first-rows", f"{time.time():.6f}", *kilobytes, flush=True)
        QCoreApplication.exit(EXIT_OK)
        return True


def build_self_test_window(database: Database) -> QWidget:
    """The main window over a synchronous runner, for ``crm-desktop self-test``."""
    application()
    window = MainWindow(SyncTaskRunner(database), remember_layout=False)
    window.refresh()  # the desks read the database although the window is not shown
    return window
