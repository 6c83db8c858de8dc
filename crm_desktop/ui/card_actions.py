"""The customer card's commands, made before the card itself.

The window's menus hold Save, Delete, Undo delete, Log visit and Issue coupon from the start,
but the card, with its forms, dates, timeline and their modules, is built only once the
customer list has painted its first rows. Until then these commands have nothing to act on
and stay disabled; the card takes them over when it is built.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from crm_desktop.i18n import N_, _

NO_CUSTOMER_CHOSEN = N_("Choose a customer from the list, or press Ctrl+N to add a new one.")


class CardActions:
    """Save, Delete, Undo delete, Log visit and Issue coupon, owned by ``owner``.

    ``owner`` holds them so that their shortcuts work wherever the owner is in the window.
    """

    def __init__(self, owner: QWidget) -> None:
        self.save = _action(owner, _("Save"), QKeySequence.StandardKey.Save)
        self.delete = _action(owner, _("Delete customer…"))
        self.undo_delete = _action(owner, _("Undo delete"), QKeySequence.StandardKey.Undo)
        self.log_visit = _action(owner, _("Log visit"))
        self.log_visit.setToolTip(_("Record a visit today, now"))
        self.issue_coupon = _action(owner, _("&Issue Coupon…"))
        self.issue_coupon.setToolTip(_("Issue a coupon to this customer"))
        for action in self.all():
            action.setEnabled(False)

    def all(self) -> tuple[QAction, ...]:
        return (self.save, self.delete, self.undo_delete, self.log_visit, self.issue_coupon)

    def bind(self, action: QAction, slot: Callable[[], None]) -> None:
        """Run ``slot`` when ``action`` is triggered (its ``checked`` argument dropped)."""
        action.triggered.connect(lambda _checked=False: slot())


def _action(owner: QWidget, text: str, shortcut: QKeySequence.StandardKey | None = None) -> QAction:
    action = QAction(text, owner)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(_("{action} ({shortcut})").format(action=text, shortcut=native))
    owner.addAction(action)
    return action
