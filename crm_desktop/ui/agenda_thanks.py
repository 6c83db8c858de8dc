"""Thank… on the Today desk: one click thanks the referrer of the current agenda item.

The worker issues the default thank-you coupon, rewards the referral and makes the letter
(``referral_thanks.thank_referrer``, the same as the Referrals desk's Thank…); the letter then
opens in the preview to print or save. The item leaves the agenda by itself: the thanks change
the referrer, so the agenda is computed again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QWidget

from crm_desktop.i18n import _
from crm_desktop.services.agenda_data import AgendaItem
from crm_desktop.services.agenda_referrals import referral_id_of
from crm_desktop.services.referral_data import ThankResult
from crm_desktop.services.referral_thanks import default_thank_coupon
from crm_desktop.ui.card_dialogs import show_error
from crm_desktop.ui.pdf_preview import PdfPreviewDialog
from crm_desktop.ui.referral_thanks_pane import (
    show_thank_you_letter,
    thank_operation,
    thanked_text,
)
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner


class AgendaThanks(QObject):
    """The Thank… action and button of the desk; both only for a referrer to thank.

    The desk calls ``follow_current`` whenever its current item changes.
    """

    status_message = Signal(str)
    refused = Signal()  # the thanks failed: the agenda may be out of date

    def __init__(
        self,
        runner: TaskRunner | SyncTaskRunner,
        desk: QWidget,
        current_item: Callable[[], AgendaItem | None],
        clock: Callable[[], date],
    ) -> None:
        super().__init__(desk)
        self._runner, self._desk = runner, desk
        self._current_item, self._clock = current_item, clock
        self.preview: PdfPreviewDialog | None = None  # the last thank-you letter
        self.action = QAction(_("&Thank…"), desk)
        self.action.setToolTip(
            _("Give the referrer a thank-you coupon and open the thank-you letter to print")
        )
        self.action.triggered.connect(lambda _checked=False: self.thank())
        desk.addAction(self.action)
        self.button = QPushButton(self.action.text())
        self.button.setObjectName("thankFromAgenda")
        self.button.setToolTip(self.action.toolTip())
        self.button.clicked.connect(self.action.trigger)

    def referral_id(self) -> int | None:
        item = self._current_item()
        return referral_id_of(item.item_key) if item is not None else None

    def follow_current(self) -> None:
        """Shown and usable for a referrer to thank only."""
        thanks = self.referral_id() is not None
        self.action.setEnabled(thanks)
        self.button.setEnabled(thanks)
        self.button.setVisible(thanks)

    def thank(self) -> None:
        referral_id, today = self.referral_id(), self._clock()
        if referral_id is None:
            return
        self.action.setEnabled(False)  # one thank-you per click, however fast the clicks
        self.button.setEnabled(False)
        self._runner.submit(
            thank_operation(referral_id, default_thank_coupon(today), today),
            self._thanked,
            self._failed,
        )

    def _thanked(self, result: ThankResult) -> None:
        self.status_message.emit(thanked_text(result))
        self.preview = show_thank_you_letter(self._desk, self._runner, result, self.preview)

    def _failed(self, error: Exception) -> None:
        self.follow_current()
        show_error(self._desk, error)  # thanked elsewhere meanwhile, a letter not made…
        self.refused.emit()
