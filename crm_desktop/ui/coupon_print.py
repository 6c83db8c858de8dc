"""Printing coupons: the PDF is made on the database worker, then shown in the PDF preview.

A run of many coupons takes a while (a QR code costs milliseconds), so it reports progress
after each coupon and the progress dialog's Cancel stops it between two coupons. The progress
callback runs on the worker thread; it only emits a signal, which Qt queues to the window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from crm_desktop.i18n import _, ngettext
from crm_desktop.reports import Cancelled
from crm_desktop.services.coupon_codes import group_code
from crm_desktop.services.coupon_printing import coupon_pdf
from crm_desktop.ui.card_dialogs import show_error
from crm_desktop.ui.pdf_preview import PdfPreviewDialog
from crm_desktop.ui.tasks import SyncTaskRunner, Task, TaskRunner

PROGRESS_DELAY_MS = 500  # a short run finishes before the progress dialog would appear


class CouponPrintRun(QObject):
    """One run from codes to preview; ``preview`` is the dialog once the PDF is ready."""

    progressed = Signal(int)  # coupons done; emitted on the worker thread
    finished = Signal(bool)  # True when the preview opened

    def __init__(
        self,
        parent: QWidget,
        runner: TaskRunner | SyncTaskRunner,
        codes: Sequence[str],
        per_page: int,
        on_status: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._codes = list(codes)
        self._per_page = per_page
        self._on_status = on_status
        self._cancel = threading.Event()
        self.preview: PdfPreviewDialog | None = None
        self.progress = self._progress_dialog(parent, len(self._codes))
        self.progressed.connect(self.progress.setValue)
        self.task: Task = runner.submit(self._make, self._made, self._failed)

    def _progress_dialog(self, parent: QWidget, count: int) -> QProgressDialog:
        dialog = QProgressDialog(
            ngettext("Preparing {count} coupon for printing…",
                     "Preparing {count} coupons for printing…", count).format(count=count),
            _("Cancel"), 0, count, parent,
        )
        dialog.setObjectName("couponPrintProgress")
        dialog.setWindowTitle(_("Print Coupons"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        # Closed when the PDF arrives, not at the last coupon: the file is still being written.
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        return dialog

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def _make(self, session: Any) -> bytes:
        """Runs on the worker."""
        return coupon_pdf(session, self._codes, self._per_page, self._report)

    def _report(self, done: int) -> bool:
        self.progressed.emit(done)
        return not self._cancel.is_set()

    def _close_progress(self) -> None:
        self.progress.canceled.disconnect(self.cancel)
        self.progress.reset()  # also stops the timer that would show it later
        self.progress.hide()
        self.progress.deleteLater()

    def _made(self, pdf: bytes) -> None:
        self._close_progress()
        if self._cancel.is_set():  # Cancel pressed while the last page was written
            self._stopped()
            return
        self.preview = PdfPreviewDialog(pdf, self._title(), self._file_name(), self._parent)
        self.preview.open()
        self.finished.emit(True)

    def _failed(self, error: Exception) -> None:
        self._close_progress()
        if isinstance(error, Cancelled):
            self._stopped()
            return
        show_error(self._parent, error)
        self.finished.emit(False)

    def _stopped(self) -> None:
        if self._on_status is not None:
            self._on_status(_("Printing cancelled."))
        self.finished.emit(False)

    def _title(self) -> str:
        count = len(self._codes)
        if count == 1:
            return _("Coupon {code}").format(code=group_code(self._codes[0]))
        return ngettext("{count} coupon", "{count} coupons", count).format(count=count)

    def _file_name(self) -> str:
        if len(self._codes) == 1:
            return _("coupon-{code}.pdf").format(code=group_code(self._codes[0]))
        return _("coupons.pdf")


def print_coupons(
    parent: QWidget,
    runner: TaskRunner | SyncTaskRunner,
    codes: Sequence[str],
    per_page: int,
    on_status: Callable[[str], None] | None = None,
) -> CouponPrintRun:
    """Start a print run; keep the returned object to look at its preview."""
    return CouponPrintRun(parent, runner, codes, per_page, on_status)
