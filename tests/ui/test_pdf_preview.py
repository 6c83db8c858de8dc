"""The PDF preview: shows a report's pages, saves the same bytes, prints every page."""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from crm_desktop.reports.referral_tree import TreePictureNode, render_referral_tree
from crm_desktop.ui.pdf_preview import PdfPreviewDialog


def tree_pdf(people: int) -> bytes:
    children = tuple(TreePictureNode(f"Person {n}", 0, 0, False) for n in range(people))
    return render_referral_tree(TreePictureNode("Aino Aalto", people, people, False, children))


def test_shows_saves_and_prints_every_page(qtbot, tmp_path):
    pdf = tree_pdf(120)  # more rows than one page holds
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages > 1
    dialog = PdfPreviewDialog(pdf, "Referral tree: Aino Aalto", "tree.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.document.pageCount() == pages
    assert dialog.pages.text() == f"{pages} pages"

    assert dialog.write_to(tmp_path / "saved")  # the extension is added
    assert (tmp_path / "saved.pdf").read_bytes() == pdf

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_to(printer) == pages
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == pages


def test_a_broken_document_says_so(qtbot):
    dialog = PdfPreviewDialog(b"not a pdf", "Broken", "broken.pdf")
    qtbot.addWidget(dialog)
    assert dialog.document.pageCount() == 0
    assert dialog.pages.text() == "The document could not be shown."
