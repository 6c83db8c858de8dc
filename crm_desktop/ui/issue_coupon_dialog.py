"""Issue a coupon: what it gives, until when, why, and for whom; then its code, ready to print.

The form checks only what it alone knows (a customer typed but not chosen); the service checks
the rest and its messages appear next to the fields they are about. After issuing, the
dialog shows the new code and offers the printed coupon in the PDF preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _
from crm_desktop.services.coupon_data import CouponInfo, IssuedCoupon
from crm_desktop.services.coupons import TERMS_MAX_LENGTH, issue_coupon
from crm_desktop.services.errors import ServiceError, ValidationError
from crm_desktop.services.favourites import ProductRow, list_products
from crm_desktop.services.settings import load_settings
from crm_desktop.ui.card_dialogs import show_error
from crm_desktop.ui.coupon_issued_page import IssuedPage
from crm_desktop.ui.coupon_labels import KIND_LABELS, REASON_LABELS
from crm_desktop.ui.coupon_print import CouponPrintRun, print_coupons
from crm_desktop.ui.coupon_value_field import KINDS, VALUE_LABELS, CouponValueField
from crm_desktop.ui.customer_picker import CustomerPicker
from crm_desktop.ui.form_widgets import (
    ErrorLabel,
    add_labelled_row,
    from_qdate,
    qt_date_format,
    to_qdate,
)
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

VALID_MONTHS = 3
DEFAULT_REASON = "campaign"


@dataclass(frozen=True)
class CouponRequest:
    """What the form asks for, in the services' terms."""

    kind: str
    value: int
    product_id: int | None
    expires_on: date | None
    reason: str
    customer_id: int | None
    terms: str


@dataclass(frozen=True)
class _Choices:
    products: list[ProductRow]
    currency: str


def _load_choices(session: Any) -> _Choices:
    return _Choices(list_products(session), load_settings(session).currency)


