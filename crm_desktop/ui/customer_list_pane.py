"""The customer list pane: search box, tag and status filters, match count and the table."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QModelIndex,
    QObject,
    QSettings,
    QSignalBlocker,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import N_, _, ngettext
from crm_desktop.services.search import CustomerQuery, all_tags
from crm_desktop.ui.customer_list import COLUMNS, CustomerTableModel, Runner
from crm_desktop.ui.list_formats import short_date, whole_number

STATUS_CHOICES = (
    ("active", N_("Active")),
    ("inactive", N_("Inactive")),
    ("lost", N_("Lost")),
)
SEARCH_DELAY_MS = 180  # long enough to skip the queries of a word being typed


def customer_count_text(count: int) -> str:
    return ngettext("{count} customer", "{count} customers", count).format(
        count=whole_number(count)
    )


class CustomerListPane(QWidget):
    """Search box, tag and status filters, match count and the customer table."""

    customer_selected = Signal(int)  # the selection moved to a customer
    customer_activated = Signal(int)  # Enter or double-click on a customer
    new_customer_requested = Signal()  # the button of the empty list

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._selected_id: int | None = None
        self._restoring_selection = False
        self._enter_when_ready = False
        self.model = CustomerTableModel(runner, self, first_rows=True)
        self._build_filters()
        self._build_table()
        self._build_layout()
        self.find_action = QAction(_("&Find Customer"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        self.addAction(self.find_action)  # Ctrl+F works even where no menu holds the action
        self.model.results_arrived.connect(self._results_arrived)
        self.model.every_id_arrived.connect(self._every_id_arrived)

    # -- building -------------------------------------------------------------------------

    def _build_filters(self) -> None:
        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("customerSearch")
        self.search_box.setPlaceholderText(_("Search by name, city, phone or email"))
        self.search_box.setAccessibleName(_("Search customers"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.installEventFilter(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_box.returnPressed.connect(self._enter_results)
        self.tag_filter = QComboBox(self)
        self.tag_filter.setObjectName("tagFilter")
        self.tag_filter.addItem(_("All tags"), None)
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(_("Any status"), None)
        for value, title in STATUS_CHOICES:
            self.status_filter.addItem(_(title), value)
        for combo in (self.tag_filter, self.status_filter):
            # Equal shares of the row, however long the longest tag is.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
            combo.currentIndexChanged.connect(lambda _index: self.apply_filters())
        self.match_count = QLabel(self)
        self.match_count.setObjectName("matchCount")

    def _build_table(self) -> None:
        self.table = QTableView(self)
        self.table.setObjectName("customerTable")
        self.table.setAccessibleName(_("Customers"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        for column, width in enumerate(self._column_widths()):
            header.resizeSection(column, width)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_requested)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.table.activated.connect(self._row_activated)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.table)
        self._stack.addWidget(self._build_empty_page())

    def _build_empty_page(self) -> QWidget:
        page = QWidget(self)
        self.empty_state = QLabel(page)
        self.empty_state.setObjectName("emptyState")
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_state.setWordWrap(True)
        self.add_first_button = QPushButton(_("Add a Customer"), page)
        self.add_first_button.clicked.connect(self.new_customer_requested)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        layout.addWidget(self.empty_state)
        layout.addWidget(self.add_first_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        return page

    def _column_widths(self) -> list[int]:
        """Room for typical content: a long name, a phone number, a date and its header."""
        metrics = self.fontMetrics()
        char = metrics.averageCharWidth()
        padding = 2 * char + 8
        date_text = short_date(date(2026, 12, 28))

        def dates(title: str) -> int:
            return max(metrics.horizontalAdvance(date_text), metrics.horizontalAdvance(title)
                       + char * 3) + padding

        return [
            char * 18 + padding,
            char * 10 + padding,
            metrics.horizontalAdvance("040 123 4567") + padding,
            char * 22 + padding,
            dates(_(COLUMNS[4].title)),
            dates(_(COLUMNS[5].title)),
        ]

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        for text, combo in ((_("&Tag:"), self.tag_filter), (_("S&tatus:"), self.status_filter)):
            label = QLabel(text, self)
            label.setBuddy(combo)
            combo.setAccessibleName(label.text().replace("&", "").rstrip(":"))
            filters.addWidget(label)
            filters.addWidget(combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_box)
        layout.addLayout(filters)
        layout.addWidget(self.match_count)
        layout.addWidget(self._stack, 1)

    # -- queries --------------------------------------------------------------------------

    def current_query(self) -> CustomerQuery:
        return replace(
            self.model.query(),
            text=self.search_box.text().strip(),
            tag=self.tag_filter.currentData(),
            status=self.status_filter.currentData(),
        )

    def apply_filters(self) -> None:
        self._search_timer.stop()
        self.model.set_query(self.current_query())

    def refresh(self, stale_ids: frozenset[int] | None = None) -> None:
        """Query again (after a change elsewhere) and reload the tag choices."""
        self.model.refresh(stale_ids)
        self._runner.submit(all_tags, self._tags_arrived)

    def _tags_arrived(self, tags: list[str]) -> None:
        chosen = self.tag_filter.currentData()
        with QSignalBlocker(self.tag_filter):
            self.tag_filter.clear()
            self.tag_filter.addItem(_("All tags"), None)
            for tag in tags:
                self.tag_filter.addItem(tag, tag)
            self.tag_filter.setCurrentIndex(max(0, self.tag_filter.findData(chosen)))
        if self.tag_filter.currentData() != chosen:
            self.apply_filters()  # the chosen tag is gone from every customer

    def _sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        if COLUMNS[column].sort_key is None:  # keep showing the order the list really has
            order = (
                Qt.SortOrder.DescendingOrder
                if self.model.query().descending
                else Qt.SortOrder.AscendingOrder
            )
            with QSignalBlocker(self.table.horizontalHeader()):
                self.table.horizontalHeader().setSortIndicator(self.model.sort_column(), order)
            return
        self.model.sort(column, order)

    def _results_arrived(self, count: int) -> None:
        self.match_count.setText(customer_count_text(count))
        self._stack.setCurrentIndex(0 if count else 1)
        self.empty_state.setText(self._empty_text())
        query = self.model.query()
        self.add_first_button.setVisible(not (query.text or query.tag or query.status))
        if self._selected_id is not None:
            self.select_customer(self._selected_id)
        if self._enter_when_ready:
            self._enter_results()

    def _every_id_arrived(self) -> None:
        if self._selected_id is not None:
            self.select_customer(self._selected_id)

    def _empty_text(self) -> str:
        query = self.model.query()
        if query.text:
            return _("No customers match “{text}”.").format(text=query.text)
        if query.tag or query.status:
            return _("No customers match the chosen tag and status.")
        return _("No customers yet — add one or import a file.")

    # -- selection ------------------------------------------------------------------------

    def selected_customer(self) -> int | None:
        return self._selected_id

    def select_customer(self, customer_id: int | None) -> None:
        """Show a customer as selected without announcing it (the card already shows it)."""
        self._selected_id = customer_id
        row = None if customer_id is None else self.model.row_of(customer_id)
        self._restoring_selection = True
        try:
            if row is None:
                self.table.clearSelection()
                self.table.setCurrentIndex(QModelIndex())
            else:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
        finally:
            self._restoring_selection = False

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        customer_id = self.model.customer_id(current.row()) if current.isValid() else None
        if self._restoring_selection or customer_id is None:
            return
        self._selected_id = customer_id
        self.customer_selected.emit(customer_id)

    def _row_activated(self, index: QModelIndex) -> None:
        customer_id = self.model.customer_id(index.row())
        if customer_id is not None:
            self.customer_activated.emit(customer_id)

    # -- keyboard -------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _enter_results(self) -> None:
        """Enter in the search box: search now and go to the first match."""
        self.apply_filters()
        if self.model.loading:
            self._enter_when_ready = True
            return
        self._enter_when_ready = False
        if self.model.rowCount() == 0:
            return
        if not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_box
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            self._enter_results()
            return True
        return super().eventFilter(watched, event)

    # -- window state ---------------------------------------------------------------------

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("customerTable/header", self.table.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        state = settings.value("customerTable/header")
        header = self.table.horizontalHeader()
        if isinstance(state, QByteArray) and header.restoreState(state):
            self._sort_requested(header.sortIndicatorSection(), header.sortIndicatorOrder())
