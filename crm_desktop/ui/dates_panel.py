"""The card's important dates and favourites: what the owner should remember about a customer.

Two short lists, each with Add, Change and Remove; a removal can be undone from the panel.
Hidden while the card shows a customer that is not saved yet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, day_month, format_date, ngettext
from crm_desktop.services import favourites, important_dates
from crm_desktop.services.changes import Changes
from crm_desktop.services.favourites import FavouriteRow, SavedFavourite
from crm_desktop.services.important_dates import DeletedDate, ImportantDateRow
from crm_desktop.ui.date_dialogs import DATE_KINDS, DateDialog, FavouriteDialog
from crm_desktop.ui.form_widgets import section_title
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

_ROW_ID = Qt.ItemDataRole.UserRole
_MOST_ROWS = 4  # a list grows with its rows up to this many, then scrolls


def date_title(row: ImportantDateRow) -> str:
    """"Birthday", or the date's own name ("Wedding"), else its kind."""
    if row.kind != "birthday" and row.label:
        return row.label
    titles = dict(DATE_KINDS)
    return _(titles.get(row.kind, row.kind))


def date_text(row: ImportantDateRow) -> str:
    """"14.4.1986" with a year, "14.4." without (never a made-up year)."""
    if row.year is None:
        return day_month(row.month, row.day)
    return format_date(date(row.year, row.month, row.day))


def lead_text(lead_days: int | None) -> str:
    if lead_days is None:
        return _("as in Settings")
    if lead_days == 0:
        return _("on the day")
    return ngettext("{count} day before", "{count} days before", lead_days).format(
        count=lead_days)


