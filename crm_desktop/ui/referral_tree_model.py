"""The referral tree as an item model: the chain of referrers above a customer, everyone below.

The data is one family (the tree below the first referrer of the customer's chain), read on the
worker. The model shows either the line of referrers down to the customer and the customer's
whole tree, or the whole family; the switch needs no second query. Every row is built up front
into a flat list (a family of a thousand is a few milliseconds) and the index's internal id is
the row's place in that list, so ``parent()`` is a lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from crm_desktop.i18n import N_, _, format_date
from crm_desktop.services.referral_data import ReferralNode, ReferralTree, TreeNode
from crm_desktop.services.referrals import referral_chain, referral_tree

Index = QModelIndex | QPersistentModelIndex
_TOP = QModelIndex()  # "no parent": the default of Qt's own signatures

CUSTOMER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
NAME, DIRECT, TOTAL, REWARD = range(4)
COLUMN_TITLES = (N_("Name"), N_("Direct"), N_("Total"), N_("Reward status"))
REWARD_TITLES = {
    "pending": N_("Waiting for a first visit"),
    "due": N_("Thank-you due"),
    "rewarded": N_("Thanked"),
    "declined": N_("No thank-you"),
}
_NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def reward_title(status: str | None) -> str:
    return _(REWARD_TITLES[status]) if status in REWARD_TITLES else (status or "")


@dataclass(frozen=True)
class Family:
    """A customer's place in their referral family: the chain above them and the whole tree."""

    focus_id: int
    chain: list[ReferralNode]  # the first referrer first, the customer last
    tree: ReferralTree  # below the first referrer


def load_family(session: Any, customer_id: int) -> Family:
    """Runs on the worker: two recursive queries, up then down."""
    chain = referral_chain(session, customer_id)
    return Family(customer_id, chain, referral_tree(session, chain[0].customer_id))


@dataclass
class _Row:
    node: TreeNode
    parent: int  # place of the parent row in the flat list, -1 at the top
    row: int  # place among its siblings
    children: list[int]
    line_only: bool  # a referrer above the customer: only the line down is shown


def _path(family: Family) -> list[TreeNode]:
    """The tree's nodes from the first referrer down to the focus customer (as far as found)."""
    path = [family.tree.root]
    for step in family.chain[1:]:
        child = next((c for c in path[-1].children if c.customer_id == step.customer_id), None)
        if child is None:
            break  # the walk's depth guard stopped short of the customer
        path.append(child)
    return path


def _members(family: Family | None) -> frozenset[int]:
    if family is None:
        return frozenset()
    ids: set[int] = set()
    pending = [family.tree.root]
    while pending:
        node = pending.pop()
        ids.add(node.customer_id)
        pending.extend(node.children)
    return frozenset(ids)


class ReferralTreeModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._family: Family | None = None
        self._whole_family = False
        self._rows: list[_Row] = []
        self._top: list[int] = []
        self._members: frozenset[int] = frozenset()
        self.focus_row = -1  # place of the focus customer in the flat list

    # Filling ----------------------------------------------------------------------------------

    @property
    def family(self) -> Family | None:
        return self._family

    @property
    def whole_family(self) -> bool:
        return self._whole_family

    def set_family(self, family: Family | None) -> None:
        self.beginResetModel()
        self._family = family
        self._members = _members(family)
        self._build()
        self.endResetModel()

    @property
    def members(self) -> frozenset[int]:
        """Everyone in the loaded family, shown or not."""
        return self._members

    def set_whole_family(self, whole: bool) -> None:
        if whole != self._whole_family:
            self.beginResetModel()
            self._whole_family = whole
            self._build()
            self.endResetModel()

    def _build(self) -> None:
        self._rows, self._top, self.focus_row = [], [], -1
        if self._family is None:
            return
        path = _path(self._family)
        focus = path[-1] if path[-1].customer_id == self._family.focus_id else None
        if self._whole_family:
            self._add_tree(path[0], -1, 0)
        else:
            parent = -1
            for node in path[:-1] if focus is not None else ():
                parent = self._add_row(node, parent, 0, line_only=True)
            self._add_tree(focus or path[0], parent, 0)
        if focus is not None:
            self.focus_row = next(
                i for i, row in enumerate(self._rows) if row.node is focus
            )

    def _add_row(self, node: TreeNode, parent: int, row: int, line_only: bool) -> int:
        self._rows.append(_Row(node, parent, row, [], line_only))
        place = len(self._rows) - 1
        (self._rows[parent].children if parent >= 0 else self._top).append(place)
        return place

    def _add_tree(self, top: TreeNode, parent: int, row: int) -> None:
        """The node and everyone below it, without recursion (trees can be very deep)."""
        pending = [(top, parent, row)]
        while pending:
            node, above, place_in_parent = pending.pop()
            place = self._add_row(node, above, place_in_parent, line_only=False)
            count = len(node.children)
            pending.extend(
                (node.children[i], place, i) for i in range(count - 1, -1, -1)
            )

    # Looking up -------------------------------------------------------------------------------

    def customer_id(self, index: Index) -> int | None:
        row = self._row_at(index)
        return row.node.customer_id if row is not None else None

    def focus_index(self) -> QModelIndex:
        if self.focus_row < 0:
            return QModelIndex()
        return self.createIndex(self._rows[self.focus_row].row, 0, self.focus_row)

    def _row_at(self, index: Index) -> _Row | None:
        if not index.isValid():
            return None
        return self._rows[index.internalId()]

    # The item model ---------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = _TOP) -> QModelIndex:
        if column < 0 or column >= len(COLUMN_TITLES) or row < 0:
            return QModelIndex()
        above = self._row_at(parent)
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        places = above.children if above is not None else self._top
        if row >= len(places):
            return QModelIndex()
        return self.createIndex(row, column, places[row])

    def parent(self, index: Index = _TOP) -> QModelIndex:  # type: ignore[override]
        row = self._row_at(index)
        if row is None or row.parent < 0:
            return QModelIndex()
        return self.createIndex(self._rows[row.parent].row, 0, row.parent)

    def rowCount(self, parent: Index = _TOP) -> int:
        if not parent.isValid():
            return len(self._top)
        if parent.column() != 0:
            return 0
        return len(self._rows[parent.internalId()].children)

    def columnCount(self, parent: Index = _TOP) -> int:
        return len(COLUMN_TITLES)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMN_TITLES):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMN_TITLES[section])
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (DIRECT, TOTAL):
            return int(_NUMBER_ALIGNMENT)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._row_at(index)
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == CUSTOMER_ID_ROLE:
            return row.node.customer_id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (DIRECT, TOTAL):
            return int(_NUMBER_ALIGNMENT)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(index.internalId(), row)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == NAME:
            return self._tooltip(row)
        return None

    def _text(self, row: _Row, column: int) -> str:
        node = row.node
        if column == NAME:
            return node.name
        if column == DIRECT:
            return str(node.direct)
        if column == TOTAL:
            return str(node.total)
        # The status of the referral that brought this person; the top one has no referrer here.
        return reward_title(node.reward_status) if node.parent_id is not None else ""

    def _font(self, place: int, row: _Row) -> QFont | None:
        if place != self.focus_row and not row.line_only:
            return None
        font = QFont()
        font.setBold(place == self.focus_row)
        font.setItalic(row.line_only)
        return font

    def _tooltip(self, row: _Row) -> str:
        lines = []
        if row.node.referred_on is not None and row.node.parent_id is not None:
            lines.append(_("Referred on {date}").format(date=format_date(row.node.referred_on)))
        if row.line_only:
            lines.append(_("Only the line down to the chosen customer is shown here."))
        return "\n".join(lines) or row.node.name
