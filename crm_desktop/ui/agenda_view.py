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
        """Fill the model; the current item stays current, or its successor takes its place."""
        model = self.agenda_model
        previous, position = self.current_item(), self._position()
        model.set_agenda(agenda)
        self.expandAll()
        for row, group in enumerate(model.groups):
            self.setFirstColumnSpanned(row, QModelIndex(), True)
            if group.late and len(group.items) > LATE_OPEN_MAX:
                self.collapse(model.index(row, 0))
        index = QModelIndex()
        if previous is not None:
            index = model.index_of(previous.item_key, previous.occurrence)
        if not index.isValid():
            # Only items of unfolded days: making a folded one current would unfold it.
            indexes = [i for i in model.item_indexes() if self.isExpanded(i.parent())]
            if indexes:
                index = indexes[min(position, len(indexes) - 1)]
        if index.isValid():
            self.setCurrentIndex(index)

    def _position(self) -> int:
        """Where the current item is among all items, counted from the top."""
        current = self.currentIndex()
        for position, index in enumerate(self.agenda_model.item_indexes()):
            if (index.row(), index.internalId()) == (current.row(), current.internalId()):
                return position
        return 0
