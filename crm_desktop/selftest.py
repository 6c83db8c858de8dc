"""``crm-desktop self-test``: check that this installation can store data, draw its window
and print a letter, all in a throw-away folder that is removed afterwards."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from crm_desktop.i18n import _, format_date
from crm_desktop.reports.letter_data import LetterData, Sender

if TYPE_CHECKING:
    from crm_desktop.services.database import Database

T = TypeVar("T")
Echo = Callable[[str], None]


class SelfTestFailure(Exception):
    """A check found a problem; the message says which, in one sentence."""


class _Checks:
    """Runs checks one by one, prints one line for each and remembers any failure."""

    def __init__(self, echo: Echo) -> None:
        self.echo = echo
        self.failed = False

    def run(self, step: str, check: Callable[[], T]) -> T | None:
        try:
            result = check()
        except Exception as error:  # a self-test reports every kind of failure, then goes on
            self.failed = True
            reason = str(error) or type(error).__name__
            self.echo(_("{step}: failed: {reason}").format(step=step, reason=reason))
            return None
        self.echo(_("{step}: ok").format(step=step))
        return result

    def skip(self, step: str, reason: str) -> None:
        self.failed = True
        self.echo(_("{step}: not checked: {reason}").format(step=step, reason=reason))


def run_self_test(echo: Echo) -> int:
    """Run every check; 0 when all pass, 1 otherwise."""
    _prefer_offscreen_platform()
    checks = _Checks(echo)
    with tempfile.TemporaryDirectory(prefix="kanta-self-test-") as folder:
        database = checks.run(_("Database"), lambda: _open_database(Path(folder)))
        if database is None:
            checks.skip(_("Main window"), _("the database did not open."))
        else:
            try:
                checks.run(_("Main window"), lambda: _check_window(database))
            finally:
                database.dispose()  # release the file before the folder is removed
        checks.run(_("Letter PDF"), _check_letter)
    return 1 if checks.failed else 0


def _prefer_offscreen_platform() -> None:
    # Without a display (a server, a CI job, an SSH session) Qt cannot open its usual
    # platform plugin; the offscreen one still draws everything the check needs.
    if sys.platform in ("win32", "darwin"):
        return
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _open_database(folder: Path) -> Database:
    from crm_desktop.services.database import open_database
    from crm_desktop.services.settings import load_settings

    database = open_database("sqlite:///" + (folder / "self-test.sqlite3").as_posix())
    try:
        database.run(load_settings)
    except Exception:
        database.dispose()
        raise
    return database


def _check_window(database: Database) -> None:
    try:
        from crm_desktop.app import build_self_test_window
    except ImportError as error:
        raise SelfTestFailure(
            _("the application module cannot be loaded ({error}).").format(error=error)
        ) from None
    from PySide6.QtWidgets import QApplication

    application = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "kanta"])
    window = build_self_test_window(database)
    try:
        if window.grab().isNull():
            raise SelfTestFailure(_("the main window could not be drawn."))
    finally:
        window.close()
        window.deleteLater()
        application.processEvents()


def _check_letter() -> None:
    from crm_desktop.reports.letter import render_letter

    pdf = render_letter(_sample_letter())
    if not pdf.startswith(b"%PDF"):
        raise SelfTestFailure(_("the letter is not a PDF file."))
    if b"/FontFile2" not in pdf:
        raise SelfTestFailure(_("the letter's fonts were not embedded."))


def _sample_letter() -> LetterData:
    sender = Sender("Kahvila Kanta Oy", "Kauppakatu 1", "00100", "Helsinki",
                    business_id="1234567-8", phone="+358 40 123 4567")
    # Letters outside Latin-1 are what the built-in PDF fonts cannot print.
    return LetterData(
        sender=sender,
        recipient_lines=("Łukasz Żółć", "Rantatie 5", "00100 Helsinki"),
        date_text=format_date(date.today(), "fi", style="long"),
        subject="Testikirje",
        body_paragraphs=("Hyvä Łukasz,", "tämä kirje tarkistaa, että tulostus toimii."),
        closing="Ystävällisin terveisin",
        signature="Kanta",
        language="fi",
    )
