"""The "Referred by" line on the customer card: who brought them (a link) or where they came from.

One line with a "Change…" button; hidden while the card shows a customer not saved yet.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from crm_desktop.i18n import N_, _, format_date
from crm_desktop.services.changes import Changes
from crm_desktop.services.referral_data import ReferralInfo
from crm_desktop.services.referrals import get_referral
from crm_desktop.ui.referral_dialog import ReferralDialog
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

# What the referral's reward status means for the referrer, as shown after the name.
REWARD_NOTES = {
    "due": N_("thank-you due"),
    "rewarded": N_("referrer thanked"),
    "declined": N_("no thank-you"),
}
_LINK_PREFIX = "customer:"


def referral_text(info: ReferralInfo | None, rich: bool = True) -> str:
    """The panel's text: the referrer (a link when ``rich``) or the source, date and reward."""
    if info is None:
        return escape(_("Not recorded")) if rich else _("Not recorded")
    if info.referrer_id is not None:
        name = info.referrer_name
        link = f"{_LINK_PREFIX}{info.referrer_id}"
        first = f'<a href="{link}">{escape(name)}</a>' if rich else name
    else:
        first = info.source_label if info.source is not None else _("a deleted customer")
        first = escape(first) if rich else first
    parts = [first]
    if info.referred_on is not None:
        parts.append(format_date(info.referred_on))
    note = REWARD_NOTES.get(info.reward_status) if info.referrer_id is not None else None
    if note is not None:
        parts.append(_(note))
    return " · ".join([parts[0], *(escape(part) if rich else part for part in parts[1:])])


class ReferralPanel(QWidget):
    """Shows and changes how one customer came; asks the card to open the referrer."""

    open_customer = Signal(int)
    status = Signal(str)

    def __init__(self, runner: TaskRunner | SyncTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referralPanel")
        self._runner = runner
        self._customer_id: int | None = None
        self._customer_name = ""
        self._request = 0
        self.info: ReferralInfo | None = None
        self.dialog: ReferralDialog | None = None
        self.caption = caption = QLabel(_("Referred by:"))
        caption.setObjectName("sectionTitle")
        self.text = QLabel()
        self.text.setObjectName("referralText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.text.linkActivated.connect(self._link_activated)
        self.change_button = QPushButton(_("Change…"))
        self.change_button.setObjectName("changeReferral")
        self.change_button.setAccessibleName(_("Change who referred this customer"))
        self.change_button.clicked.connect(self.change)
        caption.setBuddy(self.change_button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(caption)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.change_button)
        runner.changed.connect(self._on_changed)
        self.hide()

    def set_customer(self, customer_id: int | None, name: str = "") -> None:
        """The card's customer; None (nobody, or not saved yet) hides the panel."""
        self._customer_id, self._customer_name = customer_id, name
        self._request += 1
        self.info = None
        if customer_id is None:
            self.hide()
            return
        self.text.setText("…")
        self.show()
        self.reload()

    def reload(self) -> None:
        customer_id, request = self._customer_id, self._request
        if customer_id is None:
            return
        self._runner.submit(
            lambda session: get_referral(session, customer_id),
            lambda info: self._loaded(request, info),
            lambda error: self._loaded(request, None) if request == self._request else None,
        )

    def _loaded(self, request: int, info: ReferralInfo | None) -> None:
        if request != self._request:
            return
        self.info = info
        from_source = info is not None and info.source is not None
        self.caption.setText(_("Came from:") if from_source else _("Referred by:"))
        self.text.setText(referral_text(info))
        self.text.setAccessibleName(
            f"{self.caption.text()} {referral_text(info, rich=False)}"
        )

    def _on_changed(self, changes: Changes) -> None:
        if self._customer_id is None or not changes.kinds & {"referrals", "customers"}:
            return
        referrer = self.info.referrer_id if self.info is not None else None
        if self._customer_id in changes.customers or referrer in changes.customers:
            self.reload()

    def _link_activated(self, link: str) -> None:
        if link.startswith(_LINK_PREFIX):
            self.open_customer.emit(int(link[len(_LINK_PREFIX):]))

    def change(self) -> None:
        """Open the dialog (window-modal, not blocking); the line reloads when it saves."""
        if self._customer_id is None:
            return
        self.dialog = ReferralDialog(
            self._runner, self._customer_id, self._customer_name, self.info, self
        )
        self.dialog.accepted.connect(self._dialog_saved)
        self.dialog.open()

    def _dialog_saved(self) -> None:
        self.reload()
        removed = self.dialog is not None and self.dialog.result_info is None
        message = _("Referral of {name} removed.") if removed else _("Referral of {name} saved.")
        self.status.emit(message.format(name=self._customer_name))
