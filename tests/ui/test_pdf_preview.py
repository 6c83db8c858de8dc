"""The PDF preview: shows a report's pages, saves the same bytes, prints every page."""

from __future__ import annotations

import errno
import io
import os

from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from crm_desktop.reports.referral_tree import TreePictureNode, render_referral_tree
from crm_desktop.ui import pdf_preview
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

    assert dialog.print_to(pdf_printer(tmp_path / "printed.pdf")) == pages
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == pages


def pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def one_page_per_tick(monkeypatch) -> None:
    """Every page takes "too long", so each turn of the event loop prints exactly one."""
    monkeypatch.setattr(pdf_preview, "PRINT_TICK_MS", 0)


def test_printing_runs_between_the_windows_events(qtbot, tmp_path, monkeypatch):
    one_page_per_tick(monkeypatch)
    pdf = tree_pdf(120)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    dialog = PdfPreviewDialog(pdf, "Tree", "tree.pdf")
    qtbot.addWidget(dialog)
    job = dialog.start_printing(pdf_printer(tmp_path / "printed.pdf"))
    assert job is not None and job.printed == 0  # nothing done before the event loop runs
    assert not dialog.print_button.isEnabled()
    assert dialog.start_printing(pdf_printer(tmp_path / "again.pdf")) is None  # one at a time
    with qtbot.waitSignal(job.finished) as finished:
        pass
    assert finished.args == [pages]
    assert dialog.print_job is None and dialog.print_button.isEnabled()
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == pages


def test_the_window_keeps_its_events_during_a_waiting_print(qtbot, tmp_path, monkeypatch):
    one_page_per_tick(monkeypatch)
    dialog = PdfPreviewDialog(tree_pdf(120), "Tree", "tree.pdf")
    qtbot.addWidget(dialog)
    pages = dialog.document.pageCount()
    part_way: list[bool] = []  # what a timer saw when it fired: a print still under way?
    QTimer.singleShot(0, lambda: part_way.append(
        dialog.print_job is not None and dialog.print_job.printed < pages))
    assert dialog.print_to(pdf_printer(tmp_path / "printed.pdf")) == pages
    assert part_way == [True]


def test_cancel_stops_printing_part_way(qtbot, tmp_path, monkeypatch):
    one_page_per_tick(monkeypatch)
    dialog = PdfPreviewDialog(tree_pdf(120), "Tree", "tree.pdf")
    qtbot.addWidget(dialog)
    job = dialog.start_printing(pdf_printer(tmp_path / "printed.pdf"))
    assert job is not None
    qtbot.waitUntil(lambda: job.printed >= 1)
    job.progress.findChild(QPushButton).click()  # the progress window's Cancel button
    assert job.done and job.pages == 0 and job.printed < dialog.document.pageCount()
    assert dialog.print_job is None and dialog.print_button.isEnabled()
    printed_then = job.printed
    for _turn in range(3):
        QApplication.processEvents()  # turns of the event loop that would have printed pages
    assert job.printed == printed_then


def test_closing_the_preview_cancels_the_print(qtbot, tmp_path, monkeypatch):
    one_page_per_tick(monkeypatch)
    dialog = PdfPreviewDialog(tree_pdf(120), "Tree", "tree.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    QTimer.singleShot(0, dialog.reject)
    assert dialog.print_to(pdf_printer(tmp_path / "printed.pdf")) == 0


def test_a_failed_save_leaves_the_old_file_and_no_scraps(qtbot, tmp_path, monkeypatch):
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    dialog = PdfPreviewDialog(tree_pdf(3), "Tree", "tree.pdf")
    qtbot.addWidget(dialog)
    (tmp_path / "old.pdf").write_bytes(b"the old letter")

    def disk_full(descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pdf_preview.os, "fsync", disk_full)
    assert not dialog.write_to(tmp_path / "old.pdf")
    assert not dialog.write_to(tmp_path / "new.pdf")
    assert (tmp_path / "old.pdf").read_bytes() == b"the old letter"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.pdf"]
    assert warnings == [
        f"{tmp_path / name} could not be saved: {os.strerror(errno.ENOSPC)}"
        for name in ("old.pdf", "new.pdf")
    ]


def test_saving_replaces_an_old_file_whole(qtbot, tmp_path):
    pdf = tree_pdf(3)
    dialog = PdfPreviewDialog(pdf, "Tree", "tree.pdf")
    qtbot.addWidget(dialog)
    (tmp_path / "tree.pdf").write_bytes(b"an older and much longer document " * 1000)
    assert dialog.write_to(tmp_path / "tree.pdf")
    assert (tmp_path / "tree.pdf").read_bytes() == pdf
    assert [p.name for p in tmp_path.iterdir()] == ["tree.pdf"]


def test_a_broken_document_says_so(qtbot):
    dialog = PdfPreviewDialog(b"not a pdf", "Broken", "broken.pdf")
    qtbot.addWidget(dialog)
    assert dialog.document.pageCount() == 0
    assert dialog.pages.text() == "The document could not be shown."


def test_delivered_only_after_a_save_or_print_that_happened(qtbot, tmp_path, monkeypatch):
    dialog = PdfPreviewDialog(tree_pdf(3), "Tree", "tree.pdf")
    qtbot.addWidget(dialog)
    delivered: list[bool] = []
    dialog.delivered.connect(lambda: delivered.append(True))
    chosen = [""]
    monkeypatch.setattr(
        pdf_preview.QFileDialog, "getSaveFileName", lambda *args: (chosen[0], "")
    )
    dialog.save_as()  # the owner closed the file dialog
    assert delivered == []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: None)
    chosen[0] = str(tmp_path / "missing folder" / "tree.pdf")
    dialog.save_as()  # could not be written
    assert delivered == []
    chosen[0] = str(tmp_path / "tree.pdf")
    dialog.save_as()
    assert delivered == [True] and (tmp_path / "tree.pdf").exists()
    QTimer.singleShot(0, dialog.reject)  # a print cancelled before any page
    assert dialog.print_to(pdf_printer(tmp_path / "cancelled.pdf")) == 0
    assert delivered == [True]
    assert dialog.print_to(pdf_printer(tmp_path / "printed.pdf")) > 0
    assert delivered == [True, True]
