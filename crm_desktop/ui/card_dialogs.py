"""The questions the card asks: a likely duplicate, a delete, an error it cannot place."""

from __future__ import annotations

from typing import Literal

from PySide6.QtWidgets import QMessageBox, QWidget

from crm_desktop.i18n import N_, _, ngettext
from crm_desktop.services.customer_data import DuplicateMatch
from crm_desktop.services.errors import ServiceError

DuplicateChoice = Literal["open", "save", "cancel"]

_REASONS = {
    "email": N_("They have the same email address."),
    "phone": N_("They have the same phone number."),
    "name": N_("The name is nearly the same and so is the city."),
}


def ask_about_duplicates(parent: QWidget, matches: list[DuplicateMatch]) -> DuplicateChoice:
    """Open the existing customer, save the new one anyway, or go back to editing."""
    first = matches[0]
    if first.city:
        question = _("{name}, {city}, already exists — open it?").format(
            name=first.name, city=first.city)
    else:
        question = _("{name} already exists — open it?").format(name=first.name)
    details = [_(_REASONS.get(first.reason, _REASONS["name"]))]
    others = len(matches) - 1
    if others:
        details.append(ngettext("{count} other similar customer was found too.",
                                "{count} other similar customers were found too.",
                                others).format(count=others))
    box = QMessageBox(QMessageBox.Icon.Question, _("Possible duplicate"), question, parent=parent)
    box.setInformativeText(" ".join(details))
    open_button = box.addButton(_("Open existing"), QMessageBox.ButtonRole.AcceptRole)
    open_button.setObjectName("openExisting")
    save_button = box.addButton(_("Save anyway"), QMessageBox.ButtonRole.ActionRole)
    save_button.setObjectName("saveAnyway")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(open_button)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_button:
        return "open"
    return "save" if clicked is save_button else "cancel"


def confirm_delete(parent: QWidget, name: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Warning, _("Delete customer"),
                      _("Delete {name}?").format(name=name), parent=parent)
    box.setInformativeText(_("Their history, dates, coupons and cards are deleted with them. "
                             "Ctrl+Z brings them back until Kanta is closed."))
    delete = box.addButton(_("Delete"), QMessageBox.ButtonRole.DestructiveRole)
    delete.setObjectName("confirmDelete")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is delete


def show_error(parent: QWidget, error: Exception) -> None:
    """One clear dialog for what cannot be shown next to a field."""
    if isinstance(error, ServiceError):
        message = str(error)
    else:
        message = _("The change was not saved: {reason}").format(reason=error)
    box = QMessageBox(QMessageBox.Icon.Warning, _("Kanta"), message, parent=parent)
    box.setObjectName("errorMessage")
    box.exec()
