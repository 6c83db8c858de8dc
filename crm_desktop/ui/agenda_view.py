"""The tree view of the Today agenda: day rows across the full width, items beneath them.

Re-filling the model keeps the same item current, or the one that took its place, so the
keyboard can go on through the list after each Done.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from crm_desktop.i18n import _
from crm_desktop.services.agenda_data import Agenda, AgendaItem
from crm_desktop.ui.agenda_model import (
    KIND,
    KIND_TITLES,
    NAME,
    WHAT,
    WHEN,
    AgendaGroup,
    AgendaModel,
    kind_title,
    when_text,
)

LATE_OPEN_MAX = 15  # a longer late list starts folded, so today's work is in view


def describe(item: AgendaItem) -> str:
    """"Maija Mäkinen (Birthday)" for messages about one item."""
    return _("{name} ({kind})").format(name=item.name, kind=kind_title(item))


class AgendaTree(QTreeView):
    def __init__(self, model: AgendaModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaTree")
        self.setAccessibleName(_("Agenda"))
        self.setModel(model)
        self.agenda_model = model
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setAllColumnsShowFocus(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        kind_width = max(metrics.horizontalAdvance(_(title)) for title in KIND_TITLES.values())
        when_width = metrics.horizontalAdvance(when_text(date(2026, 12, 30), date(2026, 12, 1)))
        for column, width in ((NAME, 190), (KIND, kind_width + 44), (WHEN, when_width + 24)):
            header.resizeSection(column, width)

    def current_item(self) -> AgendaItem | None:
        return self.agenda_model.item(self.currentIndex())

    def show_agenda(self, agenda: Agenda) -> None:
        """Fill the model; the current item stays current, or its successor takes its place.

        Days are unfolded one by one, never with expandAll(): that lays out every item at once,
        a long pause with tens of thousands. A day the owner folded or unfolded stays so.
        """
        model = self.agenda_model
        previous, position = self.current_item(), self._position()
        changed = {
            group.title: self._unfolded(row)
            for row, group in enumerate(model.groups)
            if self._unfolded(row) != _opens_unfolded(group)
        }
        model.set_agenda(agenda)
        for row, group in enumerate(model.groups):
            self.setFirstColumnSpanned(row, QModelIndex(), True)
            self.setExpanded(model.index(row, 0), changed.get(group.title, _opens_unfolded(group)))
        index = QModelIndex()
        if previous is not None:
            index = model.index_of(previous.item_key, previous.occurrence)
        if not index.isValid() or not self._unfolded(index.parent().row()):
            index = self._item_at(position)  # never one of a folded day: that would unfold it
        if index.isValid():
            self.setCurrentIndex(index)

    def _unfolded(self, day_row: int) -> bool:
        return self.isExpanded(self.agenda_model.index(day_row, 0))

    def _position(self) -> int:
        """Where the current item is among the items of unfolded days, counted from the top."""
        model, current = self.agenda_model, self.currentIndex()
        if model.item(current) is None:
            return 0
        day_row = current.parent().row()
        before = sum(
            len(group.items)
            for row, group in enumerate(model.groups[:day_row])
            if self._unfolded(row)
        )
        return before + current.row()

    def _item_at(self, position: int) -> QModelIndex:
        """The item at ``position`` among the items of unfolded days, or the last of them."""
        model, last = self.agenda_model, (-1, -1)
        for row, group in enumerate(model.groups):
            if not group.items or not self._unfolded(row):
                continue
            if position < len(group.items):
                return model.item_index(row, position)
            position -= len(group.items)
            last = (row, len(group.items) - 1)
        return model.item_index(*last)


def _opens_unfolded(group: AgendaGroup) -> bool:
    return not (group.late and len(group.items) > LATE_OPEN_MAX)
