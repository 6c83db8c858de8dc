"""A live PDF preview inside a dialog or a desk: rendered on the database worker, shown from memory.

Callers ``schedule`` the operation that makes the PDF after every edit; it runs once the edits
pause (RENDER_DELAY_MS), so typing never waits for ReportLab. An answer to an older request is
dropped. When a render fails, the last good page stays in view with the reason above it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from crm_desktop.i18n import _
from crm_desktop.services.errors import ServiceError
from crm_desktop.ui.form_widgets import error_colour
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

RENDER_DELAY_MS = 400
Render = Callable[[Any], bytes]  # takes a Session, returns PDF bytes


def problem_text(error: Exception) -> str:
    """One sentence for the user: the service's own, or a general one with the reason."""
    if isinstance(error, ServiceError):
        return str(error)
    return _("The preview could not be made: {reason}").format(reason=error)


class PdfPane(QWidget):
    """A QPdfView over bytes, with a note line above it for problems."""

    loaded = Signal(int)  # the page count of a newly shown document
    failed = Signal(object)  # the exception of a failed render

    def __init__(
        self, runner: TaskRunner | SyncTaskRunner, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._render: Render | None = None
        self._request = 0
        self._buffer: QBuffer | None = None
        self.pdf: bytes | None = None
        self._name = name
        self.document = QPdfDocument(self)
        self.view = self._new_view()
        self.note = QLabel()
        self.note.setObjectName("previewNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RENDER_DELAY_MS)
        self._timer.timeout.connect(self.render_now)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._layout.addWidget(self.note)
        self._layout.addWidget(self.view, 1)

    @property
    def page_count(self) -> int:
        if self.document.status() != QPdfDocument.Status.Ready:
            return 0
        return self.document.pageCount()

    @property
    def pending(self) -> bool:
        """True while a render waits for the edits to pause."""
        return self._timer.isActive()

    def schedule(self, render: Render) -> None:
        """Render with ``render`` once the edits pause; a newer call replaces it."""
        self._render = render
        self._timer.start()

    def render_now(self, render: Render | None = None) -> None:
        self._timer.stop()
        if render is not None:
            self._render = render
        if self._render is None:
            return
        self._request += 1
        request, operation = self._request, self._render
        self._runner.submit(
            operation,
            lambda pdf: self._arrived(request, pdf),
            lambda error: self._failed(request, error),
        )

    def stop(self, message: str = "") -> None:
        """Forget a waiting render (and drop one under way), saying why when there is a reason."""
        self._timer.stop()
        self._request += 1
        self._say(message, problem=bool(message))

    def _new_view(self) -> QPdfView:
        view = QPdfView(self)
        view.setObjectName("livePdfView")
        view.setAccessibleName(self._name)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        # With the bar shown only when needed, a page that just fits the height makes the bar
        # appear, which narrows the page, which removes the bar again: an endless relayout.
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setDocument(self.document)
        return view

    def show_pdf(self, pdf: bytes) -> None:
        # A fresh document and view each time: QPdfView keeps page images by page number, and
        # an image of the old document still being rendered would be shown for the new one.
        # The buffer must outlive the document reading it, so the old ones go together.
        old_document, old_buffer, old_view = self.document, self._buffer, self.view
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = self._new_view()
        self._layout.replaceWidget(old_view, self.view)
        old_view.hide()  # out of sight at once; deleted when the event loop next runs
        old_view.deleteLater()
        old_document.deleteLater()
        if old_buffer is not None:
            old_buffer.deleteLater()
        self.pdf = pdf
        self._say("", problem=False)
        self.loaded.emit(self.page_count)

    def _arrived(self, request: int, pdf: bytes) -> None:
        if request == self._request:
            self.show_pdf(pdf)

    def _failed(self, request: int, error: Exception) -> None:
        if request != self._request:
            return
        self._say(problem_text(error), problem=True)
        self.failed.emit(error)

    def _say(self, message: str, problem: bool) -> None:
        palette = self.note.palette()
        colour = error_colour(palette) if problem else self.palette().color(
            QPalette.ColorRole.WindowText)
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.note.setPalette(palette)
        self.note.setText(message)
        self.note.setAccessibleName(message)
        self.note.setVisible(bool(message))
