"""Printing and saving letters: the preview dialog's own Save and Print, telling when they succeed.

A letter goes on the customer's timeline once it has really left the program (printed or
saved), so the preview here reports that with ``delivered``; cancelling the print or file
dialog logs nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from crm_desktop.ui.pdf_preview import PdfPreviewDialog


class LetterPreviewDialog(PdfPreviewDialog):
    """The PDF preview, with a signal once the document was printed or saved."""

    delivered = Signal()

    def print_to(self, printer: QPrinter) -> int:
        pages = super().print_to(printer)
        if pages:
            self.delivered.emit()
        return pages

    def write_to(self, path: Path) -> bool:
        written = super().write_to(path)
        if written:
            self.delivered.emit()
        return written


def print_pdf(parent: QWidget, pdf: bytes, title: str) -> bool:
    """The system print dialog for ``pdf``; True once it was printed."""
    return _deliver(parent, pdf, title, "", print_it=True)


def save_pdf(parent: QWidget, pdf: bytes, title: str, file_name: str) -> bool:
    """Ask where, then write ``pdf`` there; True once it was written."""
    return _deliver(parent, pdf, title, file_name, print_it=False)


def _deliver(parent: QWidget, pdf: bytes, title: str, file_name: str, print_it: bool) -> bool:
    helper = LetterPreviewDialog(pdf, title, file_name, parent)  # never shown: its two actions
    done: list[bool] = []
    helper.delivered.connect(lambda: done.append(True))
    try:
        if print_it:
            helper.print_document()
        else:
            helper.save_as()
    finally:
        helper.deleteLater()
    return bool(done)


def pdf_file_name(text: str) -> str:
    """A file name from a title: no path separators, ends in .pdf."""
    cleaned = "".join("-" if char in '/\\:*?"<>|' else char for char in text).strip()
    return cleaned + ".pdf"
