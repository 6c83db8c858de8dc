"""The Referrals desk: a customer's referral family on the left; on the right the top referrers
and the sources for a period, and the referrers waiting for a thank-you.

The right side loads when the desk is first shown and again after changes while it is shown,
so a window that never opens this desk never runs its queries.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from crm_desktop.i18n import _
from crm_desktop.services.changes import Changes
from crm_desktop.ui.referral_stats_panes import (
    LeaderboardPane,
    PeriodBar,
    SourcesPane,
    period_problem,
)
from crm_desktop.ui.referral_thanks_pane import ThanksPane, due_count_text
from crm_desktop.ui.referral_tree_pane import ReferralTreePane
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

_RELOAD_KINDS = frozenset({"referrals", "customers", "touchpoints", "settings"})


class ReferralsSection(QWidget):
    customer_requested = Signal(int)  # the window opens this customer's card
    status_message = Signal(str)
    # A referrer was thanked (a referral_data.ThankResult; its letter is already in the preview).
    referrer_thanked = Signal(object)

    def __init__(self, runner: TaskRunner | SyncTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referralsSection")
        self._stale = True  # the right side needs loading next time it is seen
        self._followed: int | None = None
        self.tree_pane = ReferralTreePane(runner)
        self.period = PeriodBar()
        self.leaderboard = LeaderboardPane(runner)
        self.sources = SourcesPane(runner)
        self.thanks = ThanksPane(runner)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("referralTabs")
        self.tabs.addTab(self.leaderboard, _("Top referrers"))
        self.tabs.addTab(self.sources, _("Sources"))
        self.tabs.addTab(self.thanks, due_count_text(0))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("referralsSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.tree_pane)
        self.splitter.addWidget(self._right_side())
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([440, 560])  # the tree's names need room for their indent
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._connect(runner)

    def _right_side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.period)
        layout.addWidget(self.tabs, 1)
        return side

    def _connect(self, runner: TaskRunner | SyncTaskRunner) -> None:
        for requested in (
            self.tree_pane.customer_requested,
            self.leaderboard.customer_requested,
            self.thanks.customer_requested,
        ):
            requested.connect(self.customer_requested)
        self.leaderboard.customer_chosen.connect(self.tree_pane.show_customer)
        self.tree_pane.status.connect(self.status_message)
        self.thanks.status.connect(self.status_message)
        self.thanks.referrer_thanked.connect(self.referrer_thanked)
        self.leaderboard.failed.connect(self._period_failed)
        self.sources.failed.connect(self._period_failed)
        self.thanks.count_changed.connect(
            lambda count: self.tabs.setTabText(self.tabs.indexOf(self.thanks),
                                               due_count_text(count))
        )
        self.period.changed.connect(self._load_statistics)
        runner.changed.connect(self._data_changed)

    # Loading ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._stale = True
        if self.isVisible():
            self._load()
            self.tree_pane.reload()  # otherwise it reloads itself when its people change

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._load()

    def _load(self) -> None:
        self._stale = False
        self._load_statistics()
        self.thanks.load()

    def _load_statistics(self) -> None:
        self.period.error.clear_message()
        period = self.period.period()
        self.leaderboard.load(period)
        self.sources.load(period)

    def _period_failed(self, error: Exception) -> None:
        self.period.error.show_message(period_problem(error) or str(error))

    def _data_changed(self, changes: Changes) -> None:
        if not changes.kinds & _RELOAD_KINDS:
            return
        self._stale = True
        if self.isVisible():
            self._stale = False
            self._load_statistics()
            self.thanks.load()

    def _tab_changed(self, index: int) -> None:
        # The period does not apply to the thank-yous.
        self.period.setVisible(self.tabs.widget(index) is not self.thanks)

    # The customer chosen elsewhere ------------------------------------------------------------

    def follow_customer(self, customer_id: int | None) -> None:
        """The customer selected on the Customers desk; shown unless it is the one seen last."""
        if customer_id is None or customer_id == self._followed:
            return
        self._followed = customer_id
        self.tree_pane.show_customer(customer_id)

    # Window state -----------------------------------------------------------------------------

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("referrals/splitter", self.splitter.saveState())
        settings.setValue("referrals/tab", self.tabs.currentIndex())

    def restore_state(self, settings: QSettings) -> None:
        state = settings.value("referrals/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        tab = settings.value("referrals/tab", 0, type=int)
        if isinstance(tab, int) and 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)
