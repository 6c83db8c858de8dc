"""The main window: section navigation, menus, status bar and the layout it remembers.

It opens on Today. Customers (whose list and card the menus act on) is built with the window,
the desk in view when the window shows, every other desk when first shown (section_stack.py).
Start-up is what the owner waits for, so the desk in view is built and loaded first, alone;
once it has painted its data, the rest follows (``start_in_background``): the other desks
built so far load, Today's agenda for the notice on start, the customer card.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from crm_desktop import APP_NAME, __version__
from crm_desktop.i18n import _
from crm_desktop.services.changes import Changes
from crm_desktop.services.errors import ServiceError
from crm_desktop.services.search import CustomerQuery, count_customers
from crm_desktop.ui.coupon_actions import CouponActions
from crm_desktop.ui.customer_list import Runner
from crm_desktop.ui.customer_list_pane import customer_count_text
from crm_desktop.ui.customers_section import CustomersSection
from crm_desktop.ui.desks import SECTIONS, FollowsCustomer, ManagedSection
from crm_desktop.ui.first_paint import after_first_paint
from crm_desktop.ui.section_stack import Sections, SectionStack

if TYPE_CHECKING:
    from crm_desktop.ui.today_section import TodaySection

DEFAULT_SIZE = (1100, 720)
STATUS_TIMEOUT_MS = 8000
BUILT_WITH_WINDOW = ("customers",)  # the menus act on its list and card


class MainWindow(QMainWindow):
    def __init__(
        self,
        runner: Runner,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        remember_layout: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.runner = runner
        self._settings = settings if settings is not None else QSettings()
        self._remember_layout = remember_layout  # off for throw-away windows (self-test)
        self._showing_error = False
        self._started = False  # the desks load their data when the window first shows
        self.fully_started = False  # and what is out of sight, once the desk in view painted
        self._loaded: set[str] = set()  # desks that have read their data once
        path = runner.database.path
        self.setWindowTitle(f"{APP_NAME} — {path.name}" if path is not None else APP_NAME)
        self._build_sections()
        self._build_menus()
        self._build_status_bar()
        self._restore_state()
        for widget in self._stack.built_sections():
            self._connect_section(widget)
        self._stack.built.connect(self._section_built)
        self.start_notice: QObject | None = None  # "3 touchpoints due today", with Today
        runner.changed.connect(self._data_changed)
        runner.failed.connect(self.show_error)

    # -- building ---------------------------------------------------------------------------

    def _build_sections(self) -> None:
        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(_("Sections"))
        self._stack = SectionStack(SECTIONS, self.runner, self)
        self.sections: Mapping[str, QWidget] = Sections(self._stack)
        for section in SECTIONS:
            self.navigation.addItem(_(section.title))
        for key in BUILT_WITH_WINDOW:
            self._stack.section(key)
        self.navigation.currentRowChanged.connect(self._section_chosen)  # before it shows
        self.navigation.currentRowChanged.connect(self._stack.setCurrentIndex)
        self.navigation.setCurrentRow(0)
        widest = max(self.navigation.sizeHintForColumn(0), 0)
        self.navigation.setMinimumWidth(widest + 16)
        self._splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self._splitter.setObjectName("mainSplitter")
        self._splitter.setChildrenCollapsible(False)
        self._splitter.addWidget(self.navigation)
        self._splitter.addWidget(self._stack)
        self._splitter.setStretchFactor(1, 1)
        self._splitter.setSizes([widest + 24, DEFAULT_SIZE[0]])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self._splitter)
        self.setCentralWidget(central)

    @property
    def customers(self) -> CustomersSection:
        section = self.sections["customers"]
        assert isinstance(section, CustomersSection)
        return section

    @property
    def today(self) -> TodaySection:
        from crm_desktop.ui.today_section import TodaySection  # loaded when Today is built

        section = self.sections["today"]
        assert isinstance(section, TodaySection)
        return section

    def _connect_section(self, widget: QWidget) -> None:
        """Sections may offer ``status_message(str)`` and ``customer_requested(int)`` signals."""
        status = getattr(widget, "status_message", None)
        if status is not None:
            status.connect(self.show_message)
        requested = getattr(widget, "customer_requested", None)
        if requested is not None:
            requested.connect(self.open_customer)
        uses_list = getattr(widget, "use_customer_list", None)  # batch letters: "the list now"
        if uses_list is not None:
            uses_list(self.customers.list_pane.current_query)

    def _section_built(self, key: str, widget: QWidget) -> None:
        """A desk built on first use: connected, its remembered layout back, then loaded
        (a desk built before the window shows loads when it shows)."""
        self._connect_section(widget)
        if key == "today":
            from crm_desktop.ui.start_notice import StartNotice

            self.start_notice = StartNotice(self, self.today)  # before its first load
        if isinstance(widget, ManagedSection) and self._remember_layout:
            widget.restore_state(self._settings)
        if self._started:
            self._load(key)

    def _load(self, key: str) -> None:
        """A desk reads its data; each desk does so once by itself, then on changes."""
        self._loaded.add(key)
        widget = self._stack.section(key)
        if isinstance(widget, ManagedSection):
            widget.refresh()

    def _section_chosen(self, row: int) -> None:
        if not self._started:
            return  # the desk in view is built when the window shows
        widget = self._stack.section_at(row)  # built (and loaded) before its page shows
        key = self._stack.section_keys()[row]
        if key not in self._loaded:  # built with the window, chosen before it loaded
            self._load(key)
        if isinstance(widget, FollowsCustomer):
            widget.follow_customer(self.customers.card_customer_id)

    def _action(self, text: str, slot: Callable[[], object], shortcut: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_menus(self) -> None:
        card = self.customers.card_actions
        file_menu = self.menuBar().addMenu(_("&File"))
        self.new_customer_action = self._action(_("&New Customer"), self.new_customer, "Ctrl+N")
        file_menu.addAction(self.new_customer_action)
        file_menu.addAction(card.save)
        file_menu.addSeparator()
        file_menu.addAction(self._action(_("&Settings…"), self.open_settings))
        file_menu.addAction(self._action(_("&Products and Services…"), self.open_products))
        self.export_calendar_action = self._action(
            _("Export &Calendar (iCalendar)…"), self.export_calendar
        )
        file_menu.addAction(self.export_calendar_action)
        self.import_customers_action = self._action(_("&Import Customers…"), self.import_customers)
        self.export_customers_action = self._action(_("E&xport Customers…"), self.export_customers)
        file_menu.addAction(self.import_customers_action)
        file_menu.addAction(self.export_customers_action)
        file_menu.addSeparator()
        self.quit_action = self._action(_("&Quit"), self.close, "Ctrl+Q")
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu(_("&Edit"))
        edit_menu.addAction(card.undo_delete)
        edit_menu.addSeparator()
        edit_menu.addAction(self.customers.list_pane.find_action)
        self.customers.list_pane.find_action.triggered.connect(self._find_customer)
        edit_menu.addAction(card.log_visit)
        edit_menu.addAction(card.issue_coupon)
        edit_menu.addSeparator()
        edit_menu.addAction(card.delete)
        edit_menu.addSeparator()
        self.coupon_actions = CouponActions(self, self.runner, self._settings)  # Ctrl+R: redeem
        edit_menu.addActions(self.coupon_actions.actions())
        self._build_view_menu(self.menuBar().addMenu(_("&View")))
        help_menu = self.menuBar().addMenu(_("&Help"))
        help_menu.addAction(self._action(_("&About {app}").format(app=APP_NAME), self.show_about))

    def _build_view_menu(self, menu: QMenu) -> None:
        group = QActionGroup(self)
        for row, section in enumerate(SECTIONS):
            action = self._action(
                _(section.title), partial(self.navigation.setCurrentRow, row),
                f"Ctrl+{row + 1}" if row < 9 else "",
            )
            action.setCheckable(True)
            action.setChecked(row == self.navigation.currentRow())
            self.navigation.currentRowChanged.connect(
                lambda current, action=action, row=row: action.setChecked(current == row)
            )
            group.addAction(action)
            menu.addAction(action)
        menu.addSeparator()
        self.show_navigation_action = QAction(_("Show &Navigation"), self)
        self.show_navigation_action.setCheckable(True)
        self.show_navigation_action.setChecked(True)
        self.show_navigation_action.toggled.connect(self.navigation.setVisible)
        menu.addAction(self.show_navigation_action)
        menu.addAction(self._action(_("&Refresh"), self.refresh, "F5"))

    def _build_status_bar(self) -> None:
        self.customer_count = QLabel(self)
        self.customer_count.setObjectName("customerCount")
        self.statusBar().addPermanentWidget(self.customer_count)

    # -- actions ----------------------------------------------------------------------------

    def new_customer(self) -> None:
        self.navigation.setCurrentRow(list(self.sections).index("customers"))
        self.customers.new_customer()

    def open_customer(self, customer_id: int) -> None:
        """Switch to the Customers desk and show this customer's card."""
        self.navigation.setCurrentRow(list(self.sections).index("customers"))
        self.customers.open_customer(customer_id)

    def open_settings(self) -> None:
        from crm_desktop.ui.settings_dialog import SettingsDialog  # on first use

        SettingsDialog(self.runner, self).exec()

    def open_products(self) -> None:
        from crm_desktop.ui.products_dialog import ProductsDialog  # on first use

        ProductsDialog(self.runner, self).exec()

    def export_calendar(self) -> None:
        from crm_desktop.ui.calendar_export_action import export_calendar  # on first use

        export_calendar(self, self.runner, self.show_message)

    def import_customers(self) -> None:
        from crm_desktop.ui.portable_actions import import_customers  # on first use

        import_customers(self, self.runner, self.show_message)

    def export_customers(self) -> None:
        from crm_desktop.ui.portable_actions import export_customers  # on first use

        export_customers(self, self.runner, self.show_message)

    def _find_customer(self) -> None:
        """Ctrl+F from another desk: go to the customer list, then into its search box."""
        row = list(self.sections).index("customers")
        if self.navigation.currentRow() != row:
            self.navigation.setCurrentRow(row)
            self.customers.list_pane.focus_search()

    def show_about(self) -> None:
        text = "<h3>{app}</h3><p>{version}</p><p>{line}</p>".format(
            app=APP_NAME,
            version=_("Version {version}").format(version=__version__),
            line=_("Keep the customers you already have: their dates, visits and letters."),
        )
        QMessageBox.about(self, _("About {app}").format(app=APP_NAME), text)

    def show_message(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_TIMEOUT_MS)

    def show_error(self, error: Exception) -> None:
        """An error no view handled: one dialog at a time, the window stays usable."""
        if isinstance(error, ServiceError):
            message = str(error)
        else:
            message = _("The action could not be completed: {reason}").format(reason=error)
        if self._showing_error:
            self.show_message(message)
            return
        self._showing_error = True
        try:
            QMessageBox.warning(self, APP_NAME, message)
        finally:
            self._showing_error = False

    # -- refreshing -------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            self._load_desk_in_view()
            after_first_paint(self, self.runner, self.start_in_background)

    def _load_desk_in_view(self) -> None:
        """Build and load the desk in view; the single worker answers it first."""
        row = self.navigation.currentRow()
        key = self._stack.section_keys()[row]
        current = self._stack.section_at(row)  # loads now when built now
        if key not in self._loaded:
            self._load(key)
        if isinstance(current, FollowsCustomer):
            current.follow_customer(self.customers.card_customer_id)
        self._count_customers()  # the status bar is in view too

    def start_in_background(self) -> None:
        """What is out of sight, once the desk in view has painted: the other desks built so
        far load, Today is built for the notice on start, the customer card is built."""
        for key in self._stack.section_keys():
            if self._stack.is_built(key) and key not in self._loaded:
                self._load(key)
        self._stack.section("today")  # loads as it is built, when it was not yet
        self.customers.build_card()
        self.fully_started = True

    def refresh(self) -> None:
        """Reload the desks built so far. The desk in view goes first: the worker answers in
        order, so what the owner looks at never waits behind a desk out of sight."""
        current = self._stack.currentWidget()
        if isinstance(current, ManagedSection):
            current.refresh()
        self._count_customers()
        for widget in self._stack.built_sections():
            if widget is not current and isinstance(widget, ManagedSection):
                widget.refresh()
        self._loaded.update(key for key in self._stack.section_keys() if self._stack.is_built(key))

    def _count_customers(self) -> None:
        self.runner.submit(
            lambda session: count_customers(session, CustomerQuery()),
            lambda count: self.customer_count.setText(customer_count_text(count)),
        )

    def _data_changed(self, changes: Changes) -> None:
        if changes.customers or "customers" in changes.kinds:
            self._count_customers()

    # -- remembered layout ------------------------------------------------------------------

    def _restore_state(self) -> None:
        settings = self._settings
        geometry = settings.value("window/geometry") if self._remember_layout else None
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            available = self.screen().availableGeometry()
            self.resize(
                min(DEFAULT_SIZE[0], available.width()), min(DEFAULT_SIZE[1], available.height())
            )
        if not self._remember_layout:
            return
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = settings.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self._splitter.restoreState(splitter)
        visible = settings.value("window/navigation", True, type=bool)
        self.show_navigation_action.setChecked(bool(visible))
        for widget in self._stack.built_sections():  # the others when they are built
            if isinstance(widget, ManagedSection):
                widget.restore_state(settings)

    def save_window_state(self) -> None:
        if not self._remember_layout:
            return
        settings = self._settings
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/splitter", self._splitter.saveState())
        settings.setValue("window/navigation", self.show_navigation_action.isChecked())
        for widget in self._stack.built_sections():  # a desk never built keeps what it had
            if isinstance(widget, ManagedSection):
                widget.save_state(settings)
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.customers.may_discard_changes():
            event.ignore()
            return
        self.save_window_state()
        event.accept()
