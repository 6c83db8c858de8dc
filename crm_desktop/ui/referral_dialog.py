"""Who referred this customer: pick a customer (type-ahead) or a source, and the date.

The dialog stays open until the service accepts the link; a refusal (the customer themself,
a circle of referrals, a date in the future) is shown under the field it is about. Replacing
an existing referrer asks first, since the change is written to the customer's history.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.referral_data import (
    ReferralCleared,
    ReferralInfo,
    ReferralSaved,
    ReferralSource,
)
from crm_desktop.services.referrals import clear_referral, set_referral, source_choices
from crm_desktop.ui.card_dialogs import show_error
from crm_desktop.ui.customer_picker import CustomerPicker
from crm_desktop.ui.form_widgets import ErrorLabel, OptionalDateEdit, with_error
from crm_desktop.ui.referral_sources_dialog import ReferralSourcesDialog
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

_INDENT = 20  # the inputs sit under their radio button


def _indented(box: QWidget) -> QWidget:
    """The input and its error message, set in under their radio button."""
    layout = box.layout()
    if layout is not None:
        layout.setContentsMargins(_INDENT, 0, 0, 0)
    return box


def describe(info: ReferralInfo | None) -> str:
    """The referrer or source in a few words, for questions and messages."""
    if info is None:
        return _("nobody recorded")
    if info.referrer_id is not None:
        return info.referrer_name
    return info.source_label or _("a deleted customer")


def ask(parent: QWidget, title: str, question: str, detail: str, yes: str, name: str) -> bool:
    """A yes/cancel question whose yes-button has the object name ``name`` (Cancel is default)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=parent)
    box.setInformativeText(detail)
    confirm = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    confirm.setObjectName(name)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is confirm


