"""An in-app preview of a PDF made by the reports: look at it, save it, print it.

The document is shown from memory (no temporary file). Printing renders each page to an image
at PRINT_DPI and scales it onto the printer's page, so any printer Qt knows can print it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, QStandardPaths, Qt
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, ngettext

PRINT_DPI = 300  # sharp on paper without images of hundreds of megabytes per page


class PdfPreviewDialog(QDialog):
    """Shows ``pdf`` (bytes) page after page; Save as PDF… and Print… act on the same bytes."""

    def __init__(
        self, pdf: bytes, title: str, file_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setWindowTitle(title)
        self._pdf = pdf
        self._file_name = file_name
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
        if path:
            self.write_to(Path(path))

    def write_to(self, path: Path) -> bool:
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            path.write_bytes(self._pdf)
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
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Every page (or the range chosen in the print dialog); returns the pages printed."""
        first, last = 0, self.document.pageCount() - 1
        if printer.fromPage() > 0:
            first = printer.fromPage() - 1
            last = min(last, printer.toPage() - 1)
        painter = QPainter()
        if last < first or not painter.begin(printer):
            return 0
        try:
            for page in range(first, last + 1):
                if page > first:
                    printer.newPage()
                self._paint_page(painter, printer, page)
        finally:
            painter.end()
        return last - first + 1

    def _paint_page(self, painter: QPainter, printer: QPrinter, page: int) -> None:
        points = self.document.pagePointSize(page)
        scale = PRINT_DPI / 72  # PDF points are 1/72 inch
        pixels = QSize(round(points.width() * scale), round(points.height() * scale))
        image = self.document.render(page, pixels)
        target = printer.pageLayout().paintRectPixels(printer.resolution())
        scaled = pixels.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
        painter.drawImage(QRect(0, 0, scaled.width(), scaled.height()), image)
