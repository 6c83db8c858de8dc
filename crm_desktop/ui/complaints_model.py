"""The complaints table: one row per complaint, newest first, as the services list them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from crm_desktop.i18n import N_, _, format_date, format_money
from crm_desktop.services.complaint_data import (
    COMPLAINT_CHANNELS,
    REMEDY_LABELS,
    SEVERITY_LABELS,
    ComplaintRow,
)

Index = QModelIndex | QPersistentModelIndex
_TOP = QModelIndex()
COMPLAINT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_NUMBER_ALIGNMENT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

STATUS_LABELS: dict[str, str] = {
    "open": N_("Open"),
    "resolved": N_("Resolved"),
    "closed": N_("Closed"),
}


def status_text(row: ComplaintRow, today: date) -> str:
    if row.status == "resolved" and row.follow_up_on is not None and row.follow_up_on <= today:
        return _("Follow-up due")
    return _(STATUS_LABELS.get(row.status, row.status))


def remedy_text(row: ComplaintRow) -> str:
    return _(REMEDY_LABELS[row.remedy]) if row.remedy in REMEDY_LABELS else ""


def first_line(text: str) -> str:
    stripped = text.strip()
    return stripped.splitlines()[0] if stripped else ""


class ComplaintsModel(QAbstractTableModel):
    """Complaint rows; money in the business currency, dates in the interface language."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ComplaintRow] = []
        self.currency = "EUR"
        self.today = date.today()
        self._columns: tuple[tuple[str, Callable[[ComplaintRow], str], bool], ...] = (
            (N_("Received"), lambda r: format_date(r.received_on), False),
            (N_("Customer"), lambda r: r.customer_name, False),
            (N_("Severity"), lambda r: _(SEVERITY_LABELS.get(r.severity, "")), False),
            (N_("Status"), lambda r: status_text(r, self.today), False),
            (N_("Remedy"), remedy_text, False),
            (N_("Cost"), self._cost, True),
            (N_("Follow-up"),
             lambda r: format_date(r.follow_up_on) if r.follow_up_on else "", False),
            (N_("Channel"), lambda r: _(COMPLAINT_CHANNELS.get(r.channel, r.channel)), False),
            (N_("Product"), lambda r: r.product_name, False),
            (N_("What went wrong"), lambda r: first_line(r.description), False),
        )

    def _cost(self, row: ComplaintRow) -> str:
        if row.remedy is None or not row.compensation_cents:
            return ""
        return format_money(row.compensation_cents, self.currency)

    def set_rows(self, rows: Sequence[ComplaintRow], today: date | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if today is not None:
            self.today = today
        self.endResetModel()

    @property
    def rows(self) -> list[ComplaintRow]:
        return list(self._rows)

    def complaint(self, row: int) -> ComplaintRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, complaint_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.id == complaint_id:
                return number
        return None

    def rowCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        title, _text, numeric = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return _(title)
        if role == Qt.ItemDataRole.TextAlignmentRole and numeric:
            return _NUMBER_ALIGNMENT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        row = self._rows[index.row()]
        _title, text, numeric = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text(row)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == len(self._columns) - 1:
            return row.description.strip()
        if role == Qt.ItemDataRole.TextAlignmentRole and numeric:
            return _NUMBER_ALIGNMENT
        if role == COMPLAINT_ID_ROLE:
            return row.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | (
            Qt.ItemFlag.ItemNeverHasChildren)