class ReferralDialog(QDialog):
    """Edits one customer's referral; ``result_info`` holds what was stored after Save."""

    def __init__(
        self,
        runner: TaskRunner | SyncTaskRunner,
        customer_id: int,
        customer_name: str,
        current: ReferralInfo | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("referralDialog")
        self.setWindowTitle(_("How {name} came to us").format(name=customer_name))
        self._runner = runner
        self._customer_id = customer_id
        self._customer_name = customer_name
        self._current = current
        self._referrer: tuple[int, str] | None = None
        self.result_info: ReferralInfo | None = None
        self._build()
        self._fill(current)
        runner.submit(source_choices, self._fill_sources, lambda error: show_error(self, error))

    # Building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.by_customer = QRadioButton(_("Referred by a customer"))
        self.by_source = QRadioButton(_("Came from a source"))
        group = QButtonGroup(self)
        group.addButton(self.by_customer)
        group.addButton(self.by_source)
        self.picker = CustomerPicker(self._runner, _("Customer who referred them"))
        self.picker.picked.connect(self._picked)
        self.chosen = QLabel()
        self.chosen.setObjectName("chosenReferrer")
        self.chosen.setWordWrap(True)
        self.source = QComboBox()
        self.source.setObjectName("referralSource")
        self.source.setAccessibleName(_("Source"))
        self.edit_sources_button = QPushButton(_("Edit list…"))
        self.edit_sources_button.clicked.connect(self.edit_sources)
        self.date = OptionalDateEdit(_("Referral date"))
        self.general_error = ErrorLabel(self)
        # Both inputs stay usable; touching one selects its choice.
        self.source.activated.connect(lambda _index: self.by_source.setChecked(True))
        self.picker.line.textEdited.connect(lambda _text: self.by_customer.setChecked(True))
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addLayout(self._build_form())
        layout.addStretch(1)
        layout.addWidget(self._build_buttons())
        self.setMinimumWidth(440)

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.by_customer)
        picked = QWidget()
        column = QVBoxLayout(picked)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.picker)
        column.addWidget(self.chosen)
        box, self.referrer_error = with_error(picked, ErrorLabel(self.picker.line))
        form.addRow(_indented(box))
        form.addRow(self.by_source)
        source_row = QWidget()
        row = QHBoxLayout(source_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.source, 1)
        row.addWidget(self.edit_sources_button)
        box, self.source_error = with_error(source_row, ErrorLabel(self.source))
        form.addRow(_indented(box))
        label = QLabel(_("Referral date"))
        label.setBuddy(self.date.check_box)
        box, self.date_error = with_error(self.date, ErrorLabel(self.date.date_edit))
        form.addRow(label, box)
        return form

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveReferral")
        self.remove_button = buttons.addButton(
            _("Remove…"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.remove_button.setObjectName("removeReferral")
        self.remove_button.setVisible(self._current is not None)
        self.remove_button.clicked.connect(self.remove)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        return buttons

    def _fill(self, current: ReferralInfo | None) -> None:
        if current is not None and current.referrer_id is not None:
            self._picked(current.referrer_id, current.referrer_name)
            self.by_customer.setChecked(True)
        elif current is not None and current.source is not None:
            self.by_source.setChecked(True)
        else:
            self.by_customer.setChecked(True)
            self.chosen.setText(_("Nobody chosen yet."))
        self.date.set_value(current.referred_on if current is not None else date.today())

    def _fill_sources(self, choices: list[ReferralSource]) -> None:
        wanted = self.source.currentData()
        if wanted is None and self._current is not None:
            wanted = self._current.source
        self.source.clear()
        for choice in choices:
            self.source.addItem(choice.label, choice.key)
        if wanted is not None and self.source.findData(wanted) < 0:
            self.source.addItem(str(wanted), wanted)  # a removed own source stays choosable
        if wanted is not None:
            self.source.setCurrentIndex(self.source.findData(wanted))

    # Reacting ---------------------------------------------------------------------------------

    def _picked(self, customer_id: int, name: str) -> None:
        self._referrer = (customer_id, name)
        self.chosen.setText(_("Chosen: {name}").format(name=name))
        self.referrer_error.clear_message()

    def edit_sources(self) -> None:
        dialog = ReferralSourcesDialog(self._runner, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._runner.submit(source_choices, self._fill_sources)

    def choose_source(self, key: str) -> None:
        """Select a source by its key (what a click in the list does)."""
        self.by_source.setChecked(True)
        self.source.setCurrentIndex(self.source.findData(key))

    # Saving -----------------------------------------------------------------------------------

    def wanted(self) -> tuple[int | None, str | None]:
        """The referrer id or source key the dialog shows now (one of them None)."""
        if self.by_customer.isChecked():
            return (self._referrer[0] if self._referrer else None), None
        data = self.source.currentData()
        return None, (str(data) if data is not None else None)

    def save(self) -> None:
        self._clear_errors()
        referrer_id, source = self.wanted()
        if referrer_id is None and source is None:
            self._show_errors({"referrer": _("Type a name and choose the customer from the list.")}
                              if self.by_customer.isChecked()
                              else {"source": _("Choose a source from the list.")})
            return
        if self._replaces_current(referrer_id, source) and not self._confirm_change():
            return
        customer_id, referred_on = self._customer_id, self.date.value()
        self._runner.submit(
            lambda session: set_referral(session, customer_id, referrer_id, source, referred_on),
            self._saved,
            self._failed,
        )

    def _replaces_current(self, referrer_id: int | None, source: str | None) -> bool:
        current = self._current
        return current is not None and (current.referrer_id, current.source) != (
            referrer_id,
            source,
        )

    def _confirm_change(self) -> bool:
        if self.by_customer.isChecked() and self._referrer is not None:
            new = self._referrer[1]
        else:
            new = self.source.currentText()
        return ask(
            self,
            _("Change referrer"),
            _("Change who referred {name}?").format(name=self._customer_name),
            _("From {old} to {new}. The change is written to their history.").format(
                old=describe(self._current), new=new
            ),
            _("Change"),
            "confirmChange",
        )

    def _saved(self, saved: ReferralSaved) -> None:
        self.result_info = saved.referral
        self.accept()

    def remove(self) -> None:
        confirmed = ask(
            self,
            _("Remove referral"),
            _("Remove how {name} came to us?").format(name=self._customer_name),
            _("{old} is no longer recorded. The removal is written to their history.").format(
                old=describe(self._current)
            ),
            _("Remove"),
            "confirmRemove",
        )
        if not confirmed:
            return
        customer_id = self._customer_id

        def forget(session: Any) -> ReferralCleared:
            return clear_referral(session, customer_id)

        self._runner.submit(forget, lambda _cleared: self.accept(), self._failed)

    def _failed(self, error: Exception) -> None:
        if isinstance(error, ValidationError):
            self._show_errors(error.fields)
        else:
            show_error(self, error)

    def _show_errors(self, fields: dict[str, str]) -> None:
        placed = {
            "referrer": self.referrer_error,
            "source": self.source_error,
            "referred_on": self.date_error,
        }
        unplaced = []
        for key, message in fields.items():
            label = placed.get(key)
            if label is None:
                unplaced.append(message)
            else:
                label.show_message(message)
        self.general_error.show_message(" ".join(unplaced))

    def _clear_errors(self) -> None:
        for label in (self.referrer_error, self.source_error, self.date_error, self.general_error):
            label.clear_message()
