"""The customer list model: a lazy table over the ids of the customers that match a search.

The model holds only the ordered ids of the matches (cheap even at 100,000 customers) and asks
the database worker for the rows of a block when the view first paints one of them. A row's
text (phone and dates formatted) is made when it is first shown: a screenful costs far less
than the whole block. The model's first query, the whole customer base at start, comes in two
answers: the first screenful with the number of matches, then every id; rows further down show
a placeholder for the moment between.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from crm_desktop.i18n import N_, _
from crm_desktop.services.customer_data import CustomerRow
from crm_desktop.services.search import (
    CustomerQuery,
    customer_ids,
    customer_rows,
    search_customers,
)
from crm_desktop.services.settings import load_settings
from crm_desktop.services.validation import format_phone
from crm_desktop.ui.list_formats import short_date
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

Runner = TaskRunner | SyncTaskRunner
Index = QModelIndex | QPersistentModelIndex
Cells = tuple[str, ...]

BLOCK_SIZE = 200
FIRST_ROWS = 60  # a screenful on a tall screen: what a new list shows first
CUSTOMER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DISPLAY_ROLE = Qt.ItemDataRole.DisplayRole
PLACEHOLDER = "…"


@dataclass(frozen=True)
class Column:
    title: str  # marked with N_, translated where shown
    sort_key: str | None  # the search.CustomerQuery sort; None: the column does not sort


COLUMNS = (
    Column(N_("Name"), "name"),
    Column(N_("City"), "city"),
    Column(N_("Phone"), None),
    Column(N_("Email"), None),
    Column(N_("Last visit"), "last_visit"),
    Column(N_("Customer since"), "customer_since"),
)


@dataclass(frozen=True)
class _Matches:
    ids: list[int]
    phone_region: str
    first_rows: dict[int, CustomerRow]  # the first screenful, when asked for with the ids


def local_date(moment: datetime | None) -> date | None:
    """Stored times are naive UTC; the list shows the local calendar day."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone().date()


def row_cells(row: CustomerRow, phone_region: str) -> Cells:
    """The text of each column for one customer, in the interface language."""
    last_visit = local_date(row.last_visit_at)
    return (
        row.name,
        row.city,
        format_phone(row.phone, phone_region) if row.phone else "",
        row.email,
        short_date(last_visit) if last_visit else "",
        short_date(row.customer_since) if row.customer_since else "",
    )


@dataclass(frozen=True)
class _FirstPage:
    ids: list[int]  # the first screenful
    total: int  # the number of matches
    phone_region: str
    rows: dict[int, CustomerRow]


def _fetch_first_page(session: Any, query: CustomerQuery) -> _FirstPage:
    page = search_customers(session, query, limit=FIRST_ROWS)
    rows = {row.id: row for row in page.rows}
    return _FirstPage(list(rows), page.total, load_settings(session).phone_region, rows)


def _fetch_matches(session: Any, query: CustomerQuery, first_rows: bool) -> _Matches:
    ids = customer_ids(session, query)
    first = _fetch_rows(session, ids[:FIRST_ROWS]) if first_rows else {}
    return _Matches(ids, load_settings(session).phone_region, first)


def _fetch_rows(session: Any, ids: list[int]) -> dict[int, CustomerRow]:
    return {row.id: row for row in customer_rows(session, ids)}


