"""The Today agenda as a tree: one row per day (the late items first, then Today, Tomorrow,
…) holding the things to do for customers on that day.

The model only shows an :class:`~crm_desktop.services.agenda_data.Agenda` computed on the
database worker; it never reads the database itself. A very large agenda (tens of thousands of
items with many customers) would cost the view a long pause to lay out, so each day shows its
first rows and more as the owner scrolls near its last shown row; the day rows always count
all their items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QIcon, QPainter, QPixmap

from crm_desktop.i18n import N_, _, current_language, format_date, ngettext
from crm_desktop.services.agenda_data import LATE_DAYS, Agenda, AgendaItem
from crm_desktop.ui.form_widgets import error_colour
from crm_desktop.ui.list_formats import whole_number

Index = QModelIndex | QPersistentModelIndex

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # the AgendaItem of an item row; None on a day row
COLUMNS = (N_("Customer"), N_("What to do"), N_("Kind"), N_("When"))
NAME, WHAT, KIND, WHEN = range(len(COLUMNS))
_TOP = QModelIndex()  # the invisible root, as a default argument
_DAY_ROW = 0  # internal id of a day row; an item row carries its day's row + 1
FIRST_ROWS = 50  # items a day shows at first: more than a tall screen holds
MORE_ROWS = 500  # items added when the owner comes near the last shown one
MORE_MARGIN = 100  # "near": painting an item this close to the last shown one asks for more
# The view asks for these for every row it lays out and every cell it paints: plain ints and
# ready-made flags keep each call short.
_DISPLAY, _TOOL_TIP = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole)
_DECORATION, _FONT = int(Qt.ItemDataRole.DecorationRole), int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_DAY_FLAGS = Qt.ItemFlag.ItemIsEnabled
_ITEM_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)

KIND_TITLES = {
    "birthday": N_("Birthday"),
    "anniversary": N_("Anniversary"),
    "custom": N_("Date"),
    "customer_since": N_("Customer anniversary"),
    "lapsed": N_("Lapsed regular"),
    "complaint": N_("Complaint follow-up"),
    "coupon": N_("Coupon expiring"),
    "offer": N_("Offer ending"),
    "referral": N_("Referral thanks"),
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
    "referral": "#3949ab",
}
_ICON_SIZE = 12


def kind_title(item: AgendaItem) -> str:
    """"Birthday", "Lapsed regular"; a custom date shows its own name ("Name day")."""
    if item.kind == "custom" and item.label:
        return item.label
    return _(KIND_TITLES[item.kind]) if item.kind in KIND_TITLES else item.kind


def weekday_date(day: date) -> str:
    """"Wednesday 14 October" / "keskiviikko 14. lokakuuta", without the year."""
    from babel.dates import format_skeleton  # on first use: not needed to open the window

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


def late_title() -> str:
    """The heading of the late items; its tooltip says what late means."""
    return _("Late")


def late_tool_tip() -> str:
    """What is late (see services.agenda): missed greetings, owed things, ended snoozes."""
    return ngettext(
        "Not done yet: birthdays and other dates that fell while Kanta was closed, and "
        "follow-ups, lapsed regulars, ending offers and thank-yous still owed, from up to "
        "{count} day back; also what a snooze carried past its day.",
        "Not done yet: birthdays and other dates that fell while Kanta was closed, and "
        "follow-ups, lapsed regulars, ending offers and thank-yous still owed, from up to "
        "{count} days back; also what a snooze carried past its day.",
        LATE_DAYS,
    ).format(count=LATE_DAYS)


@dataclass
class AgendaGroup:
    """One day row: the late items, "Today · …", or a later day."""

    title: str
    late: bool
    items: list[AgendaItem] = field(default_factory=list)


def group_agenda(agenda: Agenda) -> list[AgendaGroup]:
    groups = []
    if agenda.late:
        groups.append(AgendaGroup(late_title(), True, list(agenda.late)))
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
        self._shown: list[int] = []  # item rows each day shows so far
        self._wanted: set[int] = set()  # days to show more of, once painting is over
        self._more_timer = QTimer(self)
        self._more_timer.setSingleShot(True)
        self._more_timer.timeout.connect(self._show_wanted)

    def set_agenda(self, agenda: Agenda | None) -> None:
        self.beginResetModel()
        self.groups = group_agenda(agenda) if agenda is not None else []
        self.today = agenda.today if agenda is not None else None
        self._shown = [min(len(group.items), FIRST_ROWS) for group in self.groups]
        self._wanted.clear()
        self.endResetModel()

    def shown_count(self, group_row: int) -> int:
        """How many of the day's items have rows so far."""
        return self._shown[group_row]

    def show_rows(self, group_row: int, count: int) -> None:
        """Give at least ``count`` of the day's items (as many as it has) their rows."""
        shown = self._shown[group_row]
        count = min(count, len(self.groups[group_row].items))
        if count <= shown:
            return
        self.beginInsertRows(self.createIndex(group_row, 0, _DAY_ROW), shown, count - 1)
        self._shown[group_row] = count
        self.endInsertRows()

    def item_index(self, group_row: int, row: int) -> QModelIndex:
        """The first cell of the day's item ``row``; rows up to it are shown first."""
        if not (0 <= group_row < len(self.groups) and 0 <= row < len(self.groups[group_row].items)):
            return QModelIndex()
        self.show_rows(group_row, row + 1)
        return self.createIndex(row, 0, group_row + 1)

    def _want_more(self, group_row: int) -> None:
        # Asked while the view paints, when rows must not change: added right after.
        if group_row in self._wanted:
            return
        if self._shown[group_row] < len(self.groups[group_row].items):
            self._wanted.add(group_row)
            self._more_timer.start()

    def _show_wanted(self) -> None:
        wanted, self._wanted = sorted(self._wanted), set()
        for group_row in wanted:
            if group_row < len(self.groups):
                self.show_rows(group_row, self._shown[group_row] + MORE_ROWS)

    def item_count(self) -> int:
        return sum(len(group.items) for group in self.groups)

    def item(self, index: Index) -> AgendaItem | None:
        if not index.isValid() or index.internalId() == _DAY_ROW:
            return None
        return self.groups[index.internalId() - 1].items[index.row()]

    def index_of(self, item_key: str, occurrence: str) -> QModelIndex:
        """The item's first cell (its row is shown first), or an invalid index."""
        for group_row, group in enumerate(self.groups):
            for row, item in enumerate(group.items):
                if item.item_key == item_key and item.occurrence == occurrence:
                    return self.item_index(group_row, row)
        return QModelIndex()

    def item_indexes(self) -> list[QModelIndex]:
        """Every shown item row's first cell, top to bottom."""
        return [
            self.createIndex(row, 0, group_row + 1)
            for group_row, shown in enumerate(self._shown)
            for row in range(shown)
        ]

    # QAbstractItemModel -----------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = _TOP) -> QModelIndex:
        # Called for every row the view lays out: checked here rather than with hasIndex().
        if row < 0 or not 0 <= column < len(COLUMNS):
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self.groups):
                return QModelIndex()
            return self.createIndex(row, column, _DAY_ROW)
        if parent.internalId() != _DAY_ROW or parent.column() != 0:
            return QModelIndex()
        if row >= self._shown[parent.row()]:
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = _TOP) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _DAY_ROW:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _DAY_ROW)

    def rowCount(self, parent: Index = _TOP) -> int:
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() == _DAY_ROW and parent.column() == 0:
            return self._shown[parent.row()]
        return 0

    def columnCount(self, parent: Index = _TOP) -> int:
        return len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _DAY_FLAGS if index.internalId() == _DAY_ROW else _ITEM_FLAGS

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
        group_row = index.internalId() - 1
        if index.row() >= self._shown[group_row] - MORE_MARGIN:
            self._want_more(group_row)  # the owner is near the day's last shown row
        item = self.groups[group_row].items[index.row()]
        return self._item_data(item, index.column(), role)

    def _day_data(self, group: AgendaGroup, column: int, role: int) -> Any:
        if role == _DISPLAY and column == NAME:
            return _("{day} ({count})").format(day=group.title, count=len(group.items))
        if role == _FONT:
            font = QFont(QGuiApplication.font())
            font.setBold(True)
            return font
        if role == _FOREGROUND and group.late:
            return QBrush(error_colour(QGuiApplication.palette()))
        if role == _TOOL_TIP and group.late:
            return late_tool_tip()
        return None

    def _item_data(self, item: AgendaItem, column: int, role: int) -> Any:
        if role == ITEM_ROLE:
            return item
        if role in (_DISPLAY, _TOOL_TIP):
            if column == NAME:
                return item.name or _("(no name)")
            if column == WHAT:
                return item.what_to_do
            if column == KIND:
                return kind_title(item)
            if column == WHEN and self.today is not None:
                return when_text(item.occurs_on, self.today)
        if role == _DECORATION and column == KIND:
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
    ).format(count=whole_number(due))
    if late:
        late_text = ngettext("{count} late", "{count} late", late).format(count=whole_number(late))
        text = _("{due} ({late})").format(due=text, late=late_text)
    return text
