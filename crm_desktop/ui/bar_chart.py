"""A small horizontal bar chart drawn with QPainter: one labelled bar per row.

A row may carry a second, smaller value drawn over the first in a stronger colour (the
referrals a customer brought directly, inside all they brought). Colours come from the
palette, so the chart follows a light or a dark system theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from crm_desktop.i18n import format_number

LABEL_SHARE = 0.38  # of the width, for the names on the left
GAP = 6
MAX_ROW_FACTOR = 2.0  # rows grow up to twice the text height when there is room


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    inner: int | None = None  # drawn over the bar in the stronger colour


class BarChart(QWidget):
    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: tuple[Bar, ...] = ()
        self._empty_text = empty_text
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @property
    def bars(self) -> tuple[Bar, ...]:
        return self._bars

    def set_bars(self, bars: Sequence[Bar], description: str = "") -> None:
        self._bars = tuple(bars)
        self.setAccessibleDescription(description)
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 4

    def minimumSizeHint(self) -> QSize:
        rows = max(len(self._bars), 2)
        return QSize(160, rows * self._row_height() + 2 * GAP)

    def sizeHint(self) -> QSize:
        return QSize(320, self.minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        area = QRectF(self.rect()).adjusted(GAP, GAP, -GAP, -GAP)
        if not self._bars:
            painter.setPen(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self._empty_text)
            return
        row_height = min(area.height() / len(self._bars), self._row_height() * MAX_ROW_FACTOR)
        largest = max(max(bar.value for bar in self._bars), 1)
        label_width = area.width() * LABEL_SHARE
        metrics = self.fontMetrics()
        value_width = metrics.horizontalAdvance(format_number(largest)) + GAP
        bar_room = max(area.width() - label_width - GAP - value_width, 1.0)
        for row, bar in enumerate(self._bars):
            top = area.top() + row * row_height
            label_box = QRectF(area.left(), top, label_width, row_height)
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(
                label_box,
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, int(label_width)),
            )
            left = area.left() + label_width + GAP
            self._draw_bar(painter, palette, bar, left, top, row_height, bar_room / largest)

    def _draw_bar(
        self,
        painter: QPainter,
        palette: QPalette,
        bar: Bar,
        left: float,
        top: float,
        height: float,
        scale: float,
    ) -> None:
        inset = max(height * 0.18, 1.0)
        box = QRectF(left, top + inset, bar.value * scale, height - 2 * inset)
        strong = palette.color(QPalette.ColorRole.Highlight)
        light = QColor(strong)
        light.setAlphaF(0.4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(light if bar.inner is not None else strong)
        painter.drawRect(box)
        if bar.inner is not None:
            painter.setBrush(strong)
            painter.drawRect(QRectF(box.left(), box.top(), bar.inner * scale, box.height()))
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        text_box = QRectF(box.right() + GAP / 2, top, 10_000, height)
        painter.drawText(
            text_box,
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            format_number(bar.value),
        )