class IssueCouponDialog(QDialog):
    issued = Signal(object)  # CouponInfo

    def __init__(
        self,
        runner: TaskRunner | SyncTaskRunner,
        customer_id: int | None = None,
        customer_name: str = "",
        parent: QWidget | None = None,
        reason: str = DEFAULT_REASON,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("issueCouponDialog")
        self.setWindowTitle(_("Issue Coupon"))
        self._runner = runner
        self._customer_id = customer_id
        self._currency = "EUR"
        self.coupon: CouponInfo | None = None
        self.print_run: CouponPrintRun | None = None
        self._pages = QStackedWidget()
        self._pages.addWidget(self._build_form(reason))
        self.issued_page = IssuedPage()
        self.issued_page.print_button.clicked.connect(self.print_coupon)
        self._pages.addWidget(self.issued_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self._pages, 1)
        layout.addWidget(self._build_buttons())
        self.issue_button.setDefault(True)  # once inside the dialog, or the dialog picks another
        if customer_id is not None:
            self.customer.line.setText(customer_name)
        self.customer.picked.connect(self._customer_picked)
        self.customer.line.textEdited.connect(self._customer_edited)
        self._kind_chosen(0)
        self.resize(520, self.sizeHint().height())
        runner.submit(_load_choices, self._choices_loaded, lambda _error: None)

    # Building ---------------------------------------------------------------------------------

    def _build_form(self, reason: str) -> QWidget:
        page = QWidget()
        self.form = QFormLayout(page)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.customer = CustomerPicker(self._runner, _("Customer"))
        _label, self.customer_error = add_labelled_row(
            self.form, _("C&ustomer"), self.customer, self.customer.line)
        self.customer.line.setPlaceholderText(_("Anyone: or type a name, phone or email"))
        self.kind = QComboBox()
        self.kind.setObjectName("couponKind")
        for kind in KINDS:
            self.kind.addItem(_(KIND_LABELS[kind]), kind)
        _label, self.kind_error = add_labelled_row(self.form, _("&Kind"), self.kind)
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self.value = CouponValueField()
        self.value_label, self.value_error = add_labelled_row(
            self.form, _(VALUE_LABELS["free_item"]), self.value, self.value.input())
        self.expires_on, self.never_expires = self._expiry_inputs()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.expires_on, 1)
        row.addWidget(self.never_expires)
        expiry = QWidget()
        expiry.setLayout(row)
        _label, self.expires_error = add_labelled_row(
            self.form, _("&Valid until"), expiry, self.expires_on)
        self.reason = QComboBox()
        self.reason.setObjectName("couponReason")
        for key, label in REASON_LABELS.items():
            self.reason.addItem(_(label), key)
        self.reason.setCurrentIndex(max(self.reason.findData(reason), 0))
        _label, self.reason_error = add_labelled_row(self.form, _("&Reason"), self.reason)
        self.terms = QLineEdit()
        self.terms.setObjectName("couponTerms")
        self.terms.setMaxLength(TERMS_MAX_LENGTH)
        self.terms.setPlaceholderText(_("Empty: “Valid once. Show this coupon when you pay.”"))
        _label, self.terms_error = add_labelled_row(self.form, _("&Terms"), self.terms)
        return page

    def _expiry_inputs(self) -> tuple[QDateEdit, QCheckBox]:
        today = to_qdate(date.today())
        edit = QDateEdit(today.addMonths(VALID_MONTHS))
        edit.setObjectName("couponExpires")
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(qt_date_format())
        edit.setMinimumDate(today)
        never = QCheckBox(_("&Never expires"))
        never.setObjectName("couponNeverExpires")
        never.toggled.connect(lambda checked: edit.setEnabled(not checked))
        return edit, never

    def _build_buttons(self) -> QWidget:
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.issue_button = QPushButton(_("Issue &Coupon"))
        self.issue_button.setObjectName("issueCoupon")
        self.general_error = ErrorLabel(self.issue_button)
        self.buttons.addButton(self.issue_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.issue_button.clicked.connect(self.issue)
        self.buttons.rejected.connect(self.reject)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        return box

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in the customer search picks or searches; it must not issue the coupon as well.
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.customer.line.hasFocus():
            event.accept()
            return
        super().keyPressEvent(event)

    # Choices ----------------------------------------------------------------------------------

    def _choices_loaded(self, choices: _Choices) -> None:
        self._currency = choices.currency
        self.value.set_currency(choices.currency)
        self.value.set_products(choices.products, choices.currency)

    def _kind_chosen(self, index: int) -> None:
        kind = KINDS[max(index, 0)]
        self.value.set_kind(kind)
        self.value_label.setText(_(VALUE_LABELS[kind]))
        self.value_label.setBuddy(self.value.input())
        self.value.input().setAccessibleName(_(VALUE_LABELS[kind]).replace("&", ""))

    def _customer_picked(self, customer_id: int, _name: str) -> None:
        self._customer_id = customer_id
        self.customer_error.clear_message()

    def _customer_edited(self, text: str) -> None:
        self._customer_id = None  # a changed name no longer means the customer chosen before
        if not text.strip():
            self.customer_error.clear_message()

    # Issuing ----------------------------------------------------------------------------------

    def request(self) -> CouponRequest | None:
        """The form as a request, or None after marking what is missing."""
        if self._customer_id is None and self.customer.line.text().strip():
            self.customer_error.show_message(
                _("Choose a customer from the list, or leave the field empty."))
            self.customer.line.setFocus()
            self._fit_height()
            return None
        expires = None if self.never_expires.isChecked() else from_qdate(self.expires_on.date())
        return CouponRequest(
            kind=self.value.kind(), value=self.value.value(),
            product_id=self.value.product_id() if self.value.kind() == "free_item" else None,
            expires_on=expires, reason=str(self.reason.currentData()),
            customer_id=self._customer_id, terms=self.terms.text(),
        )

    def issue(self) -> None:
        if self._pages.currentIndex() != 0:
            return
        self._clear_errors()
        request = self.request()
        if request is None:
            return
        self.issue_button.setEnabled(False)
        self._runner.submit(
            lambda session: issue_coupon(
                session, request.kind, request.value, request.expires_on, request.reason,
                request.customer_id, request.product_id, terms=request.terms),
            self._issued,
            self._refused,
        )

    def _issued(self, issued: IssuedCoupon) -> None:
        self.coupon = issued.coupon
        self.issued_page.show_coupon(issued.coupon, self._currency)
        self._pages.setCurrentWidget(self.issued_page)
        self.issue_button.hide()
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Close"))
        self.issued_page.print_button.setDefault(True)
        self.issued_page.print_button.setFocus()
        self.issued.emit(issued.coupon)

    def _refused(self, error: Exception) -> None:
        self.issue_button.setEnabled(True)
        if isinstance(error, ValidationError):
            self._show_errors(error.fields)
        elif isinstance(error, ServiceError):
            self.general_error.show_message(str(error))
        else:
            show_error(self, error)

    def _errors(self) -> dict[str, ErrorLabel]:
        return {
            "customer": self.customer_error, "kind": self.kind_error,
            "value": self.value_error, "expires_on": self.expires_error,
            "reason": self.reason_error, "terms": self.terms_error,
        }

    def _show_errors(self, fields: dict[str, str]) -> None:
        labels = self._errors()
        first: QWidget | None = None
        for name, message in fields.items():
            label = labels.get(name, self.general_error)
            label.show_message(message)
            if first is None and label is not self.general_error:
                first = label.field
        if first is not None:
            first.setFocus()
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow so a wrapped message shows whole: a window ignores height-for-width itself."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _clear_errors(self) -> None:
        for label in (*self._errors().values(), self.general_error):
            label.clear_message()

    def print_coupon(self) -> None:
        if self.coupon is not None:
            self.print_run = print_coupons(self, self._runner, [self.coupon.code], per_page=1)
