"""The notice on start: how many touchpoints are due today, in the status bar and the tray.

Never a dialog: start-up must not wait for a click. The tray notification is only given
where the platform has a tray.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow, QSystemTrayIcon

from crm_desktop import APP_NAME
from crm_desktop.services.agenda_data import Agenda
from crm_desktop.ui.agenda_model import due_today_text
from crm_desktop.ui.today_section import TodaySection

NOTICE_MS = 20_000  # longer than other status messages: it is the first thing to read


class StartNotice(QObject):
    """Announces the first agenda the Today section loads, once."""

    def __init__(self, window: QMainWindow, today: TodaySection) -> None:
        super().__init__(window)
        self._window = window
        self.text: str | None = None
        self.tray: QSystemTrayIcon | None = None
        today.loaded.connect(self._loaded)

    def _loaded(self, agenda: Agenda) -> None:
        if self.text is not None:
            return
        self.text = due_today_text(agenda)
        self._window.statusBar().showMessage(self.text, NOTICE_MS)
        if agenda.due_today and QSystemTrayIcon.isSystemTrayAvailable():
            self._notify_tray(self.text)

    def _notify_tray(self, text: str) -> None:
        from PySide6.QtWidgets import QStyle  # its Python type costs ~5 ms: only with a tray

        icon = self._window.windowIcon()
        if icon.isNull():
            icon = self._window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        self.tray = QSystemTrayIcon(icon, self)
        self.tray.setToolTip(APP_NAME)
        self.tray.messageClicked.connect(self._raise_window)
        self.tray.activated.connect(lambda _reason: self._raise_window())
        self.tray.show()
        self.tray.showMessage(APP_NAME, text, icon, NOTICE_MS)
        QTimer.singleShot(NOTICE_MS, self.tray.hide)

    def _raise_window(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()
