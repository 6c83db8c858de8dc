"""The Issue Coupon dialog after issuing: the new code in large type, what it gives, Print."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from crm_desktop.i18n import _, current_language, format_date
from crm_desktop.services.coupon_data import CouponInfo
from crm_desktop.services.coupon_text import coupon_value_text


def issued_sentence(coupon: CouponInfo, currency: str) -> str:
    """"Free coffee for Anna Virtanen, valid until 22.11.2026." and its shorter forms."""
    value = coupon_value_text(coupon, current_language(), currency)
    who = coupon.customer_name or _("anyone")
    if coupon.expires_on is None:
        return _("{value} for {customer}; it never expires.").format(value=value, customer=who)
    return _("{value} for {customer}, valid until {date}.").format(
        value=value, customer=who, date=format_date(coupon.expires_on)
    )


class IssuedPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("couponIssuedPage")
        heading = QLabel(_("Coupon issued. Its code:"))
        self.code = QLabel()
        self.code.setObjectName("issuedCode")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 10) * 2)
        font.setWeight(QFont.Weight.Bold)
        self.code.setFont(font)
        self.summary = QLabel()
        self.summary.setObjectName("issuedSummary")
        self.summary.setWordWrap(True)
        self.print_button = QPushButton(_("&Print Coupon…"))
        self.print_button.setObjectName("printCoupon")
        self.copy_button = QPushButton(_("&Copy Code"))
        self.copy_button.setObjectName("copyCode")
        self.copy_button.clicked.connect(self.copy_code)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.code)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def show_coupon(self, coupon: CouponInfo, currency: str) -> None:
        self.code.setText(coupon.grouped_code)
        self.code.setAccessibleName(_("Coupon code {code}").format(code=coupon.grouped_code))
        self.summary.setText(issued_sentence(coupon, currency))

    def copy_code(self) -> None:
        QGuiApplication.clipboard().setText(self.code.text())
