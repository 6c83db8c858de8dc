"""Table models of the Referrals section: top referrers, sources, thank-yous due.

Each is a plain list of the services' frozen rows behind a QAbstractTableModel; the columns say
how a row reads, so the three models differ only in their column lists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from crm_desktop.i18n import N_, _, format_date, format_number
from crm_desktop.services.referral_data import SourceCount, ThanksDue, TopReferrer

Index = QModelIndex | QPersistentModelIndex
_TOP = QModelIndex()  # "no parent": the default of Qt's own signatures

CUSTOMER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class TableColumn:
    title: str  # marked with N_, translated where shown
    text: Callable[[int, Any], str]  # (row number, record) → the cell's text
    numeric: bool = False


class RecordTableModel(QAbstractTableModel):
    """Rows of frozen records; ``customer_of`` names the customer a row opens, if any."""

    def __init__(
        self,
        columns: Sequence[TableColumn],
        customer_of: Callable[[Any], int | None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._customer_of = customer_of
        self._records: list[Any] = []

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    @property
    def records(self) -> list[Any]:
        return list(self._records)

    def record(self, row: int) -> Any:
        return self._records[row] if 0 <= row < len(self._records) else None

    def rowCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return _(column.title)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(_NUMBER_ALIGNMENT)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._records):
            return None
        record, column = self._records[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(index.row(), record)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(_NUMBER_ALIGNMENT)
        if role == CUSTOMER_ID_ROLE and self._customer_of is not None:
            return self._customer_of(record)
        return None


# Top referrers --------------------------------------------------------------------------------

LEADERBOARD_COLUMNS = (
    TableColumn(N_("#"), lambda row, _top: str(row + 1), numeric=True),
    TableColumn(N_("Name"), lambda _row, top: top.name),
    TableColumn(N_("Direct"), lambda _row, top: format_number(top.direct), numeric=True),
    TableColumn(N_("Total"), lambda _row, top: format_number(top.total), numeric=True),
)


class LeaderboardModel(RecordTableModel):
    """The top referrers (``TopReferrer`` rows), best first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(LEADERBOARD_COLUMNS, _customer_of_top, parent)


def _customer_of_top(top: TopReferrer) -> int:
    return top.customer_id


# Sources ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceShare:
    source: SourceCount
    share: float  # of all the customers counted, 0…1


def source_shares(counts: Sequence[SourceCount]) -> list[SourceShare]:
    total = sum(count.count for count in counts)
    return [SourceShare(count, count.count / total if total else 0.0) for count in counts]


SOURCE_COLUMNS = (
    TableColumn(N_("Source"), lambda _row, item: item.source.label),
    TableColumn(
        N_("Customers"), lambda _row, item: format_number(item.source.count), numeric=True
    ),
    TableColumn(
        N_("Share"),
        lambda _row, item: _("{percent}%").format(percent=format_number(round(100 * item.share))),
        numeric=True,
    ),
)


class SourcesModel(RecordTableModel):
    """How many customers came from each source (``SourceShare`` rows), most first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(SOURCE_COLUMNS, None, parent)


# Thank-yous due ---------------------------------------------------------------------------------


def _local_day(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return format_date(moment.replace(tzinfo=UTC).astimezone().date())


THANKS_COLUMNS = (
    TableColumn(N_("Referrer"), lambda _row, due: due.referrer_name),
    TableColumn(N_("Brought"), lambda _row, due: due.referred_name),
    TableColumn(N_("First visit"), lambda _row, due: _local_day(due.first_visit_at)),
    TableColumn(
        N_("Referred on"),
        lambda _row, due: format_date(due.referred_on) if due.referred_on else "",
    ),
)


class ThanksModel(RecordTableModel):
    """Referrers to thank (``ThanksDue`` rows); a row opens the referrer."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(THANKS_COLUMNS, _customer_of_thanks, parent)


def _customer_of_thanks(due: ThanksDue) -> int:
    return due.referrer_id
