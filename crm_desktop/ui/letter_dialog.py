"""One customer's letter: pick the template (and a coupon of theirs), look at it, print or save.

Opened from the customer card ("Print Letter…") and from a resolved complaint (the apology
again). The letter is written in the customer's language; it goes on their timeline once
it was printed or saved.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, current_language, format_date
from crm_desktop.services.coupon_data import CouponInfo
from crm_desktop.services.coupons import coupon_value_text, list_coupons
from crm_desktop.services.letter_templates import LETTER_KINDS, kind_label
from crm_desktop.services.letters import letter_pdf, log_letter_sent
from crm_desktop.services.settings import load_settings
from crm_desktop.ui.card_dialogs import show_error
from crm_desktop.ui.letter_output import pdf_file_name, print_pdf, save_pdf
from crm_desktop.ui.pdf_pane import PdfPane
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner


def usable_coupons(session: Any, customer_id: int) -> tuple[list[CouponInfo], str]:
    return list_coupons(session, "active", customer_id), load_settings(session).currency


def coupon_choice_text(coupon: CouponInfo, currency: str) -> str:
    value = coupon_value_text(coupon, current_language(), currency)
    if coupon.expires_on is None:
        return _("{code} — {value}").format(code=coupon.grouped_code, value=value)
    return _("{code} — {value}, until {date}").format(
        code=coupon.grouped_code, value=value, date=format_date(coupon.expires_on))


class LetterDialog(QDialog):
    status = Signal(str)

    def __init__(
        self,
        runner: TaskRunner | SyncTaskRunner,
        customer_id: int,
        name: str,
        parent: QWidget | None = None,
        kind: str | None = None,
        complaint_id: int | None = None,
        coupon_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("letterDialog")
        self.setWindowTitle(_("Letter to {name}").format(name=name))
        self._runner = runner
        self.customer_id, self.name = customer_id, name
        self.complaint_id = complaint_id
        self._wanted_coupon = coupon_id
        self.today = date.today()
        self.logged: set[tuple[str, int | None]] = set()
        self.preview = PdfPane(runner, _("The letter"))
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_form(kind))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self._build_buttons())
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.print_letter)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save_letter)
        self.resize(760, 680)
        runner.submit(lambda session: usable_coupons(session, customer_id),
                      lambda answer: self._coupons_arrived(*answer),
                      lambda error: show_error(self, error))

    def _build_form(self, kind: str | None) -> QFormLayout:
        self.kind = QComboBox()
        self.kind.setObjectName("letterKind")
        for key in LETTER_KINDS:
            self.kind.addItem(kind_label(key), key)
        if kind is not None:
            self.kind.setCurrentIndex(self.kind.findData(kind))
        self.coupon = QComboBox()
        self.coupon.setObjectName("letterCoupon")
        self.coupon.addItem(_("No coupon"), None)
        self.staff = QLineEdit()
        form = QFormLayout()
        for text, field in ((_("&Letter"), self.kind), (_("&Coupon"), self.coupon),
                            (_("&Signed by"), self.staff)):
            field.setAccessibleName(text.replace("&", ""))
            form.addRow(text, field)
        self.kind.currentIndexChanged.connect(lambda _index: self._changed(at_once=True))
        self.coupon.currentIndexChanged.connect(lambda _index: self._changed(at_once=True))
        self.staff.textChanged.connect(lambda _text: self._changed(at_once=False))
        return form

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton(_("&Print…"))
        self.save_button = QPushButton(_("Save as P&DF…"))
        for button in (self.save_button, self.print_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_letter)
        self.save_button.clicked.connect(self.save_letter)
        buttons.rejected.connect(self.reject)
        self.preview.loaded.connect(lambda _pages: self._enable(True))
        self.preview.failed.connect(lambda _error: self._enable(False))
        return buttons

    def _coupons_arrived(self, coupons: list[CouponInfo], currency: str) -> None:
        self.coupon.blockSignals(True)
        for coupon in coupons:
            self.coupon.addItem(coupon_choice_text(coupon, currency), coupon.id)
        wanted = self.coupon.findData(self._wanted_coupon) if self._wanted_coupon else -1
        self.coupon.setCurrentIndex(max(wanted, 0))
        self.coupon.blockSignals(False)
        self._changed(at_once=True)

    def _changed(self, at_once: bool) -> None:
        kind, coupon_id, staff = self.kind.currentData(), self.coupon.currentData(), (
            self.staff.text())
        customer_id, today = self.customer_id, self.today
        self._enable(False)

        def render(session: Any) -> bytes:
            return letter_pdf(session, kind, customer_id, coupon_id, today, staff)

        if at_once:
            self.preview.render_now(render)
        else:
            self.preview.schedule(render)

    def _enable(self, enabled: bool) -> None:
        ready = enabled and self.preview.pdf is not None and not self.preview.pending
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    # Printing and saving ----------------------------------------------------------------------

    def print_letter(self) -> None:
        self._deliver(print_it=True)

    def save_letter(self) -> None:
        self._deliver(print_it=False)

    def _deliver(self, print_it: bool) -> None:
        if self.preview.pending:
            self.preview.render_now()
        pdf = self.preview.pdf
        if pdf is None or not self.print_button.isEnabled():
            return
        kind = str(self.kind.currentData())
        title = _("{letter} to {name}").format(letter=kind_label(kind), name=self.name)
        done = print_pdf(self, pdf, title) if print_it else save_pdf(
            self, pdf, title, pdf_file_name(title))
        key = (kind, self.coupon.currentData())
        if done and key not in self.logged:
            self.logged.add(key)
            self._log(kind, key[1])

    def _log(self, kind: str, coupon_id: int | None) -> None:
        customer_id, complaint_id, staff, name = (
            self.customer_id, self.complaint_id, self.staff.text(), self.name)
        self._runner.submit(
            lambda session: log_letter_sent(
                session, customer_id, kind, staff, coupon_id, complaint_id),
            lambda _logged: self.status.emit(
                _("The letter is on {name}'s timeline.").format(name=name)),
            lambda error: show_error(self, error),
        )
