"""A small dialog asking until which day an agenda item should wait (tomorrow unless changed)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _
from crm_desktop.ui.form_widgets import from_qdate, qt_date_format, to_qdate

MAX_SNOOZE_DAYS = 366


class SnoozeDialog(QDialog):
    """Pick a day after ``today``; :meth:`chosen_date` is read after the dialog is accepted."""

    def __init__(self, what: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("snoozeDialog")
        self.setWindowTitle(_("Snooze"))
        question = QLabel(_("Remind me again about this on:"))
        detail = QLabel(what)
        detail.setWordWrap(True)
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("snoozeUntil")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(qt_date_format())
        self.date_edit.setMinimumDate(to_qdate(today + timedelta(days=1)))
        self.date_edit.setMaximumDate(to_qdate(today + timedelta(days=MAX_SNOOZE_DAYS)))
        self.date_edit.setDate(to_qdate(today + timedelta(days=1)))
        form = QFormLayout()
        label = QLabel(_("&Until"))
        label.setBuddy(self.date_edit)
        self.date_edit.setAccessibleName(_("Snooze until"))
        form.addRow(label, self.date_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Snooze"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(detail)
        layout.addWidget(question)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(320)

    def chosen_date(self) -> date:
        return from_qdate(self.date_edit.date())

    def set_date(self, value: date) -> None:
        self.date_edit.setDate(to_qdate(value))
