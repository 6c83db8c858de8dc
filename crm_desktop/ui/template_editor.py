"""Editing a letter template: subject, body, the placeholders to insert, and their check.

Every edit is checked at once (the check is plain text work, no database): an unknown or
misspelt placeholder is reported under the editor, with the line it is on and the name
probably meant, before anything can be saved or printed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, ngettext
from crm_desktop.services.letter_placeholders import (
    PLACEHOLDERS,
    TemplateProblem,
    check_template,
)
from crm_desktop.ui.form_widgets import ErrorLabel

VISIBLE_PLACEHOLDERS = 5
SHOWN_PROBLEMS = 3
_NAME = Qt.ItemDataRole.UserRole


def problems_text(problems: list[TemplateProblem]) -> str:
    """The first few problems, one a line, and how many more there are."""
    lines = [problem.message for problem in problems[:SHOWN_PROBLEMS]]
    more = len(problems) - SHOWN_PROBLEMS
    if more > 0:
        lines.append(ngettext("…and {count} more problem.", "…and {count} more problems.",
                              more).format(count=more))
    return "\n".join(lines)


class TemplateEditor(QWidget):
    """Subject line, body, the problems found, and the placeholder list."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems: list[TemplateProblem] = []
        self.subject = QLineEdit()
        self.subject.setObjectName("templateSubject")
        self.subject_error = ErrorLabel(self.subject)
        self.body = QPlainTextEdit()
        self.body.setObjectName("templateBody")
        self.body.setTabChangesFocus(True)
        self.body_error = ErrorLabel(self.body)
        self.body_error.setObjectName("templateProblems")
        self._target: QLineEdit | QPlainTextEdit = self.body
        self.placeholders = self._build_placeholders()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for text, field, error in ((_("S&ubject"), self.subject, self.subject_error),
                                   (_("&Text"), self.body, self.body_error)):
            label = QLabel(text)
            label.setBuddy(field)
            field.setAccessibleName(text.replace("&", ""))
            layout.addWidget(label)
            layout.addWidget(field, 1 if field is self.body else 0)
            layout.addWidget(error)
        hint = QLabel(_("&Placeholders — click one to insert it at the cursor:"))
        hint.setBuddy(self.placeholders)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.placeholders)
        for field in (self.subject, self.body):
            field.installEventFilter(self)
        self.subject.textChanged.connect(self._changed)
        self.body.textChanged.connect(self._changed)

    def _build_placeholders(self) -> QListWidget:
        names = QListWidget()
        names.setObjectName("placeholderList")
        names.setAccessibleName(_("Placeholders"))
        names.setUniformItemSizes(True)
        for placeholder in PLACEHOLDERS:
            text = "{" + placeholder.name + "}"
            item = QListWidgetItem(_("{placeholder} — {meaning}").format(
                placeholder=text, meaning=_(placeholder.description)))
            item.setData(_NAME, placeholder.name)
            item.setToolTip(_(placeholder.description))
            names.addItem(item)
        rows = names.sizeHintForRow(0) * VISIBLE_PLACEHOLDERS
        names.setFixedHeight(rows + 2 * names.frameWidth())
        names.itemClicked.connect(self._insert_item)
        names.itemActivated.connect(self._insert_item)
        return names

    # Text -------------------------------------------------------------------------------------

    def set_text(self, subject: str, body: str) -> None:
        for field in (self.subject, self.body):
            field.blockSignals(True)
        self.subject.setText(subject)
        self.body.setPlainText(body)
        for field in (self.subject, self.body):
            field.blockSignals(False)
        self._changed()

    def text(self) -> tuple[str, str]:
        return self.subject.text(), self.body.toPlainText()

    def insert(self, name: str) -> None:
        """Put ``{name}`` where the cursor of the last edited field is."""
        text = "{" + name + "}"
        if isinstance(self._target, QLineEdit):
            self._target.insert(text)
        else:
            self._target.insertPlainText(text)
        self._target.setFocus()

    def _insert_item(self, item: QListWidgetItem) -> None:
        self.insert(str(item.data(_NAME)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The placeholder goes into the field that had the cursor last, not the list itself.
        if event.type() == QEvent.Type.FocusIn:
            if watched is self.subject:
                self._target = self.subject
            elif watched is self.body:
                self._target = self.body
        return super().eventFilter(watched, event)

    # Checking ---------------------------------------------------------------------------------

    def _changed(self) -> None:
        self.check()
        self.edited.emit()

    def check(self) -> bool:
        """Show what is wrong with the placeholders; True when nothing is."""
        subject, body = self.text()
        self.problems = check_template(subject, body)
        self.subject_error.show_message(
            problems_text([p for p in self.problems if p.part == "subject"]))
        self.body_error.show_message(
            problems_text([p for p in self.problems if p.part == "body"]))
        return not self.problems

    def show_errors(self, fields: dict[str, str]) -> None:
        """Messages from the service, under the subject or the text."""
        for key, message in fields.items():
            target = self.subject_error if key == "subject" else self.body_error
            target.show_message(message)

    def focus_first_problem(self) -> None:
        if not self.problems:
            return
        first = self.problems[0]
        field = self.subject if first.part == "subject" else self.body
        field.setFocus()
        if field is self.body:
            block = self.body.document().findBlockByLineNumber(first.line - 1)
            cursor = self.body.textCursor()
            cursor.setPosition(block.position() + max(first.column - 1, 0))
            self.body.setTextCursor(cursor)
