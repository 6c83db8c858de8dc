"""Top referrers and referral sources for a period: each a table with a bar chart beside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import N_, _, format_number
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.referral_data import SourceCount, TopReferrer
from crm_desktop.services.referrals import referral_sources, top_referrers
from crm_desktop.ui.bar_chart import Bar, BarChart
from crm_desktop.ui.form_widgets import ErrorLabel, OptionalDateEdit
from crm_desktop.ui.referral_sources_dialog import ReferralSourcesDialog
from crm_desktop.ui.referral_tables import (
    CUSTOMER_ID_ROLE,
    LeaderboardModel,
    RecordTableModel,
    SourcesModel,
    source_shares,
)
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

Runner = TaskRunner | SyncTaskRunner
LEADERBOARD_SIZE = 20
RANKINGS = (("total", N_("Total referrals")), ("direct", N_("Direct referrals")))


@dataclass(frozen=True)
class Period:
    since: date | None
    until: date | None


class PeriodBar(QWidget):
    """From … to …, each may be left open; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.since = OptionalDateEdit(_("From"))
        self.until = OptionalDateEdit(_("To"))
        self.error = ErrorLabel(self.since.date_edit)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for text, edit in ((_("Referred from"), self.since), (_("to"), self.until)):
            label = QLabel(text)
            label.setBuddy(edit.check_box)
            row.addWidget(label)
            row.addWidget(edit)
            edit.changed.connect(self.changed)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.error)

    def period(self) -> Period:
        return Period(self.since.value(), self.until.value())

    def set_period(self, since: date | None, until: date | None) -> None:
        self.since.set_value(since)
        self.until.set_value(until)
        self.changed.emit()


def make_table(model: RecordTableModel, name: str, stretch: int) -> QTableView:
    table = QTableView()
    table.setAccessibleName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    for column in range(model.columnCount()):
        mode = QHeaderView.ResizeMode.Stretch if column == stretch else (
            QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(column, mode)
    return table


def side_by_side(
    table: QTableView, chart: BarChart, orientation: Qt.Orientation = Qt.Orientation.Horizontal
) -> QSplitter:
    splitter = QSplitter(orientation)
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(table)
    splitter.addWidget(chart)
    # Side by side they share the width; stacked, the table keeps its own height (a few rows).
    stacked = orientation == Qt.Orientation.Vertical
    splitter.setStretchFactor(0, 0 if stacked else 1)
    splitter.setStretchFactor(1, 1)
    return splitter


class LeaderboardPane(QWidget):
    """The customers who brought the most people in the period, ranked by total or direct."""

    customer_requested = Signal(int)  # open the card (double-click, Enter)
    customer_chosen = Signal(int)  # a row became current: show their tree
    failed = Signal(object)  # a ValidationError about the period

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leaderboardPane")
        self._runner = runner
        self._request = 0
        self.model = LeaderboardModel(self)
        self.rank_by = QComboBox()
        self.rank_by.setObjectName("rankBy")
        for key, title in RANKINGS:
            self.rank_by.addItem(_(title), key)
        self.rank_by.currentIndexChanged.connect(lambda _index: self.reload())
        self.table = make_table(self.model, _("Top referrers"), stretch=1)
        self.table.setObjectName("leaderboardTable")
        self.table.activated.connect(self._activated)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.chart = BarChart(_("Nobody referred anyone in this period."))
        self.chart.setObjectName("leaderboardChart")
        self.chart.setAccessibleName(_("Top referrers as bars"))
        self.legend = QLabel(
            _("Dark: brought directly · light: brought by the people they brought")
        )
        self.legend.setWordWrap(True)
        label = QLabel(_("Rank by"))
        label.setBuddy(self.rank_by)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.rank_by)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(side_by_side(self.table, self.chart), 1)
        layout.addWidget(self.legend)
        self._period = Period(None, None)

    def load(self, period: Period) -> None:
        self._period = period
        self.reload()

    def reload(self) -> None:
        self._request += 1
        request, period = self._request, self._period
        by: Literal["total", "direct"] = (
            "direct" if self.rank_by.currentData() == "direct" else "total"
        )
        self._runner.submit(
            lambda session: top_referrers(
                session, LEADERBOARD_SIZE, period.since, period.until, by=by
            ),
            lambda rows: self._arrived(request, rows),
            lambda error: self._error(request, error),
        )

    def _arrived(self, request: int, rows: list[TopReferrer]) -> None:
        if request != self._request:
            return
        self.model.set_records(rows)
        self.chart.set_bars(
            [Bar(row.name, row.total, row.direct) for row in rows],
            "; ".join(
                _("{name}: {direct} direct, {total} in all").format(
                    name=row.name, direct=format_number(row.direct),
                    total=format_number(row.total))
                for row in rows
            ),
        )

    def _error(self, request: int, error: Exception) -> None:
        if request == self._request:
            self.model.set_records([])
            self.chart.set_bars([])
            self.failed.emit(error)

    def _activated(self, index: QModelIndex) -> None:
        customer_id = self.model.data(index, CUSTOMER_ID_ROLE)
        if customer_id is not None:
            self.customer_requested.emit(int(customer_id))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        customer_id = self.model.data(current, CUSTOMER_ID_ROLE)
        if customer_id is not None:
            self.customer_chosen.emit(int(customer_id))


class SourcesPane(QWidget):
    """Where the period's new customers came from: sources, referrals, nothing recorded."""

    failed = Signal(object)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sourcesPane")
        self._runner = runner
        self._request = 0
        self._period = Period(None, None)
        self.model = SourcesModel(self)
        self.table = make_table(self.model, _("Referral sources"), stretch=0)
        self.table.setObjectName("sourcesTable")
        self.chart = BarChart(_("No customers in this period."))
        self.chart.setObjectName("sourcesChart")
        self.chart.setAccessibleName(_("Referral sources as bars"))
        self.edit_button = QPushButton(_("Edit sources…"))
        self.edit_button.clicked.connect(self.edit_sources)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        # A handful of rows: the chart fits under the table and its labels get the full width.
        layout.addWidget(side_by_side(self.table, self.chart, Qt.Orientation.Vertical), 1)
        layout.addLayout(row)

    def load(self, period: Period) -> None:
        self._period = period
        self._request += 1
        request = self._request
        self._runner.submit(
            lambda session: referral_sources(session, period.since, period.until),
            lambda counts: self._arrived(request, counts),
            lambda error: self._error(request, error),
        )

    def _arrived(self, request: int, counts: list[SourceCount]) -> None:
        if request != self._request:
            return
        self.model.set_records(source_shares(counts))
        self.chart.set_bars(
            [Bar(count.label, count.count) for count in counts],
            "; ".join(
                _("{source}: {count}").format(source=c.label, count=format_number(c.count))
                for c in counts
            ),
        )

    def _error(self, request: int, error: Exception) -> None:
        if request == self._request:
            self.model.set_records([])
            self.chart.set_bars([])
            self.failed.emit(error)

    def edit_sources(self) -> None:
        dialog = ReferralSourcesDialog(self._runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()


def period_problem(error: Exception) -> str | None:
    """The sentence for a refused period, or None when the error is something else."""
    if isinstance(error, ValidationError):
        return " ".join(error.fields.values())
    return None

