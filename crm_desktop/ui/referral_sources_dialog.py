"""The owner's own referral sources (besides walk-in, advert, web, event and other)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _
from crm_desktop.services.changes import Changes
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.referral_data import ReferralSource
from crm_desktop.services.referrals import save_extra_sources, source_choices
from crm_desktop.ui.card_dialogs import show_error
from crm_desktop.ui.form_widgets import ErrorLabel
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner


class ReferralSourcesDialog(QDialog):
    """Add, rename (double-click) and remove the owner's own sources; saved on OK."""

    def __init__(self, runner: TaskRunner | SyncTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referralSourcesDialog")
        self.setWindowTitle(_("Referral sources"))
        self._runner = runner
        self.built_in = QLabel()
        self.built_in.setWordWrap(True)
        self.sources = QListWidget()
        self.sources.setObjectName("extraSources")
        self.sources.setAccessibleName(_("Your own sources"))
        self.sources.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.error = ErrorLabel(self.sources)
        self.add_button = QPushButton(_("Add"))
        self.remove_button = QPushButton(_("Remove"))
        self.add_button.clicked.connect(self.add_source)
        self.remove_button.clicked.connect(self._remove_selected)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self._build_layout(buttons)
        runner.submit(source_choices, self._show, lambda error: show_error(self, error))

    def _build_layout(self, buttons: QDialogButtonBox) -> None:
        label = QLabel(_("Your own sources (double-click to rename):"))
        label.setBuddy(self.sources)
        side = QVBoxLayout()
        side.addWidget(self.add_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.sources, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.built_in)
        layout.addWidget(label)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _show(self, choices: list[ReferralSource]) -> None:
        names = ", ".join(choice.label for choice in choices if choice.built_in)
        self.built_in.setText(_("Always listed: {sources}.").format(sources=names))
        for choice in choices:
            if not choice.built_in:
                self._add_item(choice.label)

    def _add_item(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.sources.addItem(item)
        return item

    def add_source(self) -> None:
        item = self._add_item(_("New source"))
        self.sources.setCurrentItem(item)
        self.sources.editItem(item)

    def _remove_selected(self) -> None:
        row = self.sources.currentRow()
        if row >= 0:
            self.sources.takeItem(row)

    def names(self) -> list[str]:
        return [self.sources.item(row).text() for row in range(self.sources.count())]

    def save(self) -> None:
        names = self.names()

        def write(session: Any) -> Changes:
            return save_extra_sources(session, names)

        self.error.clear_message()
        self._runner.submit(write, lambda _changes: self.accept(), self._failed)

    def _failed(self, error: Exception) -> None:
        if isinstance(error, ValidationError):
            self.error.show_message(" ".join(error.fields.values()))
        else:
            show_error(self, error)
