"""The Coupons desk: every coupon with its status, searched by code or customer, and the
actions on them: redeem, void, undo a redemption, print (one to a page or four with cut marks).

The list loads when the desk is first shown and again after coupon changes while it is shown.
Void and undo ask first; both are written to the coupon's history with this desk's name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import (
    QByteArray,
    QPoint,
    QSettings,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import N_, _, ngettext
from crm_desktop.services.changes import Changes
from crm_desktop.services.coupon_data import ACTIVE, EXPIRED, REDEEMED, ChangedCoupon, CouponInfo
from crm_desktop.services.coupon_search import CouponList, search_coupons
from crm_desktop.services.coupons import undo_redemption, void_coupon
from crm_desktop.ui.card_dialogs import show_error
from crm_desktop.ui.coupon_labels import STATUS_FILTER_LABELS
from crm_desktop.ui.coupon_print import CouponPrintRun, print_coupons
from crm_desktop.ui.coupon_questions import (
    ask_void_reason,
    confirm_undo_redemption,
    confirm_void,
)
from crm_desktop.ui.coupon_table import SORT_ROLE, CouponTableModel
from crm_desktop.ui.issue_coupon_dialog import IssueCouponDialog
from crm_desktop.ui.list_formats import whole_number
from crm_desktop.ui.redeem_dialog import RedeemDialog, current_desk
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

SEARCH_DELAY_MS = 250
PRINTABLE = (ACTIVE, EXPIRED)  # void and redeemed coupons are refused by the printer
_PER_PAGE = ((4, N_("4 per page, with cut marks")), (1, N_("1 per page")))


class CouponsSection(QWidget):
    customer_requested = Signal(int)
    status_message = Signal(str)

    def __init__(self, runner: TaskRunner | SyncTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("couponsSection")
        self._runner = runner
        self._stale = True
        self._request = 0
        self.dialog: IssueCouponDialog | RedeemDialog | None = None
        self.print_run: CouponPrintRun | None = None
        self.model = CouponTableModel(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.load)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._filter_row())
        layout.addWidget(self._table(), 1)
        self.note = QLabel()
        self.note.setObjectName("couponsNote")
        layout.addWidget(self.note)
        layout.addLayout(self._action_row())
        runner.changed.connect(self._data_changed)
        self._update_actions()

    # Building ---------------------------------------------------------------------------------

    def _filter_row(self) -> QHBoxLayout:
        self.search = QLineEdit()
        self.search.setObjectName("couponSearch")
        self.search.setAccessibleName(_("Search coupons"))
        self.search.setPlaceholderText(_("Search by code or customer"))
        self.search.setClearButtonEnabled(True)
        self.search.textEdited.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.load)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("couponStatusFilter")
        self.status_filter.setAccessibleName(_("Show"))
        for key, label in STATUS_FILTER_LABELS.items():
            self.status_filter.addItem(_(label), key)
        self.status_filter.currentIndexChanged.connect(lambda _index: self.load())
        self.issue_button = self._button(_("&Issue Coupon…"), "issueCouponButton", self.issue)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        show = QLabel(_("Sho&w"))
        show.setBuddy(self.status_filter)
        row.addWidget(show)
        row.addWidget(self.status_filter)
        row.addWidget(self.issue_button)
        return row

    def _table(self) -> QTableView:
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("couponTable")
        self.table.setAccessibleName(_("Coupons"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # as loaded: newest first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the buttons
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_actions())
        self.table.doubleClicked.connect(lambda _index: self._open_customer())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        return self.table

    def _action_row(self) -> QHBoxLayout:
        self.redeem_button = self._button(_("&Redeem…"), "redeemSelected", self.redeem_selected)
        self.void_button = self._button(_("V&oid…"), "voidSelected", self.void_selected)
        self.undo_button = self._button(
            _("&Undo Redemption"), "undoRedemption", self.undo_selected)
        self.per_page = QComboBox()
        self.per_page.setObjectName("couponsPerPage")
        self.per_page.setAccessibleName(_("Coupons per page"))
        for count, label in _PER_PAGE:
            self.per_page.addItem(_(label), count)
        self.print_button = self._button(
            _("&Print Selected…"), "printSelected", self.print_selected)
        row = QHBoxLayout()
        for button in (self.redeem_button, self.void_button, self.undo_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.per_page)
        row.addWidget(self.print_button)
        return row

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # Loading ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._stale = True
        if self.isVisible():
            self.load()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.load()

    def load(self) -> None:
        self._search_timer.stop()
        self._stale = False
        self._request += 1
        request, text = self._request, self.search.text()
        status, today = str(self.status_filter.currentData()), date.today()
        self._runner.submit(
            lambda session: search_coupons(session, text, status, today),
            lambda found: self._arrived(request, found),
            lambda error: self._load_failed(request, error),
        )

    def _arrived(self, request: int, found: CouponList) -> None:
        if request != self._request:
            return  # an answer to an older search
        chosen = {coupon.code for coupon in self.selected()}
        self.model.set_coupons(found.coupons, found.today, found.currency)
        self.table.resizeColumnsToContents()
        self._reselect(chosen)
        self.note.setText(self._note_text(found))
        self._update_actions()

    def _note_text(self, found: CouponList) -> str:
        count = len(found.coupons)
        if found.more:
            return ngettext("The newest coupon is shown; search to find others.",
                            "The newest {count} coupons are shown; search to find others.",
                            count).format(count=count)
        if not count:
            return _("No coupon matches.") if self.search.text().strip() else _("No coupons.")
        return ngettext("{count} coupon", "{count} coupons", count).format(
            count=whole_number(count))

    def _load_failed(self, request: int, error: Exception) -> None:
        if request == self._request:
            self.note.setText(str(error))

    def _data_changed(self, changes: Changes) -> None:
        if "coupons" in changes.kinds or "customers" in changes.kinds:
            self.refresh()

    # Selection --------------------------------------------------------------------------------

    def selected(self) -> list[CouponInfo]:
        rows = sorted(self.proxy.mapToSource(index).row()
                      for index in self.table.selectionModel().selectedRows())
        return [coupon for row in rows if (coupon := self.model.coupon(row)) is not None]

    def _single(self) -> tuple[CouponInfo, str] | None:
        """The one chosen coupon with its status, when exactly one is chosen."""
        chosen = self.selected()
        if len(chosen) != 1:
            return None
        row = self.model.row_of(chosen[0].code)
        status = self.model.status(row) if row is not None else None
        return (chosen[0], status) if status is not None else None

    def select_code(self, code: str) -> None:
        self._reselect({code})

    def _reselect(self, codes: set[str]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = (selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
        for code in codes:
            row = self.model.row_of(code)
            if row is not None:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                selection.select(index, flags)
                self.table.scrollTo(index)

    def _update_actions(self) -> None:
        single = self._single()
        status = single[1] if single is not None else None
        self.redeem_button.setEnabled(status == ACTIVE)
        self.void_button.setEnabled(status in PRINTABLE)
        self.undo_button.setEnabled(status == REDEEMED)
        self.print_button.setEnabled(bool(self._printable()))

    def _printable(self) -> list[CouponInfo]:
        return [coupon for coupon in self.selected()
                if self.model.status(self.model.row_of(coupon.code) or 0) in PRINTABLE]

    def _context_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        for button in (self.redeem_button, self.void_button, self.undo_button,
                       self.print_button):
            action = menu.addAction(button.text(), button.click)
            action.setEnabled(button.isEnabled())
        chosen = self._single()
        if chosen is not None and chosen[0].customer_id is not None:
            menu.addSeparator()
            menu.addAction(_("Open Customer"), self._open_customer)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def _open_customer(self) -> None:
        chosen = self._single()
        if chosen is not None and chosen[0].customer_id is not None:
            self.customer_requested.emit(chosen[0].customer_id)

    # Actions ----------------------------------------------------------------------------------

    def issue(self) -> None:
        dialog = IssueCouponDialog(self._runner, parent=self)
        dialog.issued.connect(lambda coupon: self._announce(
            _("Coupon {code} issued.").format(code=coupon.grouped_code)))
        self.dialog = dialog
        dialog.open()

    def redeem_selected(self) -> None:
        chosen = self._single()
        if chosen is None:
            return
        dialog = RedeemDialog(self._runner, self)
        dialog.set_code(chosen[0].grouped_code)
        self.dialog = dialog
        dialog.open()

    def void_selected(self) -> None:
        chosen = self._single()
        if chosen is None or chosen[1] not in PRINTABLE:
            return
        coupon = chosen[0]
        reason = ask_void_reason(self, coupon)
        if reason is None or not confirm_void(self, coupon):
            return
        code, desk = coupon.code, current_desk()
        self._runner.submit(
            lambda session: void_coupon(session, code, reason, desk),
            lambda changed: self._changed(changed, _("Coupon {code} is void.")),
            lambda error: show_error(self, error),
        )

    def undo_selected(self) -> None:
        chosen = self._single()
        if chosen is None or chosen[1] != REDEEMED or not confirm_undo_redemption(self, chosen[0]):
            return
        code, desk = chosen[0].code, current_desk()
        self._runner.submit(
            lambda session: undo_redemption(session, code, desk),
            lambda changed: self._changed(
                changed, _("Redemption of coupon {code} undone: it can be redeemed again.")),
            lambda error: show_error(self, error),
        )

    def _changed(self, changed: ChangedCoupon, message: str) -> None:
        self._announce(message.format(code=changed.coupon.grouped_code))

    def _announce(self, message: str) -> None:
        self.status_message.emit(message)

    def print_selected(self) -> None:
        printable = self._printable()
        left_out = len(self.selected()) - len(printable)
        if not printable:
            return
        if left_out:
            self._announce(ngettext(
                "{count} void or redeemed coupon was left out.",
                "{count} void or redeemed coupons were left out.", left_out,
            ).format(count=left_out))
        self.print_run = print_coupons(
            self, self._runner, [coupon.code for coupon in printable],
            int(self.per_page.currentData()), self._announce,
        )

    # Window state -----------------------------------------------------------------------------

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("coupons/header", self.table.horizontalHeader().saveState())
        settings.setValue("coupons/perPage", self.per_page.currentData())

    def restore_state(self, settings: QSettings) -> None:
        header = settings.value("coupons/header")
        if isinstance(header, QByteArray):
            self.table.horizontalHeader().restoreState(header)
        per_page = settings.value("coupons/perPage", 4, type=int)
        self.per_page.setCurrentIndex(max(self.per_page.findData(per_page), 0))
