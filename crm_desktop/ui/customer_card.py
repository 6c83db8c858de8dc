"""The customer card: view and edit one customer, with their history underneath.

Every database call goes through the task runner. Answers to requests made for a customer
that is no longer on the card are dropped, so a slow answer never overwrites a newer one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, format_date
from crm_desktop.services import customers, duplicates
from crm_desktop.services.changes import Changes
from crm_desktop.services.customer_data import (
    CustomerDetail,
    CustomerInput,
    DeletedCustomer,
    DuplicateMatch,
    SavedCustomer,
)
from crm_desktop.services.errors import NotFound, ValidationError
from crm_desktop.services.settings import BusinessSettings, load_settings
from crm_desktop.services.validation import clean_customer
from crm_desktop.ui.card_actions import NO_CUSTOMER_CHOSEN, CardActions
from crm_desktop.ui.card_dialogs import ask_about_duplicates, confirm_delete, show_error
from crm_desktop.ui.card_form import CustomerForm
from crm_desktop.ui.card_letter_actions import CardLetterActions
from crm_desktop.ui.dates_panel import DatesPanel
from crm_desktop.ui.referral_panel import ReferralPanel
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner
from crm_desktop.ui.timeline_view import TimelineView, local_time


def check_new_customer(session: Any, data: CustomerInput, region: str) -> list[DuplicateMatch]:
    """Runs on the worker before a first save: bad fields first, then likely duplicates."""
    clean_customer(data, region)
    return duplicates.find_likely_duplicates(session, data, region)


class CustomerCard(QWidget):
    saved = Signal(int)
    deleted = Signal(int)
    opened = Signal(int)  # please open this other customer (a likely duplicate, a restore)
    status = Signal(str)

    def __init__(
        self,
        runner: TaskRunner | SyncTaskRunner,
        parent: QWidget | None = None,
        actions: CardActions | None = None,
    ) -> None:
        """``actions``: the card's commands when the window made them before the card."""
        super().__init__(parent)
        self.setObjectName("customerCard")
        self._runner = runner
        self._region = "FI"
        self._customer_id: int | None = None
        self._detail: CustomerDetail | None = None
        self._baseline: CustomerInput | None = None  # the form as loaded; edits differ from it
        self._last_deleted: DeletedCustomer | None = None
        self._request = 0
        self._take_actions(actions if actions is not None else CardActions(self))
        self._build()
        runner.changed.connect(self._on_changed)
        self._load_settings()
        self.clear()

    # Building ---------------------------------------------------------------------------------

    def _take_actions(self, actions: CardActions) -> None:
        self.save_action = actions.save
        self.delete_action = actions.delete
        self.undo_delete_action = actions.undo_delete
        self.log_visit_action = actions.log_visit
        self.issue_coupon_action = actions.issue_coupon
        actions.bind(self.save_action, self.save)
        actions.bind(self.delete_action, self.delete)
        actions.bind(self.undo_delete_action, self.undo_delete)
        actions.bind(self.log_visit_action, self.log_visit)
        actions.bind(self.issue_coupon_action, self.issue_coupon)

    def _build(self) -> None:
        self._pages = QStackedWidget()
        self._placeholder = QLabel(_(NO_CUSTOMER_CHOSEN))
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setWordWrap(True)
        self._pages.addWidget(self._placeholder)
        self._pages.addWidget(self._build_content())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)

    def _build_content(self) -> QWidget:
        self.form = CustomerForm(lambda: self._region)
        self._scroll = QScrollArea()
        self._scroll.setObjectName("cardScroll")
        self.dates_panel = DatesPanel(self._runner)  # what to remember, above the fields
        self.dates_panel.status.connect(self.status)
        self._scroll.setWidget(self.dates_panel.above(self.form, self.form.form.contentsMargins()))
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.timeline = TimelineView(self._runner)
        self.timeline.status.connect(self.status)
        self.timeline.written.connect(self._refresh)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._scroll)
        splitter.addWidget(self.timeline)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addLayout(self._build_header())
        self.referral_panel = ReferralPanel(self._runner)  # "Referred by" under the name
        self.referral_panel.open_customer.connect(self.opened)
        self.referral_panel.status.connect(self.status)
        layout.addWidget(self.referral_panel)
        layout.addWidget(splitter, 1)
        return content

    def _build_header(self) -> QVBoxLayout:
        """The name and what is known at a glance, then the card's buttons on a row of their
        own, so that a long name or a narrow card never squeezes either."""
        self.title = QLabel()
        self.title.setObjectName("cardTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("cardSubtitle")
        for label in (self.title, self.subtitle):  # long names wrap instead of widening the card
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for action in (self.log_visit_action, self.save_action, self.delete_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        self.letter_actions = CardLetterActions(self, self._runner)  # complaint, letter
        buttons.insertWidget(buttons.count() - 2, self.letter_actions.button)  # before Save
        self.letter_actions.button.menu().addAction(self.issue_coupon_action)
        header = QVBoxLayout()
        header.setSpacing(2)
        header.addWidget(self.title)
        header.addWidget(self.subtitle)
        header.addLayout(buttons)
        return header

    # The agreed interface ---------------------------------------------------------------------

    def show_customer(self, customer_id: int) -> None:
        request = self._next_request()
        self._runner.submit(
            lambda session: customers.get_customer(session, customer_id),
            lambda detail: self._if_current(request, self._display, detail),
            lambda error: self._if_current(request, self._load_failed, error),
        )

    def new_customer(self) -> None:
        self._next_request()
        self._customer_id = None
        self._detail = None
        self.form.fill(CustomerInput(customer_since=date.today()))
        self._baseline = self.form.collect()
        self.timeline.set_customer(None)
        self.referral_panel.set_customer(None)
        self.dates_panel.set_customer(None)
        self.timeline.hide()  # nothing to show until the first save; the form gets the room
        self.title.setText(_("New customer"))
        self.subtitle.setText(_("Not saved yet"))
        self._set_editing(True)
        self.form.lines["first_name"].setFocus()
        self._scroll.ensureVisible(0, 0)

    def has_unsaved_changes(self) -> bool:
        return self._baseline is not None and self.form.collect() != self._baseline

    def clear(self) -> None:
        self._next_request()
        self._customer_id = None
        self._detail = None
        self._baseline = None
        self.timeline.set_customer(None)
        self.referral_panel.set_customer(None)
        self.dates_panel.set_customer(None)
        self._set_editing(False)

    @property
    def customer_id(self) -> int | None:
        return self._customer_id

    # Showing ----------------------------------------------------------------------------------

    def _next_request(self) -> int:
        self._request += 1
        return self._request

    def _if_current(self, request: int, handler: Callable[[Any], None], value: Any) -> None:
        if request == self._request:
            handler(value)

    def _display(self, detail: CustomerDetail) -> None:
        self._customer_id = detail.id
        self._detail = detail
        self.form.fill(detail.data)
        self._baseline = self.form.collect()
        if self.timeline.customer_id != detail.id:
            self.timeline.set_customer(detail.id)
        self.timeline.show()
        self.referral_panel.set_customer(detail.id, detail.display_name)
        if self.dates_panel.customer_id != detail.id:
            self.dates_panel.set_customer(detail.id)
        self._show_header(detail)
        self._set_editing(True)

    def _show_header(self, detail: CustomerDetail) -> None:
        self.title.setText(detail.display_name or _("(no name)"))
        parts = []
        if detail.data.customer_since:
            parts.append(_("Customer since {date}").format(
                date=format_date(detail.data.customer_since)))
        if detail.last_visit_at:
            parts.append(_("Last visit {date}").format(
                date=format_date(local_time(detail.last_visit_at).date())))
        else:
            parts.append(_("No visits yet"))
        self.subtitle.setText(" · ".join(parts))

    def _set_editing(self, editing: bool) -> None:
        self._pages.setCurrentIndex(1 if editing else 0)
        self.save_action.setEnabled(editing)
        saved = editing and self._customer_id is not None
        self.delete_action.setEnabled(saved)
        self.log_visit_action.setEnabled(saved)
        self.issue_coupon_action.setEnabled(saved)

    def _load_failed(self, error: Exception) -> None:
        self.clear()
        if isinstance(error, NotFound):
            self.status.emit(str(error))
        else:
            show_error(self, error)

    def _on_changed(self, changes: Changes) -> None:
        if "settings" in changes.kinds:
            self._load_settings()
        if self._customer_id is not None and self._customer_id in changes.customers:
            self._refresh()

    def _refresh(self) -> None:
        """Re-read the shown customer after a change; the owner's own edits are never replaced."""
        customer_id, request = self._customer_id, self._request
        if customer_id is None:
            return
        self._runner.submit(
            lambda session: customers.get_customer(session, customer_id),
            lambda detail: self._if_current(request, self._refreshed, detail),
            lambda error: self._if_current(request, self._load_failed, error),
        )

    def _refreshed(self, detail: CustomerDetail) -> None:
        if self._detail is not None and detail.data == self._detail.data:
            self._detail = detail
            self._show_header(detail)
        elif not self.has_unsaved_changes():
            self._display(detail)
        else:
            self._show_header(detail)

    def _load_settings(self) -> None:
        self._runner.submit(load_settings, self._settings_loaded, lambda _error: None)

    def _settings_loaded(self, settings: BusinessSettings) -> None:
        self._region = settings.phone_region

    # Saving -----------------------------------------------------------------------------------

    def save(self) -> None:
        if self._baseline is None:
            return
        data, region, request = self.form.collect(), self._region, self._request
        self.form.clear_errors()
        if self._customer_id is None:
            self._runner.submit(
                lambda session: check_new_customer(session, data, region),
                lambda matches: self._if_current(
                    request, lambda found: self._after_duplicate_check(data, found), matches),
                lambda error: self._if_current(request, self._save_failed, error),
            )
        else:
            self._write(data)

    def _after_duplicate_check(self, data: CustomerInput, matches: list[DuplicateMatch]) -> None:
        choice = ask_about_duplicates(self, matches) if matches else "save"
        if choice == "open":
            self._baseline = self.form.collect()  # the owner chose the existing card instead
            self.opened.emit(matches[0].customer_id)
        elif choice == "save":
            self._write(data)

    def _write(self, data: CustomerInput) -> None:
        customer_id, region, request = self._customer_id, self._region, self._request

        def write(session: Any) -> SavedCustomer:
            if customer_id is None:
                return customers.create_customer(session, data, region)
            return customers.update_customer(session, customer_id, data, region)

        self._runner.submit(
            write,
            lambda saved: self._saved(request, saved),
            lambda error: self._if_current(request, self._save_failed, error),
        )

    def _saved(self, request: int, saved: SavedCustomer) -> None:
        if request == self._request:
            self._display(saved.customer)
        self.saved.emit(saved.customer.id)
        self.status.emit(_("Saved {name}.").format(name=saved.customer.display_name))

    def _save_failed(self, error: Exception) -> None:
        if not isinstance(error, ValidationError):
            show_error(self, error)
            return
        first = self.form.show_errors(error.fields)
        if first is not None:
            self._scroll.ensureWidgetVisible(first)
            first.setFocus()
        self.status.emit(_("Not saved: please check the marked fields."))

    # Deleting, undoing, visits ----------------------------------------------------------------

    def delete(self) -> None:
        customer_id, detail = self._customer_id, self._detail
        if customer_id is None or detail is None or not confirm_delete(self, detail.display_name):
            return
        self._runner.submit(
            lambda session: customers.delete_customer(session, customer_id),
            self._deleted,
            lambda error: show_error(self, error),
        )

    def _deleted(self, deleted: DeletedCustomer) -> None:
        self._last_deleted = deleted
        self.undo_delete_action.setEnabled(True)
        if self._customer_id == deleted.customer_id:
            self.clear()
        self.deleted.emit(deleted.customer_id)
        self.status.emit(_("Deleted {name}. Press Ctrl+Z to undo.").format(name=deleted.name))

    def undo_delete(self) -> None:
        deleted = self._last_deleted
        if deleted is None:
            return
        self._runner.submit(
            lambda session: customers.undo_delete(session, deleted),
            self._restored,
            lambda error: show_error(self, error),
        )

    def _restored(self, saved: SavedCustomer) -> None:
        self._last_deleted = None
        self.undo_delete_action.setEnabled(False)
        if not self.has_unsaved_changes():
            self._next_request()
            self._display(saved.customer)
        self.saved.emit(saved.customer.id)
        self.status.emit(_("Restored {name}.").format(name=saved.customer.display_name))

    def log_visit(self) -> None:
        if self._customer_id is not None:
            self.timeline.log_visit()

    def issue_coupon(self) -> None:
        """The Issue Coupon dialog with this customer filled in."""
        if self._customer_id is not None and self._detail is not None:
            from crm_desktop.ui.issue_coupon_dialog import IssueCouponDialog  # on first use

            self.coupon_dialog = IssueCouponDialog(
                self._runner, self._customer_id, self._detail.display_name, self)
            self.coupon_dialog.open()
