"""Small form pieces shared by the card and the dialogs: labelled rows, error labels, dates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, current_language

# The first day a QDateEdit here can hold stands for "no date"; real dates start the day after.
_NOT_SET = QDate(1900, 1, 1)


def qt_date_format(language: str | None = None) -> str:
    """The short date pattern of the interface language in Qt's notation."""
    return {"fi": "d.M.yyyy"}.get(language or current_language(), "dd/MM/yyyy")


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def error_colour(palette: QPalette) -> QColor:
    """A red that reads on the window background, light or dark."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return QColor("#ff8a80") if dark else QColor("#b00020")


class ErrorLabel(QLabel):
    """A validation message under one input; hidden while there is nothing to say.

    The message is also set as the input's accessible description, so a screen reader reads it
    with the field it belongs to.
    """

    def __init__(self, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field = field
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        # A wrapped label may be given more height than one line needs; keep the text at the top.
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_colour(palette))
        self.setPalette(palette)
        self.hide()

    def sizeHint(self) -> QSize:
        # QLabel's own hint wraps at a guessed width (three lines for one sentence); ask for the
        # height the text needs at the width the label really has.
        hint = super().sizeHint()
        if self.width() <= 1 or not self.text():
            return hint
        height = max(self.heightForWidth(self.width()), self.fontMetrics().height())
        return QSize(hint.width(), height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setAccessibleName(message)
        self._field.setAccessibleDescription(message)
        self.setVisible(bool(message))

    def clear_message(self) -> None:
        self.show_message("")

    @property
    def message(self) -> str:
        return self.text()

    @property
    def field(self) -> QWidget:
        return self._field


def place_errors(
    fields: Mapping[str, str], labels: Mapping[str, ErrorLabel], general: ErrorLabel
) -> None:
    """Each message next to its field, the rest in ``general``; focus the first flagged field."""
    for key, message in fields.items():
        if key in labels:
            labels[key].show_message(message)
    general.show_message(" ".join(m for key, m in fields.items() if key not in labels))
    flagged = [label.field for label in labels.values() if label.message]
    if flagged:
        flagged[0].setFocus()


def with_error(field: QWidget, error: ErrorLabel | None = None) -> tuple[QWidget, ErrorLabel]:
    """The field with its error label underneath, as one widget for a form row."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    if error is None:
        error = ErrorLabel(field)
    layout.addWidget(error)
    return box, error


def add_labelled_row(
    form: QFormLayout, text: str, field: QWidget, focus: QWidget | None = None
) -> tuple[QLabel, ErrorLabel]:
    """A form row "Label: field" with the label as buddy and the field's accessible name.

    ``focus`` is the input inside ``field`` that the label points at, when they differ.
    """
    target = focus or field
    label = QLabel(text)
    label.setBuddy(target)
    target.setAccessibleName(text.replace("&", ""))
    box, error = with_error(field, ErrorLabel(target))
    form.addRow(label, box)
    return label, error


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(0, 8, 0, 0)
    return label


class OptionalDateEdit(QWidget):
    """A date that may be left unset: a check box turns the date on, unchecked reads "Not set"."""

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._known = QCheckBox()
        self._known.setAccessibleName(_("{field} is known").format(field=name))
        self._known.setToolTip(_("Tick to enter a date"))
        self._edit = QDateEdit()
        self._edit.setAccessibleName(name)
        self._edit.setCalendarPopup(True)
        self._edit.setDisplayFormat(qt_date_format())
        self._edit.setMinimumDate(_NOT_SET)
        self._edit.setSpecialValueText(_("Not set"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._known)
        layout.addWidget(self._edit, 1)
        self.setFocusProxy(self._known)
        self._known.toggled.connect(self._on_toggled)
        self._edit.dateChanged.connect(self.changed)
        self._remembered = QDate.currentDate()
        self.set_value(None)

    @property
    def date_edit(self) -> QDateEdit:
        return self._edit

    @property
    def check_box(self) -> QCheckBox:
        return self._known

    def value(self) -> date | None:
        if not self._known.isChecked() or self._edit.date() == _NOT_SET:
            return None
        return from_qdate(self._edit.date())

    def set_value(self, value: date | None) -> None:
        self._known.blockSignals(True)
        self._known.setChecked(value is not None)
        self._known.blockSignals(False)
        if value is not None:
            self._remembered = to_qdate(value)
        self._show(value is not None)

    def _on_toggled(self, checked: bool) -> None:
        if not checked and self._edit.date() != _NOT_SET:
            self._remembered = self._edit.date()
        self._show(checked)
        if checked:
            self._edit.setFocus()
        self.changed.emit()

    def _show(self, known: bool) -> None:
        self._edit.blockSignals(True)
        self._edit.setDate(self._remembered if known else _NOT_SET)
        self._edit.setEnabled(known)
        self._edit.blockSignals(False)
