"""Thank-yous due: referrers whose referred customer has visited, thanked with one click.

Thanking offers a thank-you coupon first (an amount off, with a default value), then marks the
referral rewarded — both in one transaction, so a referral already thanked elsewhere issues no
coupon. ``referrer_thanked`` carries the result for whatever comes next (a thank-you letter).
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
from crm_desktop.services.changes import Changes
from crm_desktop.services.coupon_data import CouponInfo
from crm_desktop.services.coupons import issue_coupon
from crm_desktop.services.errors import ServiceError, ValidationError
from crm_desktop.services.referral_data import RewardedReferral, ThanksDue
from crm_desktop.services.referrals import referrals_due_thanks, reward_referral
from crm_desktop.services.settings import load_settings
from crm_desktop.ui.card_dialogs import show_error
from crm_desktop.ui.form_widgets import ErrorLabel, from_qdate, qt_date_format, to_qdate
from crm_desktop.ui.referral_stats_panes import make_table
from crm_desktop.ui.referral_tables import ThanksModel
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

DEFAULT_COUPON_CENTS = 500
COUPON_VALID_DAYS = 90


@dataclass(frozen=True)
class CouponRequest:
    cents: int
    expires_on: date | None


@dataclass(frozen=True)
class Thanked:
    due: ThanksDue
    rewarded: RewardedReferral
    coupon: CouponInfo | None
    changes: Changes


@dataclass(frozen=True)
class _DueList:
    items: list[ThanksDue]
    currency: str


def thank_referrer(session: Any, due: ThanksDue, coupon: CouponRequest | None) -> Thanked:
    """Runs on the worker: the coupon (if any) and the reward stand or fall together."""
    info, changes = None, Changes()
    if coupon is not None:
        issued = issue_coupon(
            session, "amount", coupon.cents, coupon.expires_on, "referral", due.referrer_id, None
        )
        info, changes = issued.coupon, issued.changes
    rewarded = reward_referral(session, due.referral_id, info.id if info is not None else None)
    return Thanked(due, rewarded, info, changes | rewarded.changes)


def _due_list(session: Any) -> _DueList:
    return _DueList(referrals_due_thanks(session), load_settings(session).currency)


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
        self.amount.setValue(DEFAULT_COUPON_CENTS / 100)
        self.expires = QDateEdit(to_qdate(date.today() + timedelta(days=COUPON_VALID_DAYS)))
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

    def coupon(self) -> CouponRequest | None:
        if not self.with_coupon.isChecked():
            return None
        return CouponRequest(round(self.amount.value() * 100), from_qdate(self.expires.date()))


class ThanksPane(QWidget):
    customer_requested = Signal(int)
    status = Signal(str)
    count_changed = Signal(int)
    referrer_thanked = Signal(object)  # Thanked: the hook for printing a thank-you letter

    def __init__(self, runner: TaskRunner | SyncTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thanksPane")
        self._runner = runner
        self._request = 0
        self._currency = "EUR"
        self.dialog: ThankDialog | None = None
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
            _("Give the referrer a thank-you coupon and mark them thanked")
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

    def reward(self, due: ThanksDue, coupon: CouponRequest | None) -> None:
        self.message.clear_message()
        self._runner.submit(
            lambda session: thank_referrer(session, due, coupon), self._thanked, self._refused
        )

    def _thanked(self, thanked: Thanked) -> None:
        due = thanked.due
        text = _("Thanked {referrer} for bringing {referred}.").format(
            referrer=due.referrer_name, referred=due.referred_name)
        if thanked.coupon is not None:
            text += " " + _("Coupon {code} issued, valid until {date}.").format(
                code=thanked.coupon.grouped_code,
                date=format_date(thanked.coupon.expires_on) if thanked.coupon.expires_on else "—")
        self.status.emit(text)
        self.referrer_thanked.emit(thanked)
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
