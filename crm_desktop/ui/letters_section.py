"""The Letters desk: edit the letter templates with a live preview, and print batches.

The preview renders the text as it stands in the editor (saved or not) on the worker, for a
sample customer or the customer chosen on the Customers desk. Saving stores the edit in the
database; Reset to Default forgets it so the shipped text is used again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from babel import Locale
from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, current_language
from crm_desktop.services.changes import Changes
from crm_desktop.services.customer_data import CustomerDetail
from crm_desktop.services.customers import get_customer
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.letter_preview import template_preview_pdf
from crm_desktop.services.letter_templates import (
    LETTER_KINDS,
    LETTER_LANGUAGES,
    TemplateText,
    effective_template,
    kind_label,
    reset_template,
    save_template,
)
from crm_desktop.services.search import CustomerQuery
from crm_desktop.ui.batch_letters import BatchLettersDialog
from crm_desktop.ui.card_dialogs import show_error
from crm_desktop.ui.pdf_pane import PdfPane
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner
from crm_desktop.ui.template_editor import TemplateEditor

Runner = TaskRunner | SyncTaskRunner
_PREVIEW_KINDS = frozenset({"settings", "letter_templates", "customers", "favourites"})


def language_name(code: str) -> str:
    name = Locale.parse(code).get_display_name(current_language()) or code
    return name[:1].upper() + name[1:]


class LettersSection(QWidget):
    status_message = Signal(str)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lettersSection")
        self._runner = runner
        self._stale = True
        self._request = 0
        self.template: TemplateText | None = None  # as loaded; the editor may differ
        self._shown = ("", "")  # the combos' kind and language the editor holds
        self._followed: int | None = None
        self._list_query: Callable[[], CustomerQuery] | None = None
        self.batch: BatchLettersDialog | None = None
        self.editor = TemplateEditor()
        self.preview = PdfPane(runner, _("Letter preview"))
        self.preview.setObjectName("templatePreview")
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("lettersSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_left())
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([480, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.editor.edited.connect(self._edited)
        runner.changed.connect(self._data_changed)

    def _build_left(self) -> QWidget:
        self.kind = QComboBox()
        self.kind.setObjectName("templateKind")
        for key in LETTER_KINDS:
            self.kind.addItem(kind_label(key), key)
        self.language = QComboBox()
        self.language.setObjectName("templateLanguage")
        for code in LETTER_LANGUAGES:
            self.language.addItem(language_name(code), code)
        self.sample_for = QComboBox()
        self.sample_for.setObjectName("previewFor")
        self.sample_for.addItem(_("A sample customer"), None)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        for text, field in ((_("&Letter"), self.kind), (_("L&anguage"), self.language),
                            (_("Pre&view for"), self.sample_for)):
            field.setAccessibleName(text.replace("&", ""))
            form.addRow(text, field)
        self.kind.currentIndexChanged.connect(lambda _index: self._choice_changed())
        self.language.currentIndexChanged.connect(lambda _index: self._choice_changed())
        self.sample_for.currentIndexChanged.connect(lambda _index: self._schedule(at_once=True))
        self.state = QLabel()
        self.state.setObjectName("templateState")
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addLayout(form)
        layout.addWidget(self.state)
        layout.addWidget(self.editor, 1)
        layout.addLayout(self._build_buttons())
        return column

    def _build_buttons(self) -> QHBoxLayout:
        self.save_button = QPushButton(_("&Save"))
        self.save_button.setObjectName("saveTemplate")
        self.reset_button = QPushButton(_("&Reset to Default…"))
        self.reset_button.setObjectName("resetTemplate")
        self.batch_button = QPushButton(_("&Batch Letters…"))
        self.batch_button.setObjectName("batchLetters")
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset)
        self.batch_button.clicked.connect(self.open_batch)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.reset_button)
        row.addStretch(1)
        row.addWidget(self.batch_button)
        return row

    # Loading ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._stale = True
        if self.isVisible():
            self.load()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.load()

    @property
    def choice(self) -> tuple[str, str]:
        return str(self.kind.currentData()), str(self.language.currentData())

    def load(self) -> None:
        self._stale = False
        kind, language = self.choice
        self._request += 1
        request = self._request
        self._runner.submit(
            lambda session: effective_template(session, kind, language),
            lambda template: self._loaded(request, template),
            lambda error: show_error(self, error),
        )

    def _loaded(self, request: int, template: TemplateText) -> None:
        if request != self._request:
            return
        self.template = template
        self._shown = (template.kind, template.language)
        self.editor.set_text(template.subject, template.body)
        self._show_state()
        self._schedule(at_once=True)  # the first page without waiting for a pause

    def _show_state(self) -> None:
        edited = self.template is not None and self.template.edited
        text = _("Your own text (Reset to Default brings back the original).") if edited else (
            _("The text shipped with the program."))
        if self.has_unsaved_changes():
            text = _("{state} Changed, not saved yet.").format(state=text)
        self.state.setText(text)
        self.reset_button.setEnabled(edited)

    def has_unsaved_changes(self) -> bool:
        template = self.template
        if template is None:
            return False
        subject, body = self.editor.text()
        return (subject.strip(), body.strip()) != (template.subject, template.body)

    def _choice_changed(self) -> None:
        if self.choice == self._shown:
            return
        if self.has_unsaved_changes() and not self._may_discard():
            for combo, value in ((self.kind, self._shown[0]), (self.language, self._shown[1])):
                combo.blockSignals(True)
                combo.setCurrentIndex(combo.findData(value))
                combo.blockSignals(False)
            return
        self.load()

    def _may_discard(self) -> bool:
        answer = QMessageBox.question(
            self, _("Unsaved changes"),
            _("The changes to this letter are not saved. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _data_changed(self, changes: Changes) -> None:
        if "letter_templates" in changes.kinds and not self.has_unsaved_changes():
            self.refresh()
        elif changes.kinds & _PREVIEW_KINDS and self.isVisible():
            self._schedule(at_once=False)

    # The live preview -------------------------------------------------------------------------

    def _edited(self) -> None:
        self._show_state()
        self._schedule(at_once=False)

    def _schedule(self, at_once: bool) -> None:
        if self.template is None:
            return
        if self.editor.problems:
            self.preview.stop(_("The preview waits until the placeholders are right."))
            return
        (kind, language), (subject, body) = self._shown, self.editor.text()
        customer_id, today = self.sample_for.currentData(), date.today()

        def render(session: Any) -> bytes:
            return template_preview_pdf(session, kind, language, subject, body, customer_id, today)

        if at_once:
            self.preview.render_now(render)
        else:
            self.preview.schedule(render)

    def follow_customer(self, customer_id: int | None) -> None:
        """The customer on the card becomes a choice for the preview."""
        if customer_id is None or customer_id == self._followed:
            return
        self._followed = customer_id
        self._runner.submit(lambda session: get_customer(session, customer_id),
                            self._customer_arrived, lambda _error: None)

    def _customer_arrived(self, detail: CustomerDetail) -> None:
        if self.sample_for.count() > 1:
            self.sample_for.removeItem(1)
        self.sample_for.addItem(detail.display_name or _("(no name)"), detail.id)

    def use_customer_list(self, query: Callable[[], CustomerQuery]) -> None:
        """Where the batch dialog reads "the customers in the list now"."""
        self._list_query = query

    # Saving -----------------------------------------------------------------------------------

    def save(self) -> None:
        if not self.editor.check():
            self.editor.focus_first_problem()
            self.status_message.emit(_("Not saved: the letter has placeholder problems."))
            return
        (kind, language), (subject, body) = self._shown, self.editor.text()
        self._runner.submit(
            lambda session: save_template(session, kind, language, subject, body),
            lambda _changes: self._stored(_("Saved the “{kind}” letter.").format(
                kind=kind_label(kind))),
            self._save_failed,
        )

    def _save_failed(self, error: Exception) -> None:
        if isinstance(error, ValidationError):
            self.editor.show_errors(error.fields)
        else:
            show_error(self, error)

    def reset(self) -> None:
        (kind, language) = self._shown
        answer = QMessageBox.question(
            self, _("Reset to default"),
            _("Replace your text of the “{kind}” letter with the original?").format(
                kind=kind_label(kind)),
            QMessageBox.StandardButton.Reset | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Reset:
            return
        self._runner.submit(
            lambda session: reset_template(session, kind, language),
            lambda _changes: self._stored(_("The “{kind}” letter is back to the original.").format(
                kind=kind_label(kind))),
            lambda error: show_error(self, error),
        )

    def _stored(self, message: str) -> None:
        self.status_message.emit(message)
        self.load()

    # Batch letters ----------------------------------------------------------------------------

    def open_batch(self) -> None:
        dialog = BatchLettersDialog(self._runner, self._shown[0] or None, self._list_query, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.status.connect(self.status_message)
        dialog.destroyed.connect(lambda: setattr(self, "batch", None))
        self.batch = dialog
        dialog.open()

    # Window state -----------------------------------------------------------------------------

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("letters/splitter", self.splitter.saveState())

    def restore_state(self, settings: QSettings) -> None:
        state = settings.value("letters/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