class CustomerTableModel(QAbstractTableModel):
    """Matches of one CustomerQuery; rows are fetched on the worker, a block at a time.

    With ``first_rows`` (for a model a view shows) each query brings the rows of the first
    screenful along with the ids, so new matches appear in one trip to the worker, not two.
    """

    results_arrived = Signal(int)  # the number of matches of the latest query
    every_id_arrived = Signal()  # after a first page: the rows further down are known too

    def __init__(
        self, runner: Runner, parent: QObject | None = None, first_rows: bool = False
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._first_rows = first_rows
        self._query = CustomerQuery()
        self._ids: list[int | None] = []  # None: not known yet, after a first page
        self._rows: dict[int, CustomerRow] = {}  # by customer id, as fetched
        self._cells: dict[int, Cells] = {}  # by customer id, the rows shown so far
        self._requested_blocks: set[int] = set()
        self._phone_region = "FI"
        self._query_counter = 0  # only the answer to the latest query is shown
        self._answered_counter = 0
        self._list_counter = 0  # blocks fetched for an earlier id list are dropped
        self._inside_data = 0  # a synchronous runner answers while data() is still running

    # -- queries ------------------------------------------------------------------------

    def query(self) -> CustomerQuery:
        return self._query

    @property
    def loading(self) -> bool:
        """A query has been sent and its answer has not arrived yet."""
        return self._answered_counter != self._query_counter

    @property
    def answered(self) -> bool:
        """The list has been read at least once (a desk out of sight is read after start)."""
        return self._answered_counter > 0

    def set_query(self, query: CustomerQuery) -> None:
        if query != self._query:
            self._query = query
            self.refresh()

    def refresh(self, stale_ids: frozenset[int] | None = None) -> None:
        """Run the query again; cached rows are kept except ``stale_ids`` (None: drop all)."""
        self._query_counter += 1
        counter, query, first_rows = self._query_counter, self._query, self._first_rows
        if first_rows and not self.answered:
            self._runner.submit(
                lambda session: _fetch_first_page(session, query),
                lambda page: self._first_page_arrived(counter, page),
            )
            self._runner.submit(
                lambda session: _fetch_matches(session, query, False),
                lambda matches: self._every_id_arrived(counter, matches),
            )
            return
        self._runner.submit(
            lambda session: _fetch_matches(session, query, first_rows),
            lambda matches: self._matches_arrived(counter, matches, stale_ids),
        )

    def _matches_arrived(
        self, counter: int, matches: _Matches, stale_ids: frozenset[int] | None
    ) -> None:
        if counter != self._query_counter:
            return
        self._answered_counter = counter
        self.beginResetModel()
        if stale_ids is None or matches.phone_region != self._phone_region:
            self._rows, self._cells = {}, {}
        else:
            self._rows = {i: r for i, r in self._rows.items() if i not in stale_ids}
            self._cells = {i: c for i, c in self._cells.items() if i not in stale_ids}
        self._ids = list(matches.ids)
        self._phone_region = matches.phone_region
        self._requested_blocks = set()  # rows past the first screenful come a block at a time
        self._store_rows(matches.first_rows)
        self._list_counter += 1
        self.endResetModel()
        self.results_arrived.emit(len(self._ids))

    def _first_page_arrived(self, counter: int, page: _FirstPage) -> None:
        if counter != self._query_counter:
            return
        self._answered_counter = counter
        self.beginResetModel()
        self._rows, self._cells = dict(page.rows), {}
        self._ids = [*page.ids, *([None] * (page.total - len(page.ids)))]
        self._phone_region = page.phone_region
        self._requested_blocks = set()
        self._list_counter += 1
        self.endResetModel()
        self.results_arrived.emit(page.total)

    def _every_id_arrived(self, counter: int, matches: _Matches) -> None:
        """The ids after a first page: filled in, or the list read anew if it changed."""
        if counter != self._query_counter:
            return
        known = [i for i in self._ids if i is not None]
        if (
            len(matches.ids) != len(self._ids)
            or matches.ids[: len(known)] != known
            or matches.phone_region != self._phone_region
        ):
            self._matches_arrived(counter, matches, None)
            return
        self._ids = list(matches.ids)
        if len(known) < len(self._ids):
            last = self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            roles = [DISPLAY_ROLE, CUSTOMER_ID_ROLE]
            self.dataChanged.emit(self.index(len(known), 0), last, roles)
        self.every_id_arrived.emit()  # a selection made meanwhile can find its row now

    # -- lazy rows ------------------------------------------------------------------------

    def _cells_for_row(self, row: int) -> Cells | None:
        customer_id = self._ids[row]
        if customer_id is None:  # shown when every id has arrived
            return None
        cells = self._cells.get(customer_id)
        if cells is None:
            if customer_id not in self._rows:
                self._request_block(row // BLOCK_SIZE)
            fetched = self._rows.get(customer_id)
            if fetched is not None:
                cells = self._cells[customer_id] = row_cells(fetched, self._phone_region)
        return cells

    def _request_block(self, block: int) -> None:
        if block in self._requested_blocks:
            return
        self._requested_blocks.add(block)
        first = block * BLOCK_SIZE
        ids = [i for i in self._ids[first : first + BLOCK_SIZE] if i is not None]
        counter = self._list_counter
        self._inside_data += 1
        try:
            self._runner.submit(
                lambda session: _fetch_rows(session, ids),
                lambda rows: self._rows_arrived(counter, first, len(ids), rows),
            )
        finally:
            self._inside_data -= 1

    def _rows_arrived(
        self, counter: int, first: int, count: int, rows: dict[int, CustomerRow]
    ) -> None:
        if counter != self._list_counter:
            return
        self._store_rows(rows)
        if not self._inside_data and count:
            last = self.index(first + count - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(first, 0), last, [Qt.ItemDataRole.DisplayRole])

    def _store_rows(self, rows: dict[int, CustomerRow]) -> None:
        self._rows.update(rows)
        for customer_id in rows:
            self._cells.pop(customer_id, None)  # shown again from the fresh row

    # -- look-ups for the pane ----------------------------------------------------------

    def customer_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, customer_id: int) -> int | None:
        try:
            return self._ids.index(customer_id)
        except ValueError:
            return None

    def cached_name(self, customer_id: int) -> str | None:
        row = self._rows.get(customer_id)
        return row.name if row else None

    def sort_column(self) -> int:
        keys = [column.sort_key for column in COLUMNS]
        return keys.index(self._query.sort) if self._query.sort in keys else 0

    # -- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Painting asks for about ten roles per cell; the unused ones leave first.
        if role != DISPLAY_ROLE and role != CUSTOMER_ID_ROLE:
            return None  # correct Qt for every other role
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._ids):
            return None
        if role == CUSTOMER_ID_ROLE:
            return self._ids[row]
        cells = self._cells_for_row(row)
        if cells is None:
            return PLACEHOLDER if index.column() == 0 else ""
        return cells[index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return _(COLUMNS[section].title)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A new query on the worker; columns without a sort key keep the current order."""
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort_key is None:
            return
        key = COLUMNS[column].sort_key
        assert key is not None
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self._query, sort=key, descending=descending))

