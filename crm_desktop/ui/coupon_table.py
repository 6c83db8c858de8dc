"""The table model of the Coupons desk: one row per coupon, newest first.

Rows are the services' frozen CouponInfo records. The cell texts are formatted once when the
list arrives (Babel is too slow to run for every repaint); the sort role gives raw values so
a sort proxy orders dates as dates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication

from crm_desktop.i18n import N_, _, current_language, format_date
from crm_desktop.services.coupon_data import REDEEMED, VOID, CouponInfo, local_date
from crm_desktop.services.coupon_text import already_message, coupon_value_text
from crm_desktop.ui.coupon_labels import reason_text, status_colour, status_text

Index = QModelIndex | QPersistentModelIndex
_TOP = QModelIndex()

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_ROLE = Qt.ItemDataRole.UserRole + 2  # the normalised code, as the services take it
_DATE_ALIGNMENT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_FAR_FUTURE = date.max  # "never expires" sorts after every date


@dataclass(frozen=True)
class _Column:
    title: str  # marked with N_, translated where shown
    key: Callable[[CouponInfo, str], Any]  # (coupon, status) → the value to sort by
    aligned_right: bool = False


COLUMNS: tuple[_Column, ...] = (
    _Column(N_("Code"), lambda c, _s: c.code),
    _Column(N_("Customer"), lambda c, _s: c.customer_name.casefold()),
    _Column(N_("Value"), lambda c, _s: (c.kind, c.value)),
    _Column(N_("Reason"), lambda c, _s: c.reason),
    _Column(N_("Issued"), lambda c, _s: c.issued_at, aligned_right=True),
    _Column(N_("Expires"), lambda c, _s: c.expires_on or _FAR_FUTURE, aligned_right=True),
    _Column(N_("Status"), lambda _c, status: status),
)
STATUS_COLUMN = len(COLUMNS) - 1


@dataclass(frozen=True)
class _Row:
    coupon: CouponInfo
    status: str
    texts: tuple[str, ...]
    tooltip: str


class CouponTableModel(QAbstractTableModel):
    """Coupons as rows; ``set_coupons`` replaces them all (the desk reloads after changes)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []

    def set_coupons(self, coupons: Sequence[CouponInfo], today: date, currency: str) -> None:
        self.beginResetModel()
        self._rows = [_row(coupon, today, currency) for coupon in coupons]
        self.endResetModel()

    def coupon(self, row: int) -> CouponInfo | None:
        return self._rows[row].coupon if 0 <= row < len(self._rows) else None

    def status(self, row: int) -> str | None:
        return self._rows[row].status if 0 <= row < len(self._rows) else None

    def row_of(self, code: str) -> int | None:
        for number, row in enumerate(self._rows):
            if row.coupon.code == code:
                return number
        return None

    def rowCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section].title)
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section].aligned_right:
            return _DATE_ALIGNMENT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if not 0 <= column < len(COLUMNS):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.texts[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip
        if role == SORT_ROLE:
            return COLUMNS[column].key(row.coupon, row.status)
        if role == CODE_ROLE:
            return row.coupon.code
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[column].aligned_right:
            return _DATE_ALIGNMENT
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS_COLUMN:
            return status_colour(row.status, QGuiApplication.palette())
        return None


def _row(coupon: CouponInfo, today: date, currency: str) -> _Row:
    status = coupon.status(today)
    expires = format_date(coupon.expires_on) if coupon.expires_on else _("Never")
    texts = (
        coupon.grouped_code,
        coupon.customer_name or _("Anyone"),
        coupon_value_text(coupon, current_language(), currency),
        reason_text(coupon.reason),
        format_date(local_date(coupon.issued_at)),
        expires,
        status_text(status),
    )
    return _Row(coupon, status, texts, _tooltip(coupon, status))


def _tooltip(coupon: CouponInfo, status: str) -> str:
    """What the status alone does not say: when and where it was used, why it was cancelled."""
    if status == REDEEMED:
        return already_message(coupon)
    if status == VOID and coupon.void_reason:
        return _("Cancelled: {reason}").format(reason=coupon.void_reason)
    return coupon.terms or coupon.grouped_code
