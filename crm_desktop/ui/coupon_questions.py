"""What the Coupons desk asks before it changes a coupon: why void it, and are you sure."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from crm_desktop.i18n import _
from crm_desktop.services.coupon_data import CouponInfo
from crm_desktop.services.coupon_text import already_message

CONFIRM_BUTTON = "confirmCouponAction"  # object name, so tests can press it


def ask_void_reason(parent: QWidget, coupon: CouponInfo) -> str | None:
    """The reason for cancelling, or None when the user backs out or gives none."""
    reason, accepted = QInputDialog.getText(
        parent,
        _("Void Coupon"),
        _("Why is coupon {code} cancelled? The reason is kept in its history.").format(
            code=coupon.grouped_code),
        QLineEdit.EchoMode.Normal,
    )
    reason = reason.strip()
    return reason if accepted and reason else None


def confirm_void(parent: QWidget, coupon: CouponInfo) -> bool:
    who = coupon.customer_name or _("anyone")
    return _confirm(
        parent,
        _("Void Coupon"),
        _("Void coupon {code} for {customer}?").format(code=coupon.grouped_code, customer=who),
        _("A void coupon can no longer be redeemed, and voiding cannot be undone."),
        _("Void Coupon"),
    )


def confirm_undo_redemption(parent: QWidget, coupon: CouponInfo) -> bool:
    return _confirm(
        parent,
        _("Undo Redemption"),
        _("Undo the redemption of coupon {code}?").format(code=coupon.grouped_code),
        _("{answer} Afterwards the coupon can be redeemed again.").format(
            answer=already_message(coupon)),
        _("Undo Redemption"),
    )


def _confirm(parent: QWidget, title: str, question: str, details: str, action: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Warning, title, question, parent=parent)
    box.setInformativeText(details)
    confirm = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    confirm.setObjectName(CONFIRM_BUTTON)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)  # Enter does not destroy anything
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is confirm
