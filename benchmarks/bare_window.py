"""The least a program could do to show the customer list: the start-up baseline.

``python -m benchmarks.bare_window FILE`` opens a QMainWindow with one QTableView over a
minimal lazy model that reads the customers in name order with plain sqlite3, a block of 200
rows at a time (``canFetchMore``/``fetchMore``). Once the table has painted its first rows
it prints ``first-rows <time.time()> <VmRSS kB> <VmHWM kB>``, as Kanta does under
CRM_BENCH_FIRST_PAINT, and quits.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

BLOCK = 200
QUERY = """
SELECT first_name || ' ' || last_name, city, customer_since FROM customer
ORDER BY sort_name, id LIMIT ? OFFSET ?
"""
Index = QModelIndex | QPersistentModelIndex


class BareModel(QAbstractTableModel):
    def __init__(self, connection: sqlite3.Connection) -> None:
        super().__init__()
        self._connection = connection
        self._rows: list[tuple[Any, ...]] = []
        self._exhausted = False
        self._rows = self._read_block()

    def _read_block(self) -> list[tuple[Any, ...]]:
        block = self._connection.execute(QUERY, (BLOCK, len(self._rows))).fetchall()
        self._exhausted = len(block) < BLOCK
        return block

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        return "" if value is None else str(value)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        block = self._read_block()
        if block:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(block) - 1)
            self._rows.extend(block)
            self.endInsertRows()


class FirstPaint(QObject):
    """Prints the time and memory once the viewport has painted rows, then quits."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self._view = view
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint or self._view.model().rowCount() == 0:
            return False
        watched.removeEventFilter(self)
        QCoreApplication.sendEvent(watched, event)  # paint now, so the time is after painting
        status = Path("/proc/self/status").read_text(encoding="ascii")
        found = [re.search(rf"^{key}:\s+(\d+)", status, re.MULTILINE) for key in ("VmRSS", "VmHWM")]
        kilobytes = [match.group(1) if match else "0" for match in found]
        print("first-rows", f"{time.time():.6f}", *kilobytes, flush=True)
        QCoreApplication.exit(0)
        return True


def main(path: str) -> int:
    app = QApplication(sys.argv[:1])
    connection = sqlite3.connect(path)
    window = QMainWindow()
    view = QTableView(window)
    view.setModel(BareModel(connection))
    window.setCentralWidget(view)
    window.resize(1100, 720)
    FirstPaint(view)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
