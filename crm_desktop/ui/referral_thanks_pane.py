"""Thank-yous due: referrers whose referred customer has visited, thanked with one click.

Thanking offers a thank-you coupon first (an amount off, with a default value), then runs
``referral_thanks.thank_referrer`` on the worker: coupon, reward and the thank-you letter in
one transaction, so a referral already thanked elsewhere issues no coupon. The letter opens
in the preview to print or save; the Today desk's Thank… shows it the same way.
``referrer_thanked`` carries the result for whatever else wants to know.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, format_date, ngettext
from crm_desktop.services.errors import ServiceError, ValidationError
from crm_desktop.services.referral_data import ThankCoupon, ThankResult, ThanksDue
from crm_desktop.services.referral_thanks import (
    DEFAULT_THANKS_CENTS,
    THANKS_VALID_DAYS,
    log_thanks_letter,
    thank_referrer,
)
from crm_desktop.services.referrals import referrals_due_thanks
from crm_desktop.services.settings import load_settings
from crm_desktop.ui.card_dialogs import show_error
from crm_desktop.ui.form_widgets import ErrorLabel, from_qdate, qt_date_format, to_qdate
from crm_desktop.ui.letter_output import pdf_file_name
from crm_desktop.ui.pdf_preview import PdfPreviewDialog
from crm_desktop.ui.referral_stats_panes import make_table
from crm_desktop.ui.referral_tables import ThanksModel
from crm_desktop.ui.tasks import Operation, SyncTaskRunner, TaskRunner


@dataclass(frozen=True)
class _DueList:
    items: list[ThanksDue]
    currency: str


def _due_list(session: Any) -> _DueList:
    return _DueList(referrals_due_thanks(session), load_settings(session).currency)


def thank_operation(referral_id: int, coupon: ThankCoupon | None, today: date) -> Operation:
    """The worker's part of a thank-you: coupon, reward, letter and its PDF, in one go."""
    return lambda session: thank_referrer(session, referral_id, coupon, today)


def thanked_text(result: ThankResult) -> str:
    """The status line after thanking: who, for whom, and the coupon given."""
    due = result.due
    text = _("Thanked {referrer} for bringing {referred}.").format(
        referrer=due.referrer_name, referred=due.referred_name)
    coupon = result.coupon
    if coupon is not None:
        text += " " + _("Coupon {code} issued, valid until {date}.").format(
            code=coupon.grouped_code,
            date=format_date(coupon.expires_on) if coupon.expires_on else "—")
    return text


def show_thank_you_letter(
    parent: QWidget,
    runner: TaskRunner | SyncTaskRunner,
    result: ThankResult,
    previous: PdfPreviewDialog | None,
) -> PdfPreviewDialog | None:
    """The thank-you letter in the preview (print or save it there); replaces ``previous``.

    None when no letter was made (thanked without a coupon). The letter goes on the
    referrer's timeline when it is first printed or saved.
    """
    if previous is not None:
        previous.close()
        previous.deleteLater()
    if result.pdf is None:
        return None
    title = _("Thank-you letter to {name}").format(name=result.due.referrer_name)
    preview = PdfPreviewDialog(result.pdf, title, pdf_file_name(title), parent)
    preview.setObjectName("thankYouPreview")
    logged: list[bool] = []

    def log_once() -> None:
        if not logged:
            logged.append(True)
            runner.submit(lambda session: log_thanks_letter(session, result))

    preview.delivered.connect(log_once)
    preview.show()
    return preview


class ThankDialog(QDialog):
    """Asks how to thank: with a coupon (the default) or with the referral only marked thanked."""

    def __init__(self, due: ThanksDue, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thankDialog")
        self.setWindowTitle(_("Thank {name}").format(name=due.referrer_name))
        intro = QLabel(_("{referrer} brought {referred}. A referral is thanked only once.").format(
            referrer=due.referrer_name, referred=due.referred_name))
        intro.setWordWrap(True)
        self.with_coupon = QCheckBox(_("Give a thank-you coupon"))
        self.with_coupon.setChecked(True)
        self.amount = QDoubleSpinBox()
        self.amount.setRange(0.5, 10_000)
        self.amount.setDecimals(2)
        self.amount.setSingleStep(0.5)
        self.amount.setValue(DEFAULT_THANKS_CENTS / 100)
        self.expires = QDateEdit(to_qdate(date.today() + timedelta(days=THANKS_VALID_DAYS)))
        self.expires.setCalendarPopup(True)
        self.expires.setDisplayFormat(qt_date_format())
        self.expires.setMinimumDate(to_qdate(date.today()))
        form = QFormLayout()
        form.addRow(self.with_coupon)
        form.addRow(_("Amount off ({currency})").format(currency=currency), self.amount)
        form.addRow(_("Valid until"), self.expires)
        self.with_coupon.toggled.connect(self.amount.setEnabled)
        self.with_coupon.toggled.connect(self.expires.setEnabled)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        thank = buttons.addButton(_("Thank"), QDialogButtonBox.ButtonRole.AcceptRole)
        thank.setObjectName("confirmThank")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)
        self.thank_button = thank
        thank.setDefault(True)  # once the button is inside the dialog, or it does not hold

    def coupon(self) -> ThankCoupon | None:
        if not self.with_coupon.isChecked():
            return None
        return ThankCoupon(round(self.amount.value() * 100), from_qdate(self.expires.date()))


