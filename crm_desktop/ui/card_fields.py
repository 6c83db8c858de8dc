"""The card's repeatable rows: several emails and phones, and consent per contact channel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import cast

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import N_, _
from crm_desktop.services.customer_data import ConsentInput
from crm_desktop.ui.form_widgets import ErrorLabel, OptionalDateEdit

EMAIL_LABELS = (("home", N_("Home")), ("work", N_("Work")), ("other", N_("Other")))
PHONE_LABELS = (
    ("mobile", N_("Mobile")),
    ("home", N_("Home")),
    ("work", N_("Work")),
    ("other", N_("Other")),
)
CONSENT_CHANNELS = (
    ("post", N_("By post")),
    ("email", N_("By email")),
    ("sms", N_("By SMS")),
    ("phone", N_("By phone")),
)

KIND_WIDTH = 6  # characters: "Mobile" fits; longer translations are elided by the style
Check = Callable[[str], str]  # the message for a bad value, "" when it is fine


class ContactRow(QWidget):
    """One email or phone: its kind (home, work…), the value, a remove button, the error."""

    remove_requested = Signal(QWidget)
    edited = Signal()

    def __init__(self, kinds: tuple[tuple[str, str], ...], check: Check) -> None:
        super().__init__()
        self._check = check
        self.label = QLabel()
        self.kind = QComboBox()
        for key, text in kinds:
            self.kind.addItem(_(text), key)
        # One width for every kind box, so email and phone fields line up.
        self.kind.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.kind.setMinimumContentsLength(KIND_WIDTH)
        self.edit = QLineEdit()
        self.label.setBuddy(self.edit)
        self.remove_button = QToolButton()
        self.remove_button.setText("✕")
        self.error = ErrorLabel(self.edit)
        line = QHBoxLayout()
        line.setSpacing(4)
        line.addWidget(self.kind)
        line.addWidget(self.edit, 1)
        line.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(line)
        layout.addWidget(self.error)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self.edit.editingFinished.connect(self.check_now)
        self.edit.textEdited.connect(self._recheck_if_flagged)
        self.edit.textChanged.connect(self.edited)
        self.kind.currentIndexChanged.connect(self.edited)

    def set_number(self, title: str, kind_title: str, remove_title: str) -> None:
        self.label.setText(title)
        self.edit.setAccessibleName(title)
        self.kind.setAccessibleName(kind_title)
        self.remove_button.setAccessibleName(remove_title)
        self.remove_button.setToolTip(remove_title)

    def set_value(self, text: str, kind: str) -> None:
        index = self.kind.findData(kind)
        if index < 0:  # a label from an import that the list does not offer
            self.kind.addItem(kind or "—", kind)
            index = self.kind.count() - 1
        self.kind.setCurrentIndex(index)
        self.edit.setText(text)
        self.error.clear_message()

    def value(self) -> tuple[str, str]:
        return self.edit.text(), str(self.kind.currentData() or "")

    def check_now(self) -> None:
        text = self.edit.text()
        self.error.show_message(self._check(text) if text.strip() else "")

    def _recheck_if_flagged(self) -> None:
        # While the owner types, an error only disappears; it appears when they leave the field.
        if self.error.message and not self._check(self.edit.text()):
            self.error.clear_message()


class ContactRows(QObject):
    """Rows of emails or phones kept together in a form, just above their "Add…" button."""

    changed = Signal()

    def __init__(self, form: QFormLayout, after: QWidget, texts: dict[str, str],
                 kinds: tuple[tuple[str, str], ...], check: Check) -> None:
        super().__init__(form)
        self._form = form
        self._after = after
        self._texts = texts  # title, kind, remove, add: templates with {number}
        self._kinds = kinds
        self._check = check
        self.rows: list[ContactRow] = []
        self.add_button = QPushButton(texts["add"])
        self.add_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.add_button.clicked.connect(self._add_clicked)
        form.addRow("", self.add_button)
        QWidget.setTabOrder(after, self.add_button)
        self.set_values([])

    def values(self) -> list[tuple[str, str]]:
        """Every row, empty ones too, so that index N matches the service's ``email.N`` key."""
        return [row.value() for row in self.rows]

    def set_values(self, values: list[tuple[str, str]]) -> None:
        for row in list(self.rows):
            self._drop(row)
        for text, kind in values or [("", "")]:
            self.add_row().set_value(text, kind or self._kinds[0][0])

    def add_row(self) -> ContactRow:
        row = ContactRow(self._kinds, self._check)
        position, _role = cast(tuple[int, object], self._form.getWidgetPosition(self.add_button))
        self._form.insertRow(position, row.label, row)
        row.label.show()  # at once, not when the layout gets round to it
        row.show()
        previous = self.rows[-1].remove_button if self.rows else self._after
        self.rows.append(row)
        QWidget.setTabOrder(previous, row.kind)
        QWidget.setTabOrder(row.kind, row.edit)
        QWidget.setTabOrder(row.edit, row.remove_button)
        row.remove_requested.connect(self._remove)
        row.edited.connect(self.changed)
        self._renumber()
        return row

    def show_errors(self, messages: dict[int, str]) -> None:
        for index, row in enumerate(self.rows):
            row.error.show_message(messages.get(index, ""))

    def check_all(self) -> None:
        for row in self.rows:
            row.check_now()

    def _add_clicked(self) -> None:
        self.add_row().edit.setFocus()
        self.changed.emit()

    def _remove(self, row: QWidget) -> None:
        assert isinstance(row, ContactRow)
        if len(self.rows) == 1:  # the last row stays, emptied, so there is somewhere to type
            row.set_value("", self._kinds[0][0])
        else:
            index = self.rows.index(row)
            self._drop(row)
            self._renumber()
            self.rows[min(index, len(self.rows) - 1)].edit.setFocus()
        self.changed.emit()

    def _drop(self, row: ContactRow) -> None:
        # takeRow keeps the widgets alive; they are deleted once this signal has returned.
        self._form.takeRow(row)
        self.rows.remove(row)
        for widget in (row, row.label):
            widget.hide()
            widget.deleteLater()

    def _renumber(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            row.set_number(
                self._texts["title"].format(number=number),
                self._texts["kind"].format(number=number),
                self._texts["remove"].format(number=number),
            )


class ConsentRow(QWidget):
    """Consent on one channel: unknown, granted or refused, with when and how it was given."""

    edited = Signal()

    def __init__(self, channel: str, title: str) -> None:
        super().__init__()
        self.channel = channel
        self.state = QComboBox()
        self.state.setAccessibleName(title)
        # String keys: an item holding None would hand Qt an invalid variant (see DESIGN §3).
        for text, key in ((_("Unknown"), "unknown"), (_("Granted"), "granted"),
                          (_("Refused"), "refused")):
            self.state.addItem(text, key)
        self.recorded = OptionalDateEdit(_("{channel}: date").format(channel=title))
        self.source = QLineEdit()
        self.source.setAccessibleName(_("{channel}: source").format(channel=title))
        self.source.setPlaceholderText(_("e.g. signed form"))
        self.error = ErrorLabel(self.state)
        self._layout(self._buddy(_("Date"), self.recorded), self._buddy(_("Source"), self.source))
        self.state.currentIndexChanged.connect(self._state_changed)
        self.recorded.changed.connect(self.edited)
        self.source.textChanged.connect(self.edited)
        self._enable_details()

    def _buddy(self, text: str, field: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(field)
        return label

    def _layout(self, date_label: QLabel, source_label: QLabel) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        grid.addWidget(self.state, 0, 0)
        grid.addWidget(date_label, 0, 1, right)
        grid.addWidget(self.recorded, 0, 2)
        grid.addWidget(source_label, 1, 1, right)
        grid.addWidget(self.source, 1, 2)
        grid.addWidget(self.error, 2, 0, 1, 3)
        grid.setColumnStretch(2, 1)

    def value(self) -> ConsentInput | None:
        state = self.state.currentData()
        if state == "unknown":
            return None
        return ConsentInput(self.channel, state == "granted", self.recorded.value(),
                            self.source.text().strip())

    def set_value(self, consent: ConsentInput | None) -> None:
        self.state.blockSignals(True)
        state = "unknown" if consent is None else ("granted" if consent.granted else "refused")
        self.state.setCurrentIndex(self.state.findData(state))
        self.state.blockSignals(False)
        self.recorded.set_value(consent.recorded_on if consent else None)
        self.source.setText(consent.source if consent else "")
        self.error.clear_message()
        self._enable_details()

    def _state_changed(self) -> None:
        # Consent is usually recorded as it is given: start from today.
        if self.state.currentData() != "unknown" and self.recorded.value() is None:
            self.recorded.set_value(date.today())
        self._enable_details()
        self.edited.emit()

    def _enable_details(self) -> None:
        known = self.state.currentData() != "unknown"
        self.recorded.setEnabled(known)
        self.source.setEnabled(known)


def add_consent_rows(form: QFormLayout) -> dict[str, ConsentRow]:
    """One row per contact channel, labelled with the channel; returns them by channel."""
    rows: dict[str, ConsentRow] = {}
    for channel, title in CONSENT_CHANNELS:
        row = ConsentRow(channel, _(title))
        label = QLabel(_(title))
        label.setBuddy(row.state)
        form.addRow(label, row)
        rows[channel] = row
    return rows
