"""The Complaints desk: the list with its filters, the steps of service recovery, the report.

A complaint is registered, then resolved (remedy, apology letter, follow-up date), then
followed up. Double-click or Enter on a row takes the next step. The list loads when the
desk is first shown and again after changes while it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QByteArray, QModelIndex, QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import N_, _, ngettext
from crm_desktop.services.changes import Changes
from crm_desktop.services.complaint_data import ComplaintFilter, ComplaintRow
from crm_desktop.services.complaints import list_complaints
from crm_desktop.services.settings import load_settings
from crm_desktop.ui.card_dialogs import show_error
from crm_desktop.ui.complaint_dialogs import FollowUpDialog, RegisterComplaintDialog
from crm_desktop.ui.complaints_model import ComplaintsModel
from crm_desktop.ui.letter_dialog import LetterDialog
from crm_desktop.ui.recovery_report_pane import RecoveryReportPane
from crm_desktop.ui.resolve_dialog import ResolveDialog
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

Runner = TaskRunner | SyncTaskRunner
_RELOAD_KINDS = frozenset({"complaints", "customers", "coupons", "settings", "touchpoints"})
FILTERS: tuple[tuple[str, str], ...] = (
    ("all", N_("All complaints")),
    ("open", N_("Open")),
    ("resolved", N_("Resolved")),
    ("closed", N_("Closed")),
    ("due", N_("Follow-up due")),
)


def complaint_filter(key: str, today: date) -> ComplaintFilter:
    if key == "due":
        return ComplaintFilter(follow_up_due_by=today)
    return ComplaintFilter(status=None if key == "all" else key)


def load_rows(session: Any, filters: ComplaintFilter) -> tuple[list[ComplaintRow], str]:
    return list_complaints(session, filters), load_settings(session).currency


class ComplaintsSection(QWidget):
    customer_requested = Signal(int)
    status_message = Signal(str)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintsSection")
        self._runner = runner
        self._stale = True
        self._request = 0
        self._sized = False  # columns fitted to the first rows (or restored)
        self.dialog: QDialog | None = None  # the step dialog open now, for tests and focus
        self.model = ComplaintsModel(self)
        self.report = RecoveryReportPane(runner)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("complaintTabs")
        self.tabs.addTab(self._build_list_page(), _("Complaints"))
        self.tabs.addTab(self.report, _("Recovery report"))
        self.tabs.currentChanged.connect(lambda _index: self._load_visible())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        runner.changed.connect(self._data_changed)
        self._update_buttons()

    # Building ---------------------------------------------------------------------------------

    def _build_list_page(self) -> QWidget:
        self.filter = QComboBox()
        self.filter.setObjectName("complaintFilter")
        for key, title in FILTERS:
            self.filter.addItem(_(title), key)
        self.filter.currentIndexChanged.connect(lambda _index: self.reload())
        show = QLabel(_("&Show"))
        show.setBuddy(self.filter)
        self.filter.setAccessibleName(_("Show"))
        self.register_button = self._button(_("&New Complaint…"), self.register)
        self.register_button.setToolTip(_("Register a complaint"))
        self.resolve_button = self._button(_("&Resolve…"), self.resolve)
        self.follow_up_button = self._button(_("Record &Follow-up…"), self.follow_up)
        self.letter_button = self._button(_("Apology &Letter…"), self.apology_letter)
        bar = QHBoxLayout()
        bar.addWidget(show)
        bar.addWidget(self.filter)
        bar.addStretch(1)
        for button in (self.register_button, self.resolve_button, self.follow_up_button,
                       self.letter_button):
            bar.addWidget(button)
        self.count = QLabel()
        self.count.setObjectName("complaintCount")
        self.detail = QLabel()
        self.detail.setObjectName("complaintDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(self._build_table(), 1)
        layout.addWidget(self.count)
        layout.addWidget(self.detail)
        return page

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _build_table(self) -> QTableView:
        self.table = QTableView()
        self.table.setObjectName("complaintTable")
        self.table.setAccessibleName(_("Complaints"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._update_buttons())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        return self.table

    # Loading ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._stale = True
        if self.isVisible():
            self._load_visible()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._load_visible()

    def _load_visible(self) -> None:
        self._stale = False
        self.reload()
        if self.tabs.currentWidget() is self.report:
            self.report.load()

    def reload(self) -> None:
        today = date.today()
        filters = complaint_filter(str(self.filter.currentData()), today)
        self._request += 1
        request = self._request
        self._runner.submit(
            lambda session: load_rows(session, filters),
            lambda answer: self._rows_arrived(request, today, *answer),
            lambda error: show_error(self, error),
        )

    def _rows_arrived(
        self, request: int, today: date, rows: list[ComplaintRow], currency: str
    ) -> None:
        if request != self._request:
            return
        kept = self.current()
        self.model.currency = currency
        self.model.set_rows(rows, today)
        if not self._sized and rows:
            self._sized = True
            self.table.resizeColumnsToContents()
        self.count.setText(ngettext("{count} complaint", "{count} complaints", len(rows)).format(
            count=len(rows)))
        row = self.model.row_of(kept.id) if kept is not None else None
        if row is not None:
            self.table.selectRow(row)
        self._update_buttons()

    def _data_changed(self, changes: Changes) -> None:
        if not changes.kinds & _RELOAD_KINDS:
            return
        self._stale = True
        if self.isVisible():
            self._load_visible()

    # The selected complaint -------------------------------------------------------------------

    def current(self) -> ComplaintRow | None:
        index = self.table.currentIndex()
        return self.model.complaint(index.row()) if index.isValid() else None

    def select_complaint(self, complaint_id: int) -> None:
        row = self.model.row_of(complaint_id)
        if row is not None:
            self.table.selectRow(row)

    def _update_buttons(self) -> None:
        row = self.current()
        status = row.status if row is not None else ""
        self.resolve_button.setEnabled(status == "open")
        self.follow_up_button.setEnabled(status == "resolved")
        self.letter_button.setEnabled(status in ("resolved", "closed"))
        self.detail.setText(self._detail_text(row) if row is not None else "")
        self.detail.setVisible(row is not None)

    @staticmethod
    def _detail_text(row: ComplaintRow) -> str:
        lines = [row.description.strip()]
        if row.coupon_code:
            lines.append(_("Coupon: {code}").format(code=row.coupon_code))
        if row.outcome:
            lines.append(_("Follow-up: {outcome}").format(outcome=row.outcome))
        if row.staff:
            lines.append(_("Taken by {name}").format(name=row.staff))
        return "\n".join(lines)

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.complaint(index.row())
        if row is None:
            return
        if row.status == "open":
            self.resolve()
        elif row.status == "resolved":
            self.follow_up()
        else:
            self.customer_requested.emit(row.customer_id)

    def _context_menu(self, point: QPoint) -> None:
        row = self.current()
        if row is None:
            return
        menu = QMenu(self)
        for button in (self.resolve_button, self.follow_up_button, self.letter_button):
            action = menu.addAction(button.text().replace("&", ""), button.click)
            action.setEnabled(button.isEnabled())
        menu.addSeparator()
        customer_id = row.customer_id
        menu.addAction(_("Open Customer Card"), lambda: self.customer_requested.emit(customer_id))
        menu.exec(self.table.viewport().mapToGlobal(point))

    # The steps --------------------------------------------------------------------------------

    def register(self, customer: tuple[int, str] | None = None) -> None:
        dialog = RegisterComplaintDialog(self._runner, customer, self)
        dialog.accepted.connect(lambda: self._registered(dialog))
        self._open(dialog)

    def _registered(self, dialog: RegisterComplaintDialog) -> None:
        if dialog.saved is not None:
            complaint = dialog.saved.complaint
            self.status_message.emit(_("Complaint registered for {name}.").format(
                name=complaint.customer_name))
            self.select_complaint(complaint.id)

    def resolve(self) -> None:
        row = self.current()
        if row is not None and row.status == "open":
            dialog = ResolveDialog(self._runner, row, self)
            dialog.status.connect(self.status_message)
            self._open(dialog)

    def follow_up(self) -> None:
        row = self.current()
        if row is not None and row.status == "resolved":
            dialog = FollowUpDialog(self._runner, row, self)
            dialog.accepted.connect(lambda: self.status_message.emit(
                _("Follow-up recorded for {name}.").format(name=row.customer_name)))
            self._open(dialog)

    def apology_letter(self) -> None:
        row = self.current()
        if row is not None and row.status != "open":
            dialog = LetterDialog(self._runner, row.customer_id, row.customer_name, self,
                                  kind="apology", complaint_id=row.id, coupon_id=row.coupon_id)
            dialog.status.connect(self.status_message)
            self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.destroyed.connect(lambda: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    # Window state -----------------------------------------------------------------------------

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("complaints/columns", self.table.horizontalHeader().saveState())
        settings.setValue("complaints/filter", self.filter.currentData())
        settings.setValue("complaints/tab", self.tabs.currentIndex())

    def restore_state(self, settings: QSettings) -> None:
        columns = settings.value("complaints/columns")
        if isinstance(columns, QByteArray):
            self._sized = self.table.horizontalHeader().restoreState(columns)
        index = self.filter.findData(settings.value("complaints/filter", "all"))
        if index >= 0:
            self.filter.setCurrentIndex(index)
        tab = settings.value("complaints/tab", 0, type=int)
        if isinstance(tab, int) and 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)
