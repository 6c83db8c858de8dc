"""The Today desk: what to do for customers today and in the next days, grouped by day.

The agenda is computed on the database worker: the list keeps showing the last answer with
a busy bar until the new one arrives. Loading it notes the day as shown, so that tomorrow's
late items are only those missed while Kanta was closed (see ``services.agenda_shown``).
Done and snoozed are stored in the database, so they survive a restart; the last of them
can be undone with the Undo button (Ctrl+Z belongs to the customer card). A referrer to thank
is thanked from here with one click: a coupon, the reward and the letter, which opens in the
preview to print.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, format_date, ngettext
from crm_desktop.services.agenda import (
    MAX_DAYS,
    agenda,
    mark_done,
    record_agenda_shown,
    snooze,
    undo_state,
)
from crm_desktop.services.agenda_data import Agenda, AgendaItem, ReminderChange
from crm_desktop.services.changes import Changes
from crm_desktop.ui.agenda_model import AgendaModel, due_today_text, weekday_date
from crm_desktop.ui.agenda_thanks import AgendaThanks
from crm_desktop.ui.agenda_view import AgendaTree, describe
from crm_desktop.ui.snooze_dialog import SnoozeDialog
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

# Changes that cannot alter the agenda; anything else (dates, visits, complaints, coupons,
# settings, names) may.
_UNRELATED_KINDS = frozenset({"products", "favourites", "letter_templates"})
DAYS_DELAY_MS = 350  # wait for the spin box to settle before recomputing


@dataclass(frozen=True)
class LastAction:
    """A done or snooze that Undo can take back."""

    item: AgendaItem
    touchpoint_id: int | None  # the history entry a done wrote


def todays_agenda(session: Any, today: date, days: int | None) -> Agenda:
    """The agenda the desk shows, noted as shown in the same transaction: from tomorrow on,
    only what falls after today counts as missed (late)."""
    result = agenda(session, today, days)
    record_agenda_shown(session, today)
    return result


def undo_last(session: Any, last: LastAction, today: date) -> ReminderChange:
    """Forget the done or snooze; an earlier snooze still in the future comes back."""
    item = last.item
    undone = undo_state(session, item.item_key, item.occurrence, last.touchpoint_id)
    if item.snoozed_until is not None and item.snoozed_until > today:
        snooze(session, item.item_key, item.occurrence, item.snoozed_until, today)
    return undone


class TodaySection(QWidget):
    customer_requested = Signal(int)  # open this customer's card
    status_message = Signal(str)
    loaded = Signal(object)  # the Agenda, after every load

    def __init__(self, runner: TaskRunner | SyncTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todaySection")
        self._runner = runner
        self.clock: Callable[[], date] = date.today  # tests set another day
        self.agenda: Agenda | None = None
        self.last_action: LastAction | None = None
        self.snooze_dialog: SnoozeDialog | None = None
        self._days: int | None = None  # None: as many as the settings say
        self._loading = self._again = self._stale = False
        self.model = AgendaModel(self)
        self._make_actions()
        # Thank… for a referrer to thank; "self.clock()" so that a clock set later counts too.
        self.thanks = AgendaThanks(runner, self, self.current_item, lambda: self.clock())
        self.thanks.status_message.connect(self.status_message)
        self.thanks.refused.connect(self.refresh)
        self._build()
        self._days_timer = self._timer(DAYS_DELAY_MS, self._days_settled)
        self._midnight = self._timer(0, self.check_day)
        runner.changed.connect(self._data_changed)
        application = QGuiApplication.instance()
        if isinstance(application, QGuiApplication):
            application.applicationStateChanged.connect(self._application_state)
        self._update_actions()

    # Building ---------------------------------------------------------------------------------

    def _timer(self, interval: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval)
        timer.timeout.connect(slot)
        return timer

    def _make_actions(self) -> None:
        self.done_action = self._action(_("Mark &done"), self.mark_done, "Ctrl+D")
        self.snooze_action = self._action(_("&Snooze…"), self.snooze, "Ctrl+L")
        self.open_action = self._action(_("&Open card"), self.open_current, "")
        self.done_action.setToolTip(_("Mark done and note it in the customer's history (Ctrl+D)"))
        self.snooze_action.setToolTip(_("Hide until a later day (Ctrl+L)"))
        self.open_action.setToolTip(_("Open the customer's card (Enter)"))

    def _action(self, text: str, slot: Callable[[], None], shortcut: str) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._build_header())
        layout.addLayout(self._build_action_row())
        self.tree = AgendaTree(self.model)
        self.tree.activated.connect(lambda _index: self.open_current())
        self.tree.selectionModel().currentChanged.connect(lambda *_args: self._update_actions())
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.empty = QLabel()
        self.empty.setObjectName("agendaEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self._pages = QStackedWidget()
        self._pages.addWidget(self.tree)
        self._pages.addWidget(self.empty)
        layout.addWidget(self._pages, 1)

    def _build_header(self) -> QHBoxLayout:
        self.title = QLabel(_("Today"))
        self.title.setObjectName("todayTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setObjectName("todaySummary")
        self.days_box = QSpinBox()
        self.days_box.setObjectName("agendaDays")
        self.days_box.setRange(0, MAX_DAYS)
        self.days_box.setAccessibleName(_("Days ahead"))
        self.days_box.valueChanged.connect(lambda _value: self._days_timer.start())
        days_label = QLabel(_("D&ays ahead"))
        days_label.setBuddy(self.days_box)
        self.busy = QProgressBar()
        self.busy.setObjectName("agendaBusy")
        self.busy.setRange(0, 0)  # an endless bar: the agenda gives no progress
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(100)
        self.busy.setAccessibleName(_("Updating the agenda"))
        self.busy.hide()
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.title)
        names.addWidget(self.summary)
        header = QHBoxLayout()
        header.addLayout(names, 1)
        header.addWidget(self.busy)
        header.addWidget(days_label)
        header.addWidget(self.days_box)
        return header

    def _build_action_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.buttons: list[QPushButton] = []
        for action in (self.done_action, self.snooze_action, self.open_action):
            button = QPushButton(action.text())
            button.setToolTip(action.toolTip())
            button.clicked.connect(action.trigger)
            self.buttons.append(button)
            row.addWidget(button)
        row.addWidget(self.thanks.button)
        row.addStretch(1)
        self.undo_note = QLabel()
        self.undo_note.setObjectName("undoNote")
        self.undo_button = QPushButton(_("&Undo"))
        self.undo_button.setObjectName("undoAgenda")
        self.undo_button.setAccessibleName(_("Undo the last done or snooze"))
        self.undo_button.clicked.connect(self.undo)
        self.undo_button.hide()
        row.addWidget(self.undo_note)
        row.addWidget(self.undo_button)
        return row

    # Loading ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Compute the agenda again on the worker; a request while one runs is queued once."""
        if self._loading:
            self._again = True
            return
        self._loading, self._stale = True, False
        self.busy.show()
        today, days = self.clock(), self._days
        self._runner.submit(lambda session: todays_agenda(session, today, days),
                            self._loaded, self._load_failed)

    def _loaded(self, result: Agenda) -> None:
        self._loading = False
        self.agenda = result
        self._show(result)
        self.loaded.emit(result)
        self._finish_loading()

    def _load_failed(self, error: Exception) -> None:
        self._loading = False
        self.empty.setText(_("The agenda could not be loaded: {reason}").format(reason=error))
        self._pages.setCurrentWidget(self.empty)
        self._finish_loading()

    def _finish_loading(self) -> None:
        self._start_midnight_timer()
        if self._again:
            self._again = False
            self.refresh()
        else:
            self.busy.hide()

    def _show(self, result: Agenda) -> None:
        self.tree.show_agenda(result)
        self.days_box.blockSignals(True)
        self.days_box.setValue(result.days)
        self.days_box.blockSignals(False)
        self.title.setText(_("Today, {date}").format(date=weekday_date(result.today)))
        self.summary.setText(due_today_text(result))
        self.empty.setText(ngettext(
            "Nothing to do today or in the next {count} day.",
            "Nothing to do today or in the next {count} days.", result.days,
        ).format(count=result.days))
        has_items = self.model.item_count() > 0
        self._pages.setCurrentWidget(self.tree if has_items else self.empty)
        self._update_actions()

    def _data_changed(self, changes: Changes) -> None:
        if "settings" in changes.kinds:
            self._days = None  # follow the new setting
        if not (changes.customers or changes.kinds - _UNRELATED_KINDS):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # recompute when the section is shown again

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
        else:
            self.check_day()

    def check_day(self) -> None:
        """After midnight, or when the window comes back on a new day: today has moved."""
        if self.agenda is not None and self.agenda.today != self.clock():
            self.refresh()

    def _application_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check_day()

    def _start_midnight_timer(self) -> None:
        now = datetime.now()
        midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
        self._midnight.start(int((midnight - now).total_seconds() * 1000) + 1000)

    def _days_settled(self) -> None:
        if self.agenda is None or self.days_box.value() != self.agenda.days:
            self._days = self.days_box.value()
            self.refresh()

    # Acting on items --------------------------------------------------------------------------

    def current_item(self) -> AgendaItem | None:
        return self.tree.current_item()

    def _update_actions(self) -> None:
        has_item = self.current_item() is not None
        for action in (self.done_action, self.snooze_action, self.open_action):
            action.setEnabled(has_item)
        for button in self.buttons:
            button.setEnabled(has_item)
        self.thanks.follow_current()

    def mark_done(self) -> None:
        item = self.current_item()
        if item is None:
            return
        self._runner.submit(
            lambda session: mark_done(session, item.item_key, item.occurrence, item.customer_id),
            lambda change: self._acted(
                LastAction(item, change.touchpoint_id),
                _("Done: {what}.").format(what=describe(item)),
            ),
            self._failed,
        )

    def snooze(self) -> None:
        item = self.current_item()
        if item is None:
            return
        dialog = SnoozeDialog(describe(item), self.clock(), self)
        dialog.accepted.connect(lambda: self._snooze_until(item, dialog.chosen_date()))
        self.snooze_dialog = dialog
        dialog.open()

    def _snooze_until(self, item: AgendaItem, until: date) -> None:
        today = self.clock()
        message = _("Snoozed until {date}: {what}.").format(
            date=format_date(until), what=describe(item)
        )
        self._runner.submit(
            lambda session: snooze(session, item.item_key, item.occurrence, until, today),
            lambda _change: self._acted(LastAction(item, None), message),
            self._failed,
        )

    def _acted(self, last: LastAction, text: str) -> None:
        self.last_action = last
        self.undo_note.setText(text)
        self.undo_button.show()
        self.status_message.emit(text)

    def undo(self) -> None:
        last, today = self.last_action, self.clock()
        if last is None:
            return
        self._runner.submit(lambda session: undo_last(session, last, today),
                            lambda _change: self._undone(last), self._failed)

    def _undone(self, last: LastAction) -> None:
        self.last_action = None
        self.undo_button.hide()
        text = _("Undone: {what}.").format(what=describe(last.item))
        self.undo_note.setText(text)
        self.status_message.emit(text)

    def open_current(self) -> None:
        item = self.current_item()
        if item is not None:
            self.customer_requested.emit(item.customer_id)

    def _failed(self, error: Exception) -> None:
        self.status_message.emit(str(error))

    def _context_menu(self, position: QPoint) -> None:
        if self.model.item(self.tree.indexAt(position)) is None:
            return
        menu = QMenu(self)
        if self.thanks.action.isEnabled():
            menu.addAction(self.thanks.action)
        menu.addActions([self.done_action, self.snooze_action, self.open_action])
        menu.exec(self.tree.viewport().mapToGlobal(position))

    # Window state -----------------------------------------------------------------------------

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("today/header", self.tree.header().saveState())

    def restore_state(self, settings: QSettings) -> None:
        state = settings.value("today/header")
        if isinstance(state, QByteArray):
            self.tree.header().restoreState(state)

