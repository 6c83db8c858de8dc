"""The Today agenda as a tree: one row per day ("Late" first, then Today, Tomorrow, …) holding
the things to do for customers on that day.

The model only shows an :class:`~crm_desktop.services.agenda_data.Agenda` computed on the
database worker; it never reads the database itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from babel.dates import format_skeleton
from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QIcon, QPainter, QPixmap

from crm_desktop.i18n import N_, _, current_language, format_date, ngettext
from crm_desktop.services.agenda_data import Agenda, AgendaItem
from crm_desktop.ui.form_widgets import error_colour

Index = QModelIndex | QPersistentModelIndex

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # the AgendaItem of an item row; None on a day row
COLUMNS = (N_("Customer"), N_("What to do"), N_("Kind"), N_("When"))
NAME, WHAT, KIND, WHEN = range(len(COLUMNS))
_TOP = QModelIndex()  # the invisible root, as a default argument
_DAY_ROW = 0  # internal id of a day row; an item row carries its day's row + 1

KIND_TITLES = {
    "birthday": N_("Birthday"),
    "anniversary": N_("Anniversary"),
    "custom": N_("Date"),
    "customer_since": N_("Customer anniversary"),
    "lapsed": N_("Lapsed regular"),
    "complaint": N_("Complaint follow-up"),
    "coupon": N_("Coupon expiring"),
    "offer": N_("Offer ending"),
}
# One colour per kind for the small dot before the kind; readable on light and dark palettes.
KIND_COLOURS = {
    "birthday": "#d81b60",
    "anniversary": "#8e24aa",
    "custom": "#00897b",
    "customer_since": "#1e88e5",
    "lapsed": "#fb8c00",
    "complaint": "#e53935",
    "coupon": "#43a047",
    "offer": "#6d4c41",
}
_ICON_SIZE = 12


def kind_title(item: AgendaItem) -> str:
    """"Birthday", "Lapsed regular"; a custom date shows its own name ("Name day")."""
    if item.kind == "custom" and item.label:
        return item.label
    return _(KIND_TITLES[item.kind]) if item.kind in KIND_TITLES else item.kind


def weekday_date(day: date) -> str:
    """"Wednesday 14 October" / "keskiviikko 14. lokakuuta", without the year."""
    locale = {"fi": "fi_FI"}.get(current_language(), "en_GB")
    return str(format_skeleton("MMMMEEEEd", day, locale=locale))


def day_title(day: date, today: date) -> str:
    if day == today:
        return _("Today · {date}").format(date=weekday_date(day))
    if day == today + timedelta(days=1):
        return _("Tomorrow · {date}").format(date=weekday_date(day))
    return weekday_date(day)


def when_text(occurs_on: date, today: date) -> str:
    """The occurrence with how far it is: "14.10.2026 (in 5 days)", "(3 days ago)"."""
    distance = (occurs_on - today).days
    if distance == 0:
        relative = _("today")
    elif distance == 1:
        relative = _("tomorrow")
    elif distance > 1:
        relative = ngettext("in {count} day", "in {count} days", distance).format(count=distance)
    else:
        relative = ngettext("{count} day ago", "{count} days ago", -distance).format(
            count=-distance
        )
    return _("{date} ({relative})").format(date=format_date(occurs_on), relative=relative)


@dataclass
class AgendaGroup:
    """One day row: "Late", "Today · …", or a later day."""

    title: str
    late: bool
    items: list[AgendaItem] = field(default_factory=list)


def group_agenda(agenda: Agenda) -> list[AgendaGroup]:
    groups = []
    if agenda.late:
        groups.append(AgendaGroup(_("Late"), True, list(agenda.late)))
    for day in agenda.upcoming:
        if day.items:
            groups.append(AgendaGroup(day_title(day.day, agenda.today), False, list(day.items)))
    return groups


class AgendaModel(QAbstractItemModel):
    """Day rows at the top level, agenda items beneath them; four columns."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.groups: list[AgendaGroup] = []
        self.today: date | None = None
        self._icons: dict[str, QIcon] = {}

    def set_agenda(self, agenda: Agenda | None) -> None:
        self.beginResetModel()
        self.groups = group_agenda(agenda) if agenda is not None else []
        self.today = agenda.today if agenda is not None else None
        self.endResetModel()

    def item_count(self) -> int:
        return sum(len(group.items) for group in self.groups)

    def item(self, index: Index) -> AgendaItem | None:
        if not index.isValid() or index.internalId() == _DAY_ROW:
            return None
        return self.groups[index.internalId() - 1].items[index.row()]

    def index_of(self, item_key: str, occurrence: str) -> QModelIndex:
        for group_row, group in enumerate(self.groups):
            for row, item in enumerate(group.items):
                if (item.item_key, item.occurrence) == (item_key, occurrence):
                    return self.createIndex(row, 0, group_row + 1)
        return QModelIndex()

    def item_indexes(self) -> list[QModelIndex]:
        """Every item row's first cell, top to bottom."""
        return [
            self.createIndex(row, 0, group_row + 1)
            for group_row, group in enumerate(self.groups)
            for row in range(len(group.items))
        ]

    # QAbstractItemModel -----------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = _TOP) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _DAY_ROW)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = _TOP) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _DAY_ROW:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _DAY_ROW)

    def rowCount(self, parent: Index = _TOP) -> int:
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() == _DAY_ROW and parent.column() == 0:
            return len(self.groups[parent.row()].items)
        return 0

    def columnCount(self, parent: Index = _TOP) -> int:
        return len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == _DAY_ROW:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return _(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _DAY_ROW:
            return self._day_data(self.groups[index.row()], index.column(), role)
        item = self.groups[index.internalId() - 1].items[index.row()]
        return self._item_data(item, index.column(), role)

    def _day_data(self, group: AgendaGroup, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and column == NAME:
            return _("{day} ({count})").format(day=group.title, count=len(group.items))
        if role == Qt.ItemDataRole.FontRole:
            font = QFont(QGuiApplication.font())
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and group.late:
            return QBrush(error_colour(QGuiApplication.palette()))
        return None

    def _item_data(self, item: AgendaItem, column: int, role: int) -> Any:
        if role == ITEM_ROLE:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == NAME:
                return item.name or _("(no name)")
            if column == WHAT:
                return item.what_to_do
            if column == KIND:
                return kind_title(item)
            if column == WHEN and self.today is not None:
                return when_text(item.occurs_on, self.today)
        if role == Qt.ItemDataRole.DecorationRole and column == KIND:
            return self._icon(item.kind)
        return None

    def _icon(self, kind: str) -> QIcon:
        icon = self._icons.get(kind)
        if icon is None:
            icon = self._icons[kind] = kind_icon(KIND_COLOURS.get(kind, "#757575"))
        return icon


def kind_icon(colour: str) -> QIcon:
    """A filled dot of the kind's colour."""
    pixmap = QPixmap(_ICON_SIZE * 2, _ICON_SIZE * 2)  # drawn at twice the size for HiDPI
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(4, 4, _ICON_SIZE * 2 - 8, _ICON_SIZE * 2 - 8)
    painter.end()
    return QIcon(pixmap)


def due_today_text(agenda: Agenda) -> str:
    """"3 touchpoints due today (1 late)": the start-up notice and the section's summary."""
    due, late = agenda.due_today, len(agenda.late)
    if due == 0:
        return _("Nothing due today")
    text = ngettext(
        "{count} touchpoint due today", "{count} touchpoints due today", due
    ).format(count=due)
    if late:
        late_text = ngettext("{count} late", "{count} late", late).format(count=late)
        text = _("{due} ({late})").format(due=text, late=late_text)
    return text
