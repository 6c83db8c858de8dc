"""The Redeem dialog (Ctrl+R): type or scan a code, press Enter, read one clear answer.

A barcode scanner types the code and Enter, so the field takes both. What is typed is shown
normalised and grouped as it comes (``7kq4xm`` → ``7KQ4-XM``); once the code is complete its
check character tells at once whether it was mistyped, before any lookup. Enter redeems on the
database worker; the answer (redeemed now, already redeemed, expired, void, unknown, typo)
fills a large banner in colour, with an icon and words, and the field is selected for the
next code.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSettings, QSysInfo, Qt
from PySide6.QtGui import QFont, QFontDatabase, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _
from crm_desktop.services.coupon_codes import (
    ALPHABET,
    CODE_LENGTH,
    GROUP,
    check_code,
    group_code,
    normalise_code,
)
from crm_desktop.services.coupon_data import REDEEMED_NOW, TYPO, UNKNOWN, RedemptionOutcome
from crm_desktop.services.coupon_text import typo_message
from crm_desktop.services.coupons import DESK_MAX_LENGTH, redeem_coupon
from crm_desktop.services.errors import ServiceError, ValidationError
from crm_desktop.ui.redeem_banner import FAILED, NOTICE, SUCCESS, ResultBanner, hint_palette
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

DESK_KEY = "desk"
_MAX_TYPED = 40  # room for dashes and spaces around a 13-symbol code


def default_desk() -> str:
    """This computer's name: what a desk is called until someone names it."""
    return QSysInfo.machineHostName()[:DESK_MAX_LENGTH]


def current_desk(settings: QSettings | None = None) -> str:
    """The desk name this computer uses in the coupons' history."""
    stored = (settings if settings is not None else QSettings()).value(DESK_KEY, "")
    return str(stored or "").strip() or default_desk()


def grouped_with_cursor(text: str, cursor: int) -> tuple[str, int]:
    """``text`` normalised and grouped, and where the cursor goes so typing carries on."""
    symbols_before = len(normalise_code(text[:cursor]))
    grouped = group_code(normalise_code(text))
    position = symbols_before + max(symbols_before - 1, 0) // GROUP
    return grouped, min(position, len(grouped))


def code_hint(typed: str) -> tuple[str, str]:
    """(state, sentence) for what is typed so far; state is "", SUCCESS, NOTICE or FAILED."""
    code = normalise_code(typed)
    if not code:
        return "", ""
    strange = sorted({symbol for symbol in code if symbol not in ALPHABET})
    if strange:
        return FAILED, _("“{symbol}” does not occur in coupon codes.").format(symbol=strange[0])
    if len(code) < CODE_LENGTH:
        return NOTICE, _("{count} of {total} characters").format(
            count=len(code), total=CODE_LENGTH
        )
    if len(code) > CODE_LENGTH:
        return FAILED, _("Too long: a code has {total} characters.").format(total=CODE_LENGTH)
    if check_code(code) is None:
        return FAILED, _("Typo: the check character does not match.")
    return SUCCESS, _("The code is well formed.")