class ThanksPane(QWidget):
    customer_requested = Signal(int)
    status = Signal(str)
    count_changed = Signal(int)
    referrer_thanked = Signal(object)  # the ThankResult, letter included

    def __init__(self, runner: TaskRunner | SyncTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thanksPane")
        self._runner = runner
        self._request = 0
        self._currency = "EUR"
        self.dialog: ThankDialog | None = None
        self.preview: PdfPreviewDialog | None = None  # the last thank-you letter
        self.model = ThanksModel(self)
        self.table = make_table(self.model, _("Referrers to thank"), stretch=1)
        self.table.setObjectName("thanksTable")
        self.table.activated.connect(lambda _index: self.thank_selected())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.message = ErrorLabel(self.table)
        self.message.setObjectName("thanksMessage")
        self.empty = QLabel(_("No thank-yous are due. One falls due when a referred customer "
                              "first visits."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._pages = QStackedWidget()
        self._pages.addWidget(self.empty)
        self._pages.addWidget(self.table)
        self._build_layout()
        self._update_buttons()

    def _build_layout(self) -> None:
        self.thank_button = QPushButton(_("Thank…"))
        self.thank_button.setObjectName("thankReferrer")
        self.thank_button.setToolTip(
            _("Give the referrer a thank-you coupon and letter, and mark them thanked")
        )
        self.thank_button.clicked.connect(self.thank_selected)
        self.open_button = QPushButton(_("Open referrer's card"))
        self.open_button.clicked.connect(self._open_selected)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.open_button)
        row.addWidget(self.thank_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self._pages, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)

    def load(self) -> None:
        self._request += 1
        request = self._request
        self._runner.submit(
            _due_list,
            lambda due: self._arrived(request, due),
            lambda error: self._load_failed(request, error),
        )

    def _arrived(self, request: int, due: _DueList) -> None:
        if request != self._request:
            return
        self._currency = due.currency
        self.model.set_records(due.items)
        self._pages.setCurrentIndex(1 if due.items else 0)
        if due.items and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._update_buttons()
        self.count_changed.emit(len(due.items))

    def _load_failed(self, request: int, error: Exception) -> None:
        if request == self._request:
            self.message.show_message(str(error))

    def selected(self) -> ThanksDue | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.thank_button.setEnabled(chosen)
        self.open_button.setEnabled(chosen)

    def _open_selected(self) -> None:
        due = self.selected()
        if due is not None:
            self.customer_requested.emit(due.referrer_id)

    def thank_selected(self) -> None:
        """Ask how to thank (window-modal, not blocking); the reward follows the answer."""
        due = self.selected()
        if due is None:
            return
        self.dialog = ThankDialog(due, self._currency, self)
        dialog = self.dialog
        dialog.accepted.connect(lambda: self.reward(due, dialog.coupon()))
        dialog.open()

    def reward(self, due: ThanksDue, coupon: ThankCoupon | None) -> None:
        self.message.clear_message()
        self._runner.submit(
            thank_operation(due.referral_id, coupon, date.today()), self._thanked, self._refused
        )

    def _thanked(self, result: ThankResult) -> None:
        self.status.emit(thanked_text(result))
        self.preview = show_thank_you_letter(self, self._runner, result, self.preview)
        self.referrer_thanked.emit(result)
        self.load()

    def _refused(self, error: Exception) -> None:
        if isinstance(error, ValidationError):
            self.message.show_message(" ".join(error.fields.values()))
        elif isinstance(error, ServiceError):
            self.message.show_message(str(error))  # already thanked, nobody to thank…
        else:
            show_error(self, error)
            return
        self.load()  # the list was out of date: show what is due now


def due_count_text(count: int) -> str:
    return ngettext("Thanks due ({count})", "Thanks due ({count})", count).format(count=count)
