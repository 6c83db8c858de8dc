"""Type a few letters, pick a customer: a search line with the matches listed underneath.

The search runs on the database worker a moment after the last key press (Enter searches at
once); an answer to an older text is dropped. The list only shows while there is something
to choose from, so the picker stays one line high in a tight layout.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from crm_desktop.i18n import _, ngettext
from crm_desktop.services.search import CustomerPage, CustomerQuery, search_customers
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

SEARCH_DELAY_MS = 200
MATCH_LIMIT = 30
VISIBLE_MATCHES = 6
_CUSTOMER_ID = Qt.ItemDataRole.UserRole
_NAME = Qt.ItemDataRole.UserRole + 1


class CustomerPicker(QWidget):
    """Emits ``picked(customer_id, name)`` when the user chooses one of the matches."""

    picked = Signal(int, str)

    def __init__(
        self,
        runner: TaskRunner | SyncTaskRunner,
        accessible_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._request = 0
        self._picked_text = ""  # the line as the last pick left it
        self.line = QLineEdit()
        self.line.setObjectName("customerPickerLine")
        self.line.setAccessibleName(accessible_name)
        self.line.setPlaceholderText(_("Type a name, phone or email"))
        self.line.setClearButtonEnabled(True)
        self.line.installEventFilter(self)
        self.matches = QListWidget()
        self.matches.setObjectName("customerPickerMatches")
        self.matches.setAccessibleName(_("Matching customers"))
        self.matches.setUniformItemSizes(True)
        self.matches.hide()
        self.note = QLabel()
        self.note.setObjectName("customerPickerNote")
        self.note.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.line.textEdited.connect(lambda _text: self._timer.start())
        self.matches.itemActivated.connect(self._choose)
        self.matches.itemClicked.connect(self._choose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line)
        layout.addWidget(self.matches)
        layout.addWidget(self.note)
        self.setFocusProxy(self.line)

    def search_now(self) -> None:
        self._timer.stop()
        text = self.line.text().strip()
        self._request += 1
        request = self._request
        if not text:
            self._show_page(None)
            return
        self._runner.submit(
            lambda session: search_customers(session, CustomerQuery(text=text), MATCH_LIMIT),
            lambda page: self._arrived(request, page),
        )

    def clear(self) -> None:
        self._request += 1
        self.line.clear()
        self._show_page(None)

    def _arrived(self, request: int, page: CustomerPage) -> None:
        if request == self._request:
            self._show_page(page)

    def _show_page(self, page: CustomerPage | None) -> None:
        self.matches.clear()
        rows = page.rows if page is not None else ()
        for row in rows:
            text = f"{row.name} — {row.city}" if row.city else row.name
            item = QListWidgetItem(text)
            item.setData(_CUSTOMER_ID, row.id)
            item.setData(_NAME, row.name)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            self.matches.addItem(item)
        if rows:
            self.matches.setCurrentRow(0)
            height = self.matches.sizeHintForRow(0) * min(len(rows), VISIBLE_MATCHES)
            self.matches.setFixedHeight(height + 2 * self.matches.frameWidth())
        self.matches.setVisible(bool(rows))
        self.note.setText(self._note_text(page))
        self.note.setVisible(bool(self.note.text()))

    @staticmethod
    def _note_text(page: CustomerPage | None) -> str:
        if page is None:
            return ""
        if not page.rows:
            return _("No customer matches.")
        if page.total > len(page.rows):
            more = page.total - len(page.rows)
            return ngettext(
                "{count} more match: type more of the name.",
                "{count} more matches: type more of the name.",
                more,
            ).format(count=more)
        return ""

    def _enter(self) -> bool:
        """Enter picks the highlighted match or searches; True when it did either.

        Otherwise (nothing typed since the last pick) the key is left to the window, so Enter
        in a dialog reaches its default button.
        """
        current = self.matches.currentItem() if self.matches.isVisible() else None
        if current is not None and not self._timer.isActive():
            self._choose(current)
            return True
        if self.line.text().strip() and self.line.text() != self._picked_text:
            self.search_now()
            return True
        return False

    def _choose(self, item: QListWidgetItem) -> None:
        customer_id = int(item.data(_CUSTOMER_ID))
        name = str(item.data(_NAME))
        self._request += 1  # a search still under way must not reopen the list
        self.line.setText(name)
        self._picked_text = name
        self._show_page(None)
        self.picked.emit(customer_id, name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down and Up move through the matches without leaving the line.
        if watched is self.line and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.matches.isVisible():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.matches.count() - 1, self.matches.currentRow() + step))
                self.matches.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                return self._enter()
        return super().eventFilter(watched, event)