class RedeemDialog(QDialog):
    """Stays open for one code after another; Esc or Close ends it."""

    def __init__(
        self,
        runner: TaskRunner | SyncTaskRunner,
        parent: QWidget | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("redeemDialog")
        self.setWindowTitle(_("Redeem Coupon"))
        self._runner = runner
        self._settings = settings if settings is not None else QSettings()
        self._busy = False
        self.last_outcome: RedemptionOutcome | None = None
        self._build()
        self.resize(600, self.sizeHint().height())

    def _build(self) -> None:
        intro = QLabel(_("Type or scan the coupon code, then press Enter."))
        intro.setWordWrap(True)
        self.banner = ResultBanner()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self._code_row())
        layout.addWidget(self.check)
        layout.addWidget(self.banner, 1)
        layout.addLayout(self._bottom_row())

    def _code_row(self) -> QHBoxLayout:
        label = QLabel(_("&Code"))
        self.code = QLineEdit()
        self.code.setObjectName("couponCode")
        self.code.setAccessibleName(_("Coupon code"))
        self.code.setMaxLength(_MAX_TYPED)
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-X")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 10) * 1.6)
        font.setWeight(QFont.Weight.Bold)
        self.code.setFont(font)
        label.setBuddy(self.code)
        self.check = QLabel()  # the typo check, right under the field
        self.check.setObjectName("codeCheck")
        self.check.setWordWrap(True)
        self.code.textEdited.connect(self._typed)
        self.code.returnPressed.connect(self.redeem)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.code, 1)
        return row

    def _bottom_row(self) -> QHBoxLayout:
        desk_label = QLabel(_("&Desk"))
        self.desk = QLineEdit(current_desk(self._settings))
        self.desk.setObjectName("deskName")
        self.desk.setAccessibleName(_("Desk"))
        self.desk.setToolTip(_("This till or desk, as other desks will see it in the answers"))
        self.desk.setMaxLength(DESK_MAX_LENGTH)
        self.desk.setMaximumWidth(self.fontMetrics().horizontalAdvance("M" * 16))
        self.desk.editingFinished.connect(self._remember_desk)
        desk_label.setBuddy(self.desk)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)  # Enter belongs to the code field
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(desk_label)
        row.addWidget(self.desk)
        row.addStretch(1)
        row.addWidget(buttons)
        return row

    # Typing -----------------------------------------------------------------------------------

    def set_code(self, text: str) -> None:
        """Put a code in the field as if typed (from the Coupons desk), ready for Enter."""
        self.code.setText(text)
        self._typed(text)
        self.code.setFocus()

    def start_over(self) -> None:
        """An empty field and no answer: how the dialog looks when it is opened again."""
        self.code.clear()
        self._typed("")
        self.last_outcome = None
        self.banner.show_waiting(_("No code checked yet."))
        self.code.setFocus()

    def _typed(self, text: str) -> None:
        grouped, cursor = grouped_with_cursor(text, self.code.cursorPosition())
        if grouped != text:
            self.code.setText(grouped)
            self.code.setCursorPosition(cursor)
        state, sentence = code_hint(grouped)
        if self.banner.state and not self._busy:
            # The answer on show was for the code before; it must not seem to be this one's.
            self.banner.show_waiting(_("Correct the code, then press Enter.") if state == FAILED
                                     else _("Press Enter to redeem the code."))
        self.check.setText(sentence)
        self.check.setPalette(hint_palette(self.palette(), state))
        self.code.setAccessibleDescription(sentence)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The dialog's own Enter handling would press a button; here it only redeems.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    # Redeeming --------------------------------------------------------------------------------

    def redeem(self) -> None:
        typed = self.code.text()
        if not normalise_code(typed) or self._busy:
            return
        code = check_code(typed)
        if code is None:  # a typo: no lookup, and nothing for the database to decide
            self._answer(RedemptionOutcome(TYPO, normalise_code(typed), typo_message(typed)))
            return
        desk, today = self.desk.text(), date.today()
        self._busy = True
        self.banner.show_waiting(_("Checking {code}…").format(code=group_code(code)))
        self._runner.submit(
            lambda session: redeem_coupon(session, code, desk, today),
            self._answer,
            self._failed,
        )

    def _answer(self, outcome: RedemptionOutcome) -> None:
        self._busy = False
        self.last_outcome = outcome
        state = {REDEEMED_NOW: SUCCESS, TYPO: NOTICE, UNKNOWN: NOTICE}.get(outcome.status, FAILED)
        self.banner.show_answer(state, outcome.message, _details(outcome))
        self._ready_for_next()

    def _failed(self, error: Exception) -> None:
        self._busy = False
        self.last_outcome = None
        if isinstance(error, ValidationError):
            message = " ".join(error.fields.values())
        elif isinstance(error, ServiceError):
            message = str(error)
        else:
            message = _("The coupon could not be checked: {reason}").format(reason=error)
        self.banner.show_answer(FAILED, message, "")
        self._ready_for_next()

    def _ready_for_next(self) -> None:
        self.code.setFocus()
        self.code.selectAll()  # the next scan replaces the code

    def _remember_desk(self) -> None:
        self._settings.setValue(DESK_KEY, self.desk.text().strip())


def _details(outcome: RedemptionOutcome) -> str:
    """The smaller line under the answer: which code, and what the coupon was for."""
    coupon = outcome.coupon
    if outcome.status == TYPO:
        return ""  # the answer quotes what was typed already
    if coupon is None:
        return _("Code {code}").format(code=outcome.code) if outcome.code else ""
    if coupon.customer_name and outcome.status != REDEEMED_NOW:
        return _("Code {code} · {customer}").format(code=outcome.code,
                                                    customer=coupon.customer_name)
    return _("Code {code}").format(code=outcome.code)