def _list(name: str, accessible: str, headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setAccessibleName(accessible)
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    tree.header().setStretchLastSection(True)
    return tree


def _fit_height(tree: QTreeWidget, empty: QLabel) -> None:
    """As tall as its rows (up to a few); an empty list gives way to a one-line note."""
    count = tree.topLevelItemCount()
    tree.setVisible(count > 0)
    empty.setVisible(count == 0)
    if count:
        row = max(tree.sizeHintForRow(0), tree.fontMetrics().height() + 4)
        frame = tree.frameWidth() * 2
        tree.setFixedHeight(tree.header().sizeHint().height() + row * min(count, _MOST_ROWS)
                            + frame)


def _empty_note(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("emptyNote")
    label.setEnabled(False)  # drawn in the muted colour of the palette
    label.setContentsMargins(0, 0, 0, 4)
    return label


class DatesPanel(QWidget):
    status = Signal(str)

    def __init__(self, runner: TaskRunner | SyncTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("datesPanel")
        self._runner = runner
        self._customer_id: int | None = None
        self._request = 0
        self._undo: Callable[[Any], Any] | None = None
        self.dates: list[ImportantDateRow] = []
        self.favourites: list[FavouriteRow] = []
        self.dialog: DateDialog | FavouriteDialog | None = None
        self._build()
        runner.changed.connect(self._on_changed)
        self.hide()

    def _build(self) -> None:
        self.date_list = _list("dateList", _("Important dates"),
                               [_("Date"), _("Day"), _("Reminder")])
        self.favourite_list = _list("favouriteList", _("Favourites"), [_("Product"), _("Note")])
        self.no_dates = _empty_note(_("No birthday or other dates yet."))
        self.no_favourites = _empty_note(_("No favourites yet."))
        self.date_list.itemActivated.connect(lambda _item, _col: self.edit_date())
        self.favourite_list.itemActivated.connect(lambda _item, _col: self.edit_favourite())
        self.note = QLabel()
        self.note.setObjectName("datesNote")
        self.undo_button = QPushButton(_("&Undo remove"))
        self.undo_button.setObjectName("undoRemove")
        self.undo_button.clicked.connect(self.undo_remove)
        self.undo_button.hide()
        undo_line = QHBoxLayout()
        undo_line.addWidget(self.note, 1)
        undo_line.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._heading(_("Important dates"), self.date_list, _("date"), (
            self.add_date, self.edit_date, self.remove_date)))
        layout.addWidget(self.date_list)
        layout.addWidget(self.no_dates)
        layout.addLayout(self._heading(_("Favourites"), self.favourite_list, _("favourite"), (
            self.add_favourite, self.edit_favourite, self.remove_favourite)))
        layout.addWidget(self.favourite_list)
        layout.addWidget(self.no_favourites)
        layout.addLayout(undo_line)

    def _heading(self, title: str, tree: QTreeWidget, noun: str,
                 slots: tuple[Callable[[], None], ...]) -> QHBoxLayout:
        line = QHBoxLayout()
        caption = section_title(title)
        caption.setBuddy(tree)
        line.addWidget(caption, 1)
        texts = (_("Add…"), _("Change…"), _("Remove"))
        names = (_("Add {what}"), _("Change the chosen {what}"), _("Remove the chosen {what}"))
        for text, name, slot in zip(texts, names, slots, strict=True):
            button = QToolButton()
            button.setText(text)
            button.setAccessibleName(name.format(what=noun))
            button.clicked.connect(slot)
            line.addWidget(button)
        return line

    # Loading ----------------------------------------------------------------------------------

    def set_customer(self, customer_id: int | None) -> None:
        """The card's customer; None (nobody, or not saved yet) hides the panel."""
        self._customer_id = customer_id
        self._request += 1
        self._undo = None
        self.undo_button.hide()
        self.note.clear()
        self._show([], [])
        self.setVisible(customer_id is not None)
        self.reload()

    def above(self, form: QWidget, margins: QMargins) -> QWidget:
        """This panel above the card's form, lined up with its fields, as one scrolling page."""
        self.setContentsMargins(margins.left(), margins.top(), margins.right(), 0)
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self)
        column.addWidget(form)
        column.addStretch(1)
        return page

    @property
    def customer_id(self) -> int | None:
        return self._customer_id

    def reload(self) -> None:
        customer_id, request = self._customer_id, self._request
        if customer_id is None:
            return

        def load(session: Any) -> tuple[list[ImportantDateRow], list[FavouriteRow]]:
            return (important_dates.list_dates(session, customer_id),
                    favourites.list_favourites(session, customer_id))

        self._runner.submit(load, lambda found: self._loaded(request, found),
                            lambda error: self._failed_for(request, error))

    def _loaded(self, request: int, found: tuple[list[ImportantDateRow], list[FavouriteRow]]
                ) -> None:
        if request == self._request:
            self._show(*found)

    def _show(self, dates: list[ImportantDateRow], favourite_rows: list[FavouriteRow]) -> None:
        self.dates, self.favourites = dates, favourite_rows
        self.date_list.clear()
        for row in dates:
            item = QTreeWidgetItem([date_title(row), date_text(row), lead_text(row.lead_days)])
            item.setData(0, _ROW_ID, row.id)
            self.date_list.addTopLevelItem(item)
        self.favourite_list.clear()
        for favourite in favourite_rows:
            item = QTreeWidgetItem([favourite.product_name, favourite.note])
            item.setData(0, _ROW_ID, favourite.id)
            item.setToolTip(1, favourite.note)
            self.favourite_list.addTopLevelItem(item)
        _fit_height(self.date_list, self.no_dates)
        _fit_height(self.favourite_list, self.no_favourites)

    def _failed_for(self, request: int, error: Exception) -> None:
        if request == self._request:
            self.status.emit(str(error))

    def _on_changed(self, changes: Changes) -> None:
        if self._customer_id is not None and self._customer_id in changes.customers:
            self.reload()

    # Dates ------------------------------------------------------------------------------------

    def _chosen(self, tree: QTreeWidget, rows: list[Any]) -> Any:
        item = tree.currentItem()
        if item is None:
            return None
        row_id = item.data(0, _ROW_ID)
        return next((row for row in rows if row.id == row_id), None)

    def add_date(self) -> None:
        if self._customer_id is not None:
            self._open(DateDialog(self._runner, self._customer_id, None, self), _("Date saved."))

    def edit_date(self) -> None:
        row = self._chosen(self.date_list, self.dates)
        if row is not None and self._customer_id is not None:
            self._open(DateDialog(self._runner, self._customer_id, row, self), _("Date saved."))

    def remove_date(self) -> None:
        row = self._chosen(self.date_list, self.dates)
        if row is None:
            return
        self._runner.submit(lambda session: important_dates.delete_date(session, row.id),
                            self._date_removed, self._failed)

    def _date_removed(self, deleted: DeletedDate) -> None:
        self._offer_undo(_("Removed {what}.").format(what=date_title(deleted.date)),
                         lambda session: important_dates.undo_delete_date(session, deleted))

    # Favourites -------------------------------------------------------------------------------

    def add_favourite(self) -> None:
        if self._customer_id is not None:
            self._open(FavouriteDialog(self._runner, self._customer_id, None, self),
                       _("Favourite saved."))

    def edit_favourite(self) -> None:
        row = self._chosen(self.favourite_list, self.favourites)
        if row is not None and self._customer_id is not None:
            self._open(FavouriteDialog(self._runner, self._customer_id, row, self),
                       _("Favourite saved."))

    def remove_favourite(self) -> None:
        row = self._chosen(self.favourite_list, self.favourites)
        if row is None:
            return
        self._runner.submit(lambda session: favourites.remove_favourite(session, row.id),
                            self._favourite_removed, self._failed)

    def _favourite_removed(self, removed: SavedFavourite) -> None:
        row = removed.favourite
        self._offer_undo(
            _("Removed {what}.").format(what=row.product_name),
            lambda session: favourites.add_favourite(
                session, row.customer_id, row.product_id, row.note),
        )

    # Shared -----------------------------------------------------------------------------------

    def _open(self, dialog: DateDialog | FavouriteDialog, saved: str) -> None:
        """Window-modal, not blocking; the lists reload through the change notice on Save."""
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.status.emit(saved))
        dialog.open()

    def _offer_undo(self, message: str, undo: Callable[[Any], Any]) -> None:
        self._undo = undo
        self.note.setText(message)
        self.undo_button.show()
        self.status.emit(message)

    def undo_remove(self) -> None:
        undo = self._undo
        if undo is None:
            return
        self._undo = None
        self.undo_button.hide()
        self.note.clear()
        self._runner.submit(undo, lambda _result: None, self._failed)

    def _failed(self, error: Exception) -> None:
        self.status.emit(str(error))
