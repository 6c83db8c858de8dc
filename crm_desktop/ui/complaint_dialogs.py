"""Registering a complaint and recording how its follow-up went.

Both dialogs open without blocking (``open()``); the service call runs on the worker and the
dialog closes once it succeeded. A refused input is shown under the field it concerns.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, format_date
from crm_desktop.services.complaint_data import (
    COMPLAINT_CHANNELS,
    SEVERITY_LABELS,
    ComplaintInput,
    ComplaintRow,
    SavedComplaint,
)
from crm_desktop.services.complaints import record_follow_up, register_complaint
from crm_desktop.services.errors import NotFound, ValidationError
from crm_desktop.services.favourites import ProductRow, list_products
from crm_desktop.ui.card_dialogs import show_error
from crm_desktop.ui.complaints_model import remedy_text
from crm_desktop.ui.customer_picker import CustomerPicker
from crm_desktop.ui.form_widgets import (
    ErrorLabel,
    add_labelled_row,
    from_qdate,
    qt_date_format,
    to_qdate,
)
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

Runner = TaskRunner | SyncTaskRunner
DEFAULT_SEVERITY = 2
TEXT_ROWS = 4


def text_box(rows: int = TEXT_ROWS) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * rows + 12)
    return box


def date_edit(value: date) -> QDateEdit:
    edit = QDateEdit(to_qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(qt_date_format())
    return edit


def show_field_errors(
    errors: dict[str, ErrorLabel], problem: ValidationError, fallback: str
) -> None:
    """Each message under its field; one without a field goes under ``fallback``."""
    for key, message in problem.fields.items():
        errors.get(key, errors[fallback]).show_message(message)


class RegisterComplaintDialog(QDialog):
    """Who complained, when and how, about what, how badly, and who took it."""

    def __init__(
        self, runner: Runner, customer: tuple[int, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("registerComplaintDialog")
        self.setWindowTitle(_("Register complaint"))
        self._runner = runner
        self.customer_id = customer[0] if customer else None
        self.saved: SavedComplaint | None = None
        self.errors: dict[str, ErrorLabel] = {}
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_form(customer))
        layout.addWidget(self._build_buttons())
        self.resize(520, 0)
        runner.submit(list_products, self._products_arrived, lambda _error: None)
        (self.description if customer else self.picker).setFocus()

    def _build_form(self, customer: tuple[int, str] | None) -> QFormLayout:
        form = QFormLayout()
        self.picker = CustomerPicker(self._runner, _("Customer"))
        self.picker.picked.connect(self._picked)
        self.picker.line.textEdited.connect(self._customer_edited)
        if customer:
            self.picker.line.setText(customer[1])
        self.received = date_edit(date.today())
        self.received.setMaximumDate(QDate.currentDate())
        self.channel = QComboBox()
        for key, label in COMPLAINT_CHANNELS.items():
            self.channel.addItem(_(label), key)
        self.product = QComboBox()
        self.product.addItem(_("(no particular product)"), None)
        self.description = text_box()
        self.severity = QComboBox()
        for level, label in SEVERITY_LABELS.items():
            self.severity.addItem(_(label), level)
        self.severity.setCurrentIndex(self.severity.findData(DEFAULT_SEVERITY))
        self.staff = QLineEdit()
        rows = (
            ("customer", _("C&ustomer"), self.picker, self.picker.line),
            ("received_on", _("&Received on"), self.received, None),
            ("channel", _("C&hannel"), self.channel, None),
            ("product_id", _("&Product"), self.product, None),
            ("description", _("&What went wrong"), self.description, None),
            ("severity", _("S&everity"), self.severity, None),
            ("staff", _("&Taken by"), self.staff, None),
        )
        for key, text, field, focus in rows:
            _label, self.errors[key] = add_labelled_row(form, text, field, focus)
        return form

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.register_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.register_button.setText(_("&Register"))
        buttons.accepted.connect(self.register)
        buttons.rejected.connect(self.reject)
        return buttons

    def _products_arrived(self, products: list[ProductRow]) -> None:
        for product in products:
            self.product.addItem(product.name, product.id)

    def _picked(self, customer_id: int, _name: str) -> None:
        self.customer_id = customer_id
        self.errors["customer"].clear_message()

    def _customer_edited(self, _text: str) -> None:
        self.customer_id = None  # typing again means choosing again

    def collect(self) -> ComplaintInput | None:
        if self.customer_id is None:
            self.errors["customer"].show_message(
                _("Choose the customer who complained from the matches."))
            return None
        return ComplaintInput(
            customer_id=self.customer_id,
            received_on=from_qdate(self.received.date()),
            channel=self.channel.currentData(),
            description=self.description.toPlainText(),
            severity=self.severity.currentData(),
            product_id=self.product.currentData(),
            staff=self.staff.text(),
        )

    def register(self) -> None:
        for error in self.errors.values():
            error.clear_message()
        data = self.collect()
        if data is None:
            return
        self.register_button.setEnabled(False)
        self._runner.submit(
            lambda session: register_complaint(session, data), self._registered, self._failed
        )

    def _registered(self, saved: SavedComplaint) -> None:
        self.saved = saved
        self.register_button.setEnabled(True)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.register_button.setEnabled(True)
        if isinstance(error, ValidationError):
            show_field_errors(self.errors, error, "description")
        elif isinstance(error, NotFound):
            self.errors["customer"].show_message(str(error))
        else:
            show_error(self, error)


class FollowUpDialog(QDialog):
    """How the customer felt when we got back to them; the complaint is then closed."""

    def __init__(self, runner: Runner, complaint: ComplaintRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("followUpDialog")
        self.setWindowTitle(_("Record follow-up"))
        self._runner = runner
        self.complaint = complaint
        self.saved: SavedComplaint | None = None
        summary = QLabel(self._summary())
        summary.setWordWrap(True)
        self.outcome = text_box()
        self.staff = QLineEdit()
        form = QFormLayout()
        _label, outcome_error = add_labelled_row(form, _("&How it went"), self.outcome)
        _label, staff_error = add_labelled_row(form, _("&Followed up by"), self.staff)
        self.errors = {"outcome": outcome_error, "staff": staff_error}
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(480, 0)
        self.outcome.setFocus()

    def _summary(self) -> str:
        row = self.complaint
        parts = [_("{customer} complained on {date}.").format(
            customer=row.customer_name, date=format_date(row.received_on))]
        if row.remedy:
            parts.append(_("Remedy: {remedy}.").format(remedy=remedy_text(row)))
        return " ".join(parts)

    def save(self) -> None:
        for error in self.errors.values():
            error.clear_message()
        complaint_id, outcome, staff = self.complaint.id, self.outcome.toPlainText(), (
            self.staff.text())
        self.save_button.setEnabled(False)
        self._runner.submit(
            lambda session: record_follow_up(session, complaint_id, outcome, staff),
            self._saved, self._failed,
        )

    def _saved(self, saved: SavedComplaint) -> None:
        self.saved = saved
        self.save_button.setEnabled(True)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            show_field_errors(self.errors, error, "outcome")
        else:
            show_error(self, error)
