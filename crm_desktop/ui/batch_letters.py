"""Batch letters: choose who and which letter, see who is left out and why, get one PDF.

Planning and rendering both run on the database worker. Rendering reports each finished
letter to a progress dialog whose Cancel stops the run between two letters. The letters go
on the customers' timelines once the PDF was printed or saved.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

from babel.dates import get_month_names
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, current_language, ngettext
from crm_desktop.reports import Cancelled
from crm_desktop.services.letter_batch import (
    BatchPlan,
    BirthdaysInMonth,
    ByIds,
    ByTag,
    Selection,
    batch_candidates,
    log_batch_sent,
    render_batch,
)
from crm_desktop.services.letter_templates import LETTER_KINDS, kind_label
from crm_desktop.services.search import CustomerQuery, all_tags, count_customers, customer_ids
from crm_desktop.ui.batch_skipped import SkippedModel, skipped_table
from crm_desktop.ui.card_dialogs import show_error
from crm_desktop.ui.form_widgets import ErrorLabel
from crm_desktop.ui.letter_output import LetterPreviewDialog, pdf_file_name
from crm_desktop.ui.list_formats import whole_number
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

ListQuery = Callable[[], CustomerQuery]


def plan_batch(
    session: Any, kind: str, selection: Selection | CustomerQuery, today: date, staff: str
) -> BatchPlan:
    """The plan; "the customers in the list now" is read on the worker, as the list is."""
    if isinstance(selection, CustomerQuery):
        selection = ByIds(tuple(customer_ids(session, selection)))
    return batch_candidates(session, kind, selection, today, staff)


def month_names() -> list[str]:
    names = get_month_names("wide", "stand-alone", locale=current_language())
    return [str(names[month])[:1].upper() + str(names[month])[1:] for month in range(1, 13)]


class _Progress(QObject):
    """Carries "letters done" from the worker thread to the progress dialog."""

    advanced = Signal(int)


class BatchLettersDialog(QDialog):
    status = Signal(str)

    def __init__(
        self,
        runner: TaskRunner | SyncTaskRunner,
        kind: str | None = None,
        list_query: ListQuery | None = None,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("batchLettersDialog")
        self.setWindowTitle(_("Batch letters"))
        self._runner = runner
        self._list_query = list_query
        self.today = today or date.today()
        self.plan: BatchPlan | None = None
        self.pdf: bytes | None = None
        self.preview: LetterPreviewDialog | None = None
        self.progress: QProgressDialog | None = None
        self.bridge = _Progress(self)
        self._stop = threading.Event()
        self._logged = False
        self.skipped_model = SkippedModel(self)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_choice(kind))
        self.pages.addWidget(self._build_summary())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self._build_buttons())
        self._show_page(0)
        self.resize(600, 460)
        runner.submit(all_tags, self._tags_arrived, lambda _error: None)
        if list_query is not None:
            query = list_query()
            runner.submit(lambda session: count_customers(session, query),
                          self._list_counted, lambda _error: None)

    # Building ---------------------------------------------------------------------------------

    def _build_choice(self, kind: str | None) -> QWidget:
        self.kind = QComboBox()
        self.kind.setObjectName("batchKind")
        for key in LETTER_KINDS:
            self.kind.addItem(kind_label(key), key)
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))
        self.kind.setAccessibleName(_("Letter"))
        self.staff = QLineEdit()
        self.staff.setAccessibleName(_("Signed by"))
        self.choice_error = ErrorLabel(self.kind)
        self.choice_error.setObjectName("batchError")
        form = QFormLayout()
        form.addRow(_("&Letter"), self.kind)
        form.addRow(_("Customers"), self._build_who())
        form.addRow(_("&Signed by"), self.staff)
        self._default_choice()
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.choice_error)
        layout.addStretch(1)
        return page

    def _build_who(self) -> QGridLayout:
        """The list now, a tag or a month of birthdays; choosing a tag or month ticks its row."""
        self.from_list = QRadioButton(_("The customers in the &list now"))
        self.from_list.setEnabled(self._list_query is not None)
        self.by_tag = QRadioButton(_("Customers &tagged"))
        self.tag = QComboBox()
        self.tag.setAccessibleName(_("Tag"))
        self.by_birthday = QRadioButton(_("&Birthdays in"))
        self.month = QComboBox()
        self.month.setAccessibleName(_("Month"))
        self.month.addItems(month_names())
        self.month.setCurrentIndex(self.today.month - 1)
        self.who = QButtonGroup(self)
        grid = QGridLayout()
        for row, (button, field) in enumerate(((self.from_list, None), (self.by_tag, self.tag),
                                               (self.by_birthday, self.month))):
            self.who.addButton(button, row)
            grid.addWidget(button, row, 0)
            if field is not None:
                grid.addWidget(field, row, 1)
                field.activated.connect(lambda _index, button=button: button.setChecked(True))
        grid.setColumnStretch(1, 1)
        return grid

    def _default_choice(self) -> None:
        if self.kind.currentData() == "birthday":
            self.by_birthday.setChecked(True)
        elif self._list_query is not None:
            self.from_list.setChecked(True)
        else:
            self.by_tag.setChecked(True)

    def _build_summary(self) -> QWidget:
        self.summary = QLabel()
        self.summary.setObjectName("batchSummary")
        self.summary.setWordWrap(True)
        self.skipped_title = QLabel()
        self.skipped_table = skipped_table(self.skipped_model)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.skipped_title)
        layout.addWidget(self.skipped_table, 100)
        layout.addStretch(1)  # keeps the two lines together when nobody is left out
        return page

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.back_button = QPushButton(_("< &Back"))
        self.next_button = QPushButton(_("&Next >"))
        self.make_button = QPushButton(_("&Make PDF"))
        self.make_button.setObjectName("makeBatchPdf")
        for button in (self.back_button, self.next_button, self.make_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.back_button.clicked.connect(lambda: self._show_page(0))
        self.next_button.clicked.connect(self.plan_letters)
        self.make_button.clicked.connect(self.make_pdf)
        buttons.rejected.connect(self.reject)
        return buttons

    def _show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.back_button.setVisible(page == 1)
        self.next_button.setVisible(page == 0)
        self.make_button.setVisible(page == 1)
        (self.next_button if page == 0 else self.make_button).setDefault(True)

    def _tags_arrived(self, tags: list[str]) -> None:
        self.tag.addItems(tags)
        if not tags:
            self.by_tag.setEnabled(False)
            self.tag.setEnabled(False)
            if self.by_tag.isChecked():
                self.by_birthday.setChecked(True)

    def _list_counted(self, count: int) -> None:
        self.from_list.setText(ngettext(
            "The customer in the &list now ({count})",
            "The customers in the &list now ({count})", count).format(count=whole_number(count)))

    # Planning ---------------------------------------------------------------------------------

    def selection(self) -> Selection | CustomerQuery | None:
        if self.from_list.isChecked() and self._list_query is not None:
            return self._list_query()
        if self.by_tag.isChecked():
            tag = self.tag.currentText().strip()
            return ByTag(tag) if tag else None
        return BirthdaysInMonth(self.month.currentIndex() + 1)

    def plan_letters(self) -> None:
        self.choice_error.clear_message()
        selection = self.selection()
        if selection is None:
            self.choice_error.show_message(_("Choose a tag."))
            return
        kind, today, staff = str(self.kind.currentData()), self.today, self.staff.text()
        self.next_button.setEnabled(False)
        self._runner.submit(
            lambda session: plan_batch(session, kind, selection, today, staff),
            self._planned, self._plan_failed,
        )

    def _planned(self, plan: BatchPlan) -> None:
        self.next_button.setEnabled(True)
        self.plan, self.pdf, self._logged = plan, None, False
        count = len(plan.included)
        self.summary.setText(ngettext(
            "{count} “{letter}” letter will be printed.",
            "{count} “{letter}” letters will be printed.", count).format(
                count=count, letter=kind_label(plan.kind)) if count else _(
            "Nobody in this selection can be sent this letter."))
        skipped = len(plan.skipped)
        self.skipped_title.setText(ngettext(
            "{count} customer is left out:", "{count} customers are left out:", skipped
        ).format(count=skipped) if skipped else _("Nobody is left out."))
        self.skipped_model.set_rows(plan.skipped)
        self.skipped_table.setVisible(bool(skipped))
        self.make_button.setEnabled(bool(count))
        self._show_page(1)

    def _plan_failed(self, error: Exception) -> None:
        self.next_button.setEnabled(True)
        self.choice_error.show_message(str(error))

    # Rendering --------------------------------------------------------------------------------

    def make_pdf(self) -> None:
        plan = self.plan
        if plan is None or not plan.included:
            return
        self._stop.clear()
        self.progress = self._progress_dialog(len(plan.included))
        bridge, stop = self.bridge, self._stop

        def progress(done: int) -> bool:  # runs on the worker thread
            bridge.advanced.emit(done)
            return not stop.is_set()

        self.make_button.setEnabled(False)
        self._runner.submit(lambda _session: render_batch(plan, progress),
                            self._rendered, self._render_failed)

    def _progress_dialog(self, total: int) -> QProgressDialog:
        dialog = QProgressDialog(_("Making the letters…"), _("Cancel"), 0, total, self)
        dialog.setObjectName("batchProgress")
        dialog.setWindowTitle(_("Batch letters"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel_run)
        self.bridge.advanced.connect(dialog.setValue)
        dialog.setValue(0)
        return dialog

    def cancel_run(self) -> None:
        self._stop.set()

    def _finish_progress(self) -> None:
        if self.progress is not None:
            self.bridge.advanced.disconnect(self.progress.setValue)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.make_button.setEnabled(True)

    def _rendered(self, pdf: bytes) -> None:
        self._finish_progress()
        self.pdf = pdf
        plan = self.plan
        assert plan is not None
        count = len(plan.included)
        title = ngettext("{letter}: {count} letter", "{letter}: {count} letters", count).format(
            letter=kind_label(plan.kind), count=count)
        self.preview = LetterPreviewDialog(pdf, title, pdf_file_name(title), self)
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.delivered.connect(self._delivered)
        self.preview.show()

    def _render_failed(self, error: Exception) -> None:
        self._finish_progress()
        if isinstance(error, Cancelled):
            self.status.emit(_("Batch letters cancelled: no PDF was made."))
            self.summary.setText(_("Cancelled: no PDF was made."))
        else:
            show_error(self, error)

    def _delivered(self) -> None:
        plan, staff = self.plan, self.staff.text()
        if plan is None or self._logged:
            return
        self._logged = True
        count = len(plan.included)
        done_text = ngettext(
            "{count} letter is on the customer's timeline.",
            "{count} letters are on the customers' timelines.", count,
        ).format(count=whole_number(count))
        self._runner.submit(
            lambda session: log_batch_sent(session, plan, staff),
            lambda _logged: self.status.emit(done_text),
            lambda error: show_error(self, error),
        )
