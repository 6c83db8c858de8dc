"""The window's Redeem Coupon… action (Ctrl+R), which works from every desk.

The Redeem dialog is not modal, so a till can keep it open beside the window all day; Ctrl+R
brings the same dialog back, emptied, with the cursor in the code field. Issuing lives on the
Coupons desk and, for the customer on the card, in the card's own action.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from crm_desktop.i18n import _
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

if TYPE_CHECKING:
    from crm_desktop.ui.redeem_dialog import RedeemDialog

REDEEM_SHORTCUT = "Ctrl+R"


class CouponActions(QObject):
    def __init__(
        self,
        window: QWidget,
        runner: TaskRunner | SyncTaskRunner,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._runner = runner
        self._settings = settings
        self.redeem_dialog: RedeemDialog | None = None
        self.redeem_action = QAction(_("&Redeem Coupon…"), window)
        self.redeem_action.setObjectName("redeemCouponAction")
        self.redeem_action.setShortcut(QKeySequence(REDEEM_SHORTCUT))
        # Also from the Redeem dialog itself, where it selects the code field again.
        self.redeem_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.redeem_action.triggered.connect(lambda _checked=False: self.open_redeem())

    def actions(self) -> list[QAction]:
        """What the window's menu shows."""
        return [self.redeem_action]

    def open_redeem(self) -> RedeemDialog:
        if self.redeem_dialog is None:
            from crm_desktop.ui.redeem_dialog import RedeemDialog  # on first use

            self.redeem_dialog = RedeemDialog(self._runner, self._window, self._settings)
        dialog = self.redeem_dialog
        if not dialog.isVisible():
            dialog.start_over()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.code.setFocus()
        dialog.code.selectAll()
        return dialog
