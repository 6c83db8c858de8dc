"""The card's "More" menu: register a complaint or print a letter for the customer shown.

Both act on a saved customer only, so they follow the card's Log visit action, which is
enabled exactly when a saved customer is on the card.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Qt, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMenu, QToolButton, QWidget

from crm_desktop.i18n import _
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner


class ShownCustomer(Protocol):
    """What these actions need of the customer card."""

    title: QLabel
    status: SignalInstance
    log_visit_action: QAction

    @property
    def customer_id(self) -> int | None: ...


class CardLetterActions(QObject):
    def __init__(self, card: QWidget, runner: TaskRunner | SyncTaskRunner) -> None:
        super().__init__(card)
        self._card = card
        self._shown: ShownCustomer = card  # type: ignore[assignment]
        self._runner = runner
        self.dialog: QDialog | None = None
        self.register_complaint_action = self._action(
            _("Register &Complaint…"), self.register_complaint)
        self.print_letter_action = self._action(_("&Print Letter…"), self.print_letter)
        self.print_letter_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_letter_action.setShortcutContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut)
        menu = QMenu(card)
        menu.addAction(self.register_complaint_action)
        menu.addAction(self.print_letter_action)
        self.button = QToolButton()
        self.button.setObjectName("cardMore")
        self.button.setText(_("More"))
        self.button.setAccessibleName(_("More actions for this customer"))
        self.button.setMenu(menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        follow = self._shown.log_visit_action
        follow.enabledChanged.connect(self._set_enabled)
        self._set_enabled(follow.isEnabled())

    def _action(self, text: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self._card)
        action.triggered.connect(lambda _checked=False: slot())
        self._card.addAction(action)
        return action

    def _set_enabled(self, enabled: bool) -> None:
        for action in (self.register_complaint_action, self.print_letter_action):
            action.setEnabled(enabled)
        self.button.setEnabled(enabled)

    def _customer(self) -> tuple[int, str] | None:
        customer_id = self._shown.customer_id
        return (customer_id, self._shown.title.text()) if customer_id is not None else None

    def register_complaint(self) -> None:
        customer = self._customer()
        if customer is None:
            return
        from crm_desktop.ui.complaint_dialogs import RegisterComplaintDialog  # on first use

        dialog = RegisterComplaintDialog(self._runner, customer, self._card)
        dialog.accepted.connect(lambda: self._shown.status.emit(
            _("Complaint registered for {name}. Resolve it on the Complaints desk.").format(
                name=customer[1])))
        self._open(dialog)

    def print_letter(self) -> None:
        customer = self._customer()
        if customer is None:
            return
        from crm_desktop.ui.letter_dialog import LetterDialog  # on first use: PDF modules

        dialog = LetterDialog(self._runner, customer[0], customer[1], self._card)
        dialog.status.connect(self._shown.status)
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.destroyed.connect(lambda: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
