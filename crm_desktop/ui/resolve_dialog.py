"""Resolve a complaint: choose the remedy, see the apology letter as it will print, follow up.

The preview on the right is rendered on the worker a moment after each edit. Until the
complaint is resolved the coupon has no code, so the preview shows XXXX in its place;
resolving issues the coupon and the preview turns into the real letter. Print and Save as
PDF resolve first when that has not happened yet, then print or save the real letter and
put it on the customer's timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, format_date
from crm_desktop.services.complaint_data import ComplaintRow, ResolvedComplaint
from crm_desktop.services.complaints import resolve_complaint
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.favourites import list_products
from crm_desktop.services.letter_preview import APOLOGY, apology_preview_pdf
from crm_desktop.services.letters import letter_pdf, log_letter_sent
from crm_desktop.services.settings import load_settings
from crm_desktop.ui.card_dialogs import show_error
from crm_desktop.ui.complaints_model import first_line
from crm_desktop.ui.letter_output import pdf_file_name, print_pdf, save_pdf
from crm_desktop.ui.pdf_pane import PdfPane
from crm_desktop.ui.resolve_form import FormProblem, Resolution, ResolveForm
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

FORM_WIDTH = 380


def load_choices(session: Any) -> tuple[Any, Any]:
    return load_settings(session), list_products(session)


class ResolveDialog(QDialog):
    status = Signal(str)

    def __init__(
        self,
        runner: TaskRunner | SyncTaskRunner,
        complaint: ComplaintRow,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("resolveDialog")
        self.setWindowTitle(_("Resolve complaint: {name}").format(name=complaint.customer_name))
        self._runner = runner
        self.complaint = complaint
        self.today = today or date.today()
        self.resolved: ResolvedComplaint | None = None
        self.letter: bytes | None = None  # the real letter, once resolved
        self.logged = False
        self._then: Callable[[], None] | None = None  # print or save once the letter exists
        self.form = ResolveForm(self.today)
        self.preview = PdfPane(runner, _("The apology letter"))
        self.preview.setObjectName("apologyPreview")
        self._build()
        self.form.changed.connect(self._form_changed)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self,
                  lambda: self._shortcut(print_it=True))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self,
                  lambda: self._shortcut(print_it=False))
        self.resize(980, 640)
        runner.submit(load_choices, self._choices_arrived, lambda error: show_error(self, error))

    # Building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        about = QLabel(_("{date}, {customer}: {what}").format(
            date=format_date(self.complaint.received_on), customer=self.complaint.customer_name,
            what=first_line(self.complaint.description)))
        about.setObjectName("complaintSummary")
        about.setWordWrap(True)
        about.setTextFormat(Qt.TextFormat.PlainText)
        self.outcome = QLabel()
        self.outcome.setObjectName("resolveOutcome")
        self.outcome.setWordWrap(True)
        self.outcome.hide()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 6, 0)
        column.addWidget(about)
        column.addWidget(self.form)
        column.addWidget(self.outcome)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedWidth(FORM_WIDTH)
        row = QHBoxLayout()
        row.addWidget(scroll)
        row.addWidget(self.preview, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self._build_buttons())

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self.print_button = QPushButton(_("&Print…"))
        self.save_button = QPushButton(_("Save as P&DF…"))
        self.resolve_button = QPushButton(_("&Resolve"))
        self.resolve_button.setDefault(True)
        for button in (self.print_button, self.save_button):
            button.setToolTip(_("Resolves the complaint first, so the coupon gets its code"))
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.resolve_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.print_button.clicked.connect(lambda: self.deliver(print_it=True))
        self.save_button.clicked.connect(lambda: self.deliver(print_it=False))
        self.resolve_button.clicked.connect(self.resolve)
        buttons.rejected.connect(self.reject)
        return buttons

    def _choices_arrived(self, choices: tuple[Any, Any]) -> None:
        settings, products = choices
        self.form.set_catalogue(products, settings.compensation_limit_cents, settings.currency)
        self.preview.render_now()  # the first page at once; later edits wait for a pause

    # The live preview -------------------------------------------------------------------------

    def _form_changed(self) -> None:
        if self.resolved is not None:
            return
        resolution = self._read(show=False)
        if resolution is None:
            return
        complaint_id, today, coupon, staff = (
            self.complaint.id, self.today, resolution.coupon, resolution.staff)
        self.preview.schedule(
            lambda session: apology_preview_pdf(session, complaint_id, coupon, today, staff))

    def _read(self, show: bool) -> Resolution | None:
        """The form as typed, when it can be read; the limit is marked at once.

        A remedy above the limit still previews (the letter is the same), but cannot be
        resolved, printed or saved.
        """
        try:
            resolution = self.form.collect()
        except FormProblem as problem:
            if show:
                self.form.show_errors(problem.fields)
            self._enable(True)
            return None
        message = self.form.limit_problem(resolution)
        self.form.errors[self.form.cost_field()].show_message(message)
        self._enable(not message)
        return resolution

    def _enable(self, allowed: bool) -> None:
        for button in (self.resolve_button, self.print_button, self.save_button):
            button.setEnabled(allowed or self.resolved is not None)

    # Resolving --------------------------------------------------------------------------------

    def resolve(self) -> None:
        self.form.clear_errors()
        resolution = self._read(show=True)
        if resolution is None or self.form.limit_problem(resolution):
            self._then = None
            return
        complaint_id, today, r = self.complaint.id, self.today, resolution
        self._enable_all(False)
        self._runner.submit(
            lambda session: resolve_complaint(
                session, complaint_id, r.remedy, r.compensation_cents, r.coupon,
                r.follow_up_on, r.staff, today),
            self._resolved,
            self._resolve_failed,
        )

    def _enable_all(self, enabled: bool) -> None:
        for button in (self.resolve_button, self.print_button, self.save_button):
            button.setEnabled(enabled)

    def _resolved(self, result: ResolvedComplaint) -> None:
        self.resolved = result
        self.preview.stop()
        self.form.set_read_only()
        self.resolve_button.hide()
        for button in (self.print_button, self.save_button):
            button.setToolTip("")
        self.close_button.setText(_("Close"))
        self.outcome.setText(self._outcome_text(result))
        self.outcome.show()
        self.status.emit(self.outcome.text())
        self._render_letter()

    def _outcome_text(self, result: ResolvedComplaint) -> str:
        parts = [_("The complaint is resolved.")]
        if result.coupon is not None:
            parts.append(_("Coupon {code} was issued.").format(code=result.coupon.grouped_code))
        follow_up = result.complaint.follow_up_on
        if follow_up is not None:
            parts.append(_("Follow up on {date}: it is on the Today list.").format(
                date=format_date(follow_up)))
        return " ".join(parts)

    def _resolve_failed(self, error: Exception) -> None:
        self._then = None
        self._enable_all(True)
        if isinstance(error, ValidationError):
            self.form.show_errors(error.fields)
        else:
            show_error(self, error)

    def _render_letter(self) -> None:
        assert self.resolved is not None
        customer_id, today = self.complaint.customer_id, self.today
        coupon_id = self.resolved.coupon.id if self.resolved.coupon is not None else None
        staff = self.form.staff.text()
        self._enable_all(False)
        self._runner.submit(
            lambda session: letter_pdf(session, APOLOGY, customer_id, coupon_id, today, staff),
            self._letter_arrived,
            self._letter_failed,
        )

    def _letter_arrived(self, pdf: bytes) -> None:
        self.letter = pdf
        self.preview.show_pdf(pdf)
        self._enable_all(True)
        then, self._then = self._then, None
        if then is not None:
            then()

    def _letter_failed(self, error: Exception) -> None:
        self._then = None
        self.preview.stop(str(error))
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)

    # Printing and saving ----------------------------------------------------------------------

    def _shortcut(self, print_it: bool) -> None:
        if (self.print_button if print_it else self.save_button).isEnabled():
            self.deliver(print_it)

    def deliver(self, print_it: bool) -> None:
        """Print or save the real letter, resolving first when needed."""
        if self.letter is not None:
            self._output(print_it)
            return
        self._then = lambda: self._output(print_it)
        if self.resolved is None:
            self.resolve()

    def _output(self, print_it: bool) -> None:
        assert self.letter is not None
        title = _("Apology to {name}").format(name=self.complaint.customer_name)
        if print_it:
            done = print_pdf(self, self.letter, title)
        else:
            done = save_pdf(self, self.letter, title, pdf_file_name(title))
        if done and not self.logged:
            self._log_letter()

    def _log_letter(self) -> None:
        assert self.resolved is not None
        complaint = self.complaint
        coupon_id = self.resolved.coupon.id if self.resolved.coupon is not None else None
        staff = self.form.staff.text()
        self.logged = True
        self._runner.submit(
            lambda session: log_letter_sent(
                session, complaint.customer_id, APOLOGY, staff, coupon_id, complaint.id),
            lambda _changes: self.status.emit(_("The letter is on {name}'s timeline.").format(
                name=complaint.customer_name)),
            lambda error: show_error(self, error),
        )
