"""The customer's history on the card: newest first, a quick note line, one-click visits."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import N_, _, format_datetime, ngettext
from crm_desktop.services import touchpoints
from crm_desktop.services.changes import Changes
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.touchpoints import DeletedTouchpoint, LoggedTouchpoint, TimelineEntry
from crm_desktop.ui.form_widgets import ErrorLabel
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

KIND_TITLES = {
    "visit": N_("Visit"),
    "purchase": N_("Purchase"),
    "call": N_("Call"),
    "letter": N_("Letter sent"),
    "coupon_issued": N_("Coupon issued"),
    "coupon_redeemed": N_("Coupon redeemed"),
    "complaint": N_("Complaint"),
    "note": N_("Note"),
    "referral": N_("Referral"),
    "reminder_done": N_("Reminder done"),
}
_ENTRY_ID = Qt.ItemDataRole.UserRole


def kind_title(kind: str) -> str:
    return _(KIND_TITLES[kind]) if kind in KIND_TITLES else kind


def local_time(utc: datetime) -> datetime:
    """A stored naive-UTC time as the wall-clock time here."""
    return utc.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


class TimelineView(QWidget):
    """Loads and shows one customer's timeline; writes visits and notes through the runner."""

    status = Signal(str)
    written = Signal()  # a visit, note or removal was stored

    def __init__(self, runner: TaskRunner | SyncTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self._runner = runner
        self._customer_id: int | None = None
        self._request = 0  # answers to older requests are dropped
        self._build()
        runner.changed.connect(self._on_changed)

    def _build(self) -> None:
        self.title = QLabel(_("History"))
        self.title.setObjectName("sectionTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(_("Write a quick note and press Enter"))
        self.note_edit.setAccessibleName(_("Quick note"))
        note_label = QLabel(_("Note"))
        note_label.setBuddy(self.note_edit)
        self.add_note_button = QPushButton(_("Add note"))
        self.add_note_button.setEnabled(False)
        self.note_error = ErrorLabel(self.note_edit)
        self.entries = self._make_tree()
        note_line = QHBoxLayout()
        note_line.addWidget(note_label)
        note_line.addWidget(self.note_edit, 1)
        note_line.addWidget(self.add_note_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(note_line)
        layout.addWidget(self.note_error)
        layout.addWidget(self.entries, 1)
        self.note_edit.textChanged.connect(self._note_text_changed)
        self.note_edit.returnPressed.connect(self.add_note)
        self.add_note_button.clicked.connect(self.add_note)

    def _make_tree(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setObjectName("timelineEntries")
        tree.setAccessibleName(_("History entries, newest first"))
        tree.setHeaderLabels([_("When"), _("What"), _("Staff"), _("Details")])
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        tree.setAlternatingRowColors(True)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self._context_menu)
        self.remove_action = QAction(_("Remove entry…"), tree)
        self.remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_action.triggered.connect(self.remove_selected)
        tree.addAction(self.remove_action)
        return tree

    # Loading ----------------------------------------------------------------------------------

    def set_customer(self, customer_id: int | None) -> None:
        self._customer_id = customer_id
        self.note_edit.clear()
        self.note_error.clear_message()
        self.setEnabled(customer_id is not None)
        self.reload()

    @property
    def customer_id(self) -> int | None:
        return self._customer_id

    def reload(self) -> None:
        self._request += 1
        request, customer_id = self._request, self._customer_id
        if customer_id is None:
            self._show([])
            return
        self._runner.submit(
            lambda session: touchpoints.timeline(session, customer_id),
            lambda entries: self._loaded(request, entries),
            lambda error: self._failed(request, error),
        )

    def _loaded(self, request: int, entries: list[TimelineEntry]) -> None:
        if request == self._request:
            self._show(entries)

    def _failed(self, request: int, error: Exception) -> None:
        if request == self._request:
            self._show([])
            self.status.emit(str(error))

    def _show(self, entries: list[TimelineEntry]) -> None:
        self.entries.clear()
        self.entries.addTopLevelItems([self._item(entry) for entry in entries])
        self.title.setText(ngettext("History ({count} entry)", "History ({count} entries)",
                                    len(entries)).format(count=len(entries)))

    def _item(self, entry: TimelineEntry) -> QTreeWidgetItem:
        item = QTreeWidgetItem([format_datetime(local_time(entry.occurred_at)),
                                kind_title(entry.kind), entry.staff,
                                entry.summary.replace("\n", " ")])
        item.setData(0, _ENTRY_ID, entry.id)
        if entry.summary:
            item.setToolTip(3, entry.summary)
        return item

    def _on_changed(self, changes: Changes) -> None:
        if self._customer_id is not None and self._customer_id in changes.customers:
            self.reload()

    # Writing ----------------------------------------------------------------------------------

    def log_visit(self) -> None:
        customer_id = self._customer_id
        if customer_id is None:
            return
        self._runner.submit(
            lambda session: touchpoints.log_visit(session, customer_id),
            self._visit_logged,
            self._write_failed,
        )

    def _visit_logged(self, logged: LoggedTouchpoint) -> None:
        when = format_datetime(local_time(logged.entry.occurred_at))
        self.status.emit(_("Visit logged ({when}).").format(when=when))
        self.written.emit()

    def add_note(self) -> None:
        customer_id, text = self._customer_id, self.note_edit.text()
        if customer_id is None or not self.add_note_button.isEnabled():
            return
        self._runner.submit(
            lambda session: touchpoints.add_note(session, customer_id, text),
            self._note_added,
            self._write_failed,
        )

    def _note_added(self, _logged: LoggedTouchpoint) -> None:
        self.note_edit.clear()
        self.status.emit(_("Note added."))
        self.written.emit()

    def _note_text_changed(self, text: str) -> None:
        self.add_note_button.setEnabled(bool(text.strip()))
        if text.strip():
            self.note_error.clear_message()

    def remove_selected(self) -> None:
        item = self.entries.currentItem()
        if item is None:
            return
        entry_id = int(item.data(0, _ENTRY_ID))
        if not self._confirm_remove(item.text(1), item.text(0)):
            return
        self._runner.submit(
            lambda session: touchpoints.delete_touchpoint(session, entry_id),
            self._removed,
            self._write_failed,
        )

    def _confirm_remove(self, what: str, when: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, _("Remove history entry"),
                          _("Remove “{what}” of {when} from the history?").format(
                              what=what, when=when), parent=self)
        remove = box.addButton(_("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        remove.setObjectName("confirmRemove")
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
        box.exec()
        return box.clickedButton() is remove

    def _removed(self, deleted: DeletedTouchpoint) -> None:
        self.status.emit(_("Removed “{what}” from the history.").format(
            what=kind_title(deleted.entry.kind)))
        self.written.emit()

    def _write_failed(self, error: Exception) -> None:
        if isinstance(error, ValidationError):
            self.note_error.show_message(" ".join(error.fields.values()))
        else:
            self.status.emit(str(error))

    def _context_menu(self, position: QPoint) -> None:
        if self.entries.itemAt(position) is None:
            return
        menu = QMenu(self)
        menu.addAction(self.remove_action)
        menu.exec(self.entries.viewport().mapToGlobal(position))

