"""An in-app preview of a PDF made by the reports: look at it, save it, print it.

The document is shown from memory (no temporary file). Printing renders each page to an image
at PRINT_DPI and scales it onto the printer's page, so any printer Qt knows can print it. The
pages are printed a few at a time between the window's events (see PrintJob), with a progress
window that can cancel, so a print of a thousand pages never freezes the program.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QElapsedTimer,
    QEventLoop,
    QIODevice,
    QObject,
    QRect,
    QSize,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, ngettext

PRINT_DPI = 300  # sharp on paper without images of hundreds of megabytes per page
PRINT_TICK_MS = 50  # the longest stretch of rendering before the window gets its events again
PROGRESS_DELAY_MS = 500  # a short print ends before a progress window would flash up


class PrintJob(QObject):
    """Prints pages ``first``..``last`` on an open painter, a few per turn of the event loop.

    ``finished`` carries the pages printed, or 0 when the job was cancelled; the painter is
    ended either way. A cancelled job asks the printer to abort what it already has.
    """

    finished = Signal(int)

    def __init__(
        self, paint: Callable[[QPainter, QPrinter, int], None], printer: QPrinter,
        painter: QPainter, pages: tuple[int, int], owner: QWidget,
    ) -> None:
        super().__init__()  # no parent: whoever holds the job keeps it, Python frees it after
        self._paint, self._printer, self._painter = paint, printer, painter
        self._first, self._last = pages
        self._next = self._first
        self.done = False
        self.pages = 0
        self.progress = QProgressDialog(
            _("Printing…"), _("Cancel"), 0, self._last - self._first + 1, owner
        )
        self.progress.setObjectName("printProgress")
        self.progress.setWindowTitle(_("Print"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(PROGRESS_DELAY_MS)
        self.progress.setAutoReset(False)
        self.progress.setAutoClose(False)
        self.progress.canceled.connect(self.cancel)
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    @property
    def printed(self) -> int:
        """Pages sent to the printer so far."""
        return self._next - self._first

    def cancel(self) -> None:
        self._finish(0)

    def _tick(self) -> None:
        clock = QElapsedTimer()
        clock.start()
        while self._next <= self._last and not self.done:
            if self._next > self._first:
                self._printer.newPage()
            self._paint(self._painter, self._printer, self._next)
            self._next += 1
            if clock.elapsed() >= PRINT_TICK_MS:
                break
        if self.done:
            return
        if self._next > self._last:
            self._finish(self.printed)
        else:
            self.progress.setValue(self.printed)  # may run events, a click on Cancel among them

    def _finish(self, pages: int) -> None:
        if self.done:
            return
        self.done = True
        self.pages = pages
        self._timer.stop()
        if pages == 0:
            self._printer.abort()
        self._painter.end()
        self.progress.close()
        self.progress.deleteLater()
        self.finished.emit(pages)


class PdfPreviewDialog(QDialog):
    """Shows ``pdf`` (bytes) page after page; Save as PDF… and Print… act on the same bytes.

    ``delivered`` is emitted after each save and each print that put pages on paper.
    """

    delivered = Signal()

    def __init__(
        self, pdf: bytes, title: str, file_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setWindowTitle(title)
        self._pdf = pdf
        self._file_name = file_name
        self.print_job: PrintJob | None = None
        self._data = QByteArray(pdf)
        self._buffer = QBuffer(self._data, self)  # must outlive the document that reads it
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setAccessibleName(title)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        # A bar shown only when needed can appear and vanish forever as it narrows the page.
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.view.setDocument(self.document)
        self.pages = QLabel(self._pages_text())
        self.pages.setObjectName("pdfPages")
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self._build_buttons())
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.print_document)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save_as)
        self.resize(760, 680)
    def _build_buttons(self) -> QWidget:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton(_("Save as PDF…"))
        self.save_button.setObjectName("savePdf")
        self.print_button = QPushButton(_("Print…"))
        self.print_button.setObjectName("printPdf")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save_as)
        self.print_button.clicked.connect(self.print_document)
        buttons.rejected.connect(self.reject)
        row = QWidget()
        layout = QVBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        layout.addWidget(buttons)
        return row

    def _pages_text(self) -> str:
        if self.document.status() != QPdfDocument.Status.Ready:
            return _("The document could not be shown.")
        count = self.document.pageCount()
        return ngettext("{count} page", "{count} pages", count).format(count=count)

    # Saving -----------------------------------------------------------------------------------

    def save_as(self) -> None:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save as PDF"), str(Path(folder) / self._file_name), _("PDF files (*.pdf)")
        )
        if path and self.write_to(Path(path)):
            self.delivered.emit()

    def write_to(self, path: Path) -> bool:
        """Writes beside ``path`` first and then moves it into place: a full disk or a failing
        drive leaves the old file (or none), never half a PDF."""
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            write_atomically(path, self._pdf)
        except OSError as error:
            QMessageBox.warning(
                self,
                _("Save as PDF"),
                _("{file} could not be saved: {reason}").format(
                    file=path, reason=error.strerror or error
                ),
            )
            return False
        return True

    # Printing ---------------------------------------------------------------------------------

    def print_document(self) -> None:
        if self.print_job is not None:
            return  # one print at a time; the shortcut still works while one runs
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Every page (or the range chosen in the print dialog); returns the pages printed, 0
        when cancelled. The window's events keep running while it waits for the job."""
        job = self.start_printing(printer)
        if job is None:
            return 0
        if not job.done:
            loop = QEventLoop()
            job.finished.connect(loop.quit)
            loop.exec()
        if not job.done:  # the program is quitting
            job.cancel()
        return job.pages

    def start_printing(self, printer: QPrinter) -> PrintJob | None:
        """Starts printing without waiting; None when there is nothing to print."""
        if self.print_job is not None:
            return None
        first, last = 0, self.document.pageCount() - 1
        if printer.fromPage() > 0:
            first = printer.fromPage() - 1
            last = min(last, printer.toPage() - 1)
        painter = QPainter()
        if last < first or not painter.begin(printer):
            return None
        owner = self if self.isVisible() else (self.parentWidget() or self)
        self.print_job = PrintJob(self._paint_page, printer, painter, (first, last), owner)
        self.print_job.finished.connect(self._printing_ended)
        self.print_button.setEnabled(False)
        return self.print_job

    def _printing_ended(self, pages: int) -> None:
        self.print_job = None
        self.print_button.setEnabled(True)
        if pages:
            self.delivered.emit()

    def _paint_page(self, painter: QPainter, printer: QPrinter, page: int) -> None:
        points = self.document.pagePointSize(page)
        scale = PRINT_DPI / 72  # PDF points are 1/72 inch
        pixels = QSize(round(points.width() * scale), round(points.height() * scale))
        image = self.document.render(page, pixels)
        target = printer.pageLayout().paintRectPixels(printer.resolution())
        scaled = pixels.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
        painter.drawImage(QRect(0, 0, scaled.width(), scaled.height()), image)

    def done(self, result: int) -> None:
        """Closing the preview (Close, Escape) stops a print still under way."""
        if self.print_job is not None:
            self.print_job.cancel()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.print_job is not None:
            self.print_job.cancel()
        super().closeEvent(event)


def write_atomically(path: Path, data: bytes) -> None:
    """``data`` into ``path`` through a temporary file in the same folder, replaced into place
    once it is wholly on disk; the temporary file is removed when anything fails."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    handle = os.open(temporary, flags, 0o666)  # the usual permissions, after the umask
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
