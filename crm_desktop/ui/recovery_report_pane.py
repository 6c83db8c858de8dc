"""The recovery report: complaints of a period, resolved how, at what cost, who came back."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from babel.numbers import format_percent
from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import N_, _, current_language, format_money, format_number
from crm_desktop.services.complaint_data import REMEDY_LABELS, RecoveryReport
from crm_desktop.services.complaints import recovery_report
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.settings import load_settings
from crm_desktop.ui.bar_chart import Bar, BarChart
from crm_desktop.ui.complaint_dialogs import date_edit
from crm_desktop.ui.form_widgets import ErrorLabel, from_qdate, section_title, to_qdate
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

PRESETS: tuple[tuple[str, str], ...] = (
    ("30", N_("Last 30 days")),
    ("90", N_("Last 3 months")),
    ("year", N_("This year")),
    ("last_year", N_("Last year")),
    ("custom", N_("Chosen dates")),
)
DEFAULT_PRESET = "90"


def preset_period(key: str, today: date) -> tuple[date, date] | None:
    if key in ("30", "90"):
        return today - timedelta(days=int(key) - 1), today
    if key == "year":
        return date(today.year, 1, 1), today
    if key == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return None


def build_report(session: Any, since: date, until: date) -> tuple[RecoveryReport, str]:
    return recovery_report(session, since, until), load_settings(session).currency


class RecoveryReportPane(QWidget):
    def __init__(
        self, runner: TaskRunner | SyncTaskRunner, parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryReport")
        self._runner = runner
        self._request = 0
        self.today = today or date.today()
        self.report: RecoveryReport | None = None
        self.values: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_period())
        layout.addWidget(self.error)
        body = QHBoxLayout()
        body.addLayout(self._build_figures(), 2)
        body.addLayout(self._build_chart(), 3)
        layout.addLayout(body, 1)
        self._apply_preset()  # loaded when the report is first shown

    def _build_period(self) -> QHBoxLayout:
        self.preset = QComboBox()
        self.preset.setAccessibleName(_("Period"))
        for key, title in PRESETS:
            self.preset.addItem(_(title), key)
        self.preset.setCurrentIndex(self.preset.findData(DEFAULT_PRESET))
        self.since = date_edit(self.today)
        self.until = date_edit(self.today)
        self.error = ErrorLabel(self.since)
        row = QHBoxLayout()
        for text, widget in ((_("&Period"), self.preset), (_("&From"), self.since),
                             (_("t&o"), self.until)):
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            row.addWidget(label)
            row.addWidget(widget)
        row.addStretch(1)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.since.dateChanged.connect(self._dates_edited)
        self.until.dateChanged.connect(self._dates_edited)
        return row

    def _build_figures(self) -> QVBoxLayout:
        form = QFormLayout()
        rows = (
            ("complaints", _("Complaints received")),
            ("open", _("Still open")),
            ("resolved", _("Resolved, follow-up to do")),
            ("closed", _("Followed up")),
            ("cost", _("Compensation given")),
            ("customers", _("Customers who complained")),
            ("came_back", _("Came back afterwards")),
        )
        for key, text in rows:
            value = QLabel()
            value.setObjectName(f"report_{key}")
            value.setAccessibleName(text)
            form.addRow(text, value)
            self.values[key] = value
        column = QVBoxLayout()
        column.addWidget(section_title(_("Complaints and what became of them")))
        column.addLayout(form)
        self.came_back_note = QLabel(_("A customer came back when a visit was logged on a "
                                       "later day than their last complaint of the period."))
        self.came_back_note.setWordWrap(True)
        column.addWidget(self.came_back_note)
        column.addStretch(1)
        return column

    def _build_chart(self) -> QVBoxLayout:
        self.chart = BarChart(_("No complaint of this period has been resolved."))
        self.chart.setObjectName("remedyChart")
        self.chart.setAccessibleName(_("Complaints by remedy"))
        column = QVBoxLayout()
        column.addWidget(section_title(_("Resolved how")))
        column.addWidget(self.chart, 1)
        return column

    # Loading ----------------------------------------------------------------------------------

    def _preset_chosen(self) -> None:
        if self._apply_preset():
            self.load()

    def _apply_preset(self) -> bool:
        period = preset_period(str(self.preset.currentData()), self.today)
        if period is None:
            return False
        for edit, value in zip((self.since, self.until), period, strict=True):
            edit.blockSignals(True)
            edit.setDate(to_qdate(value))
            edit.blockSignals(False)
        return True

    def _dates_edited(self, _value: QDate) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData("custom"))
        self.preset.blockSignals(False)
        self.load()

    def load(self) -> None:
        since, until = from_qdate(self.since.date()), from_qdate(self.until.date())
        self._request += 1
        request = self._request
        self._runner.submit(
            lambda session: build_report(session, since, until),
            lambda answer: self._arrived(request, *answer),
            lambda error: self._failed(request, error),
        )

    def _arrived(self, request: int, report: RecoveryReport, currency: str) -> None:
        if request != self._request:
            return
        self.error.clear_message()
        self.report = report
        number = format_number
        self.values["complaints"].setText(number(report.complaints))
        self.values["open"].setText(number(report.open))
        self.values["resolved"].setText(number(report.resolved))
        self.values["closed"].setText(number(report.closed))
        self.values["cost"].setText(format_money(report.total_compensation_cents, currency))
        self.values["customers"].setText(number(report.customers))
        self.values["came_back"].setText(self._came_back_text(report))
        bars = [Bar(_(REMEDY_LABELS[remedy]), count) for remedy, count in report.by_remedy]
        self.chart.set_bars(bars if any(count for _r, count in report.by_remedy) else [],
                            ", ".join(_("{label}: {count}").format(label=bar.label, count=bar.value)
                                      for bar in bars))

    @staticmethod
    def _came_back_text(report: RecoveryReport) -> str:
        share = report.came_back_share
        if share is None:
            return format_number(report.came_back)
        return _("{count} ({share})").format(
            count=format_number(report.came_back),
            share=format_percent(share, locale=current_language()))

    def _failed(self, request: int, error: Exception) -> None:
        if request != self._request:
            return
        if isinstance(error, ValidationError):
            self.error.show_message(" ".join(error.fields.values()))
        else:
            self.error.show_message(str(error))
