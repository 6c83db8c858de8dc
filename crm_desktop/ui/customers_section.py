"""The customer desk: the searchable list beside the card of the chosen customer.

The card and its modules are built when first needed or when the window has painted the
first rows (``build_card``): the list is what the owner waits for at start. Until then the
card's place holds the same hint the empty card shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QSplitter, QVBoxLayout, QWidget

from crm_desktop.i18n import _
from crm_desktop.services.changes import Changes
from crm_desktop.ui.card_actions import NO_CUSTOMER_CHOSEN, CardActions
from crm_desktop.ui.customer_list import Runner
from crm_desktop.ui.customer_list_pane import CustomerListPane

if TYPE_CHECKING:
    from crm_desktop.ui.customer_card import CustomerCard


class CustomersSection(QWidget):
    """List pane | customer card, in a splitter the window remembers."""

    status_message = Signal(str)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customersSection")
        self._shown_id: int | None = None
        self._runner = runner
        self.list_pane = CustomerListPane(runner)
        self.card_actions = CardActions(self)
        self._card: CustomerCard | None = None
        self._card_placeholder = QLabel(_(NO_CUSTOMER_CHOSEN))
        self._card_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._card_placeholder.setWordWrap(True)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("customersSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.list_pane)
        self.splitter.addWidget(self._card_placeholder)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([460, 540])  # the card a little wider: its form needs the room
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.list_pane.customer_selected.connect(self.open_customer)
        self.list_pane.customer_activated.connect(self._activate_customer)
        self.list_pane.new_customer_requested.connect(self.new_customer)
        runner.changed.connect(self._data_changed)

    # -- the card ---------------------------------------------------------------------------

    @property
    def card(self) -> CustomerCard:
        """The customer card, built now if it was not yet."""
        if self._card is None:
            self._card = self._build_card()
        return self._card

    def build_card(self) -> None:
        self.card  # noqa: B018 - built on first access

    @property
    def card_customer_id(self) -> int | None:
        """The customer on the card; None before the card is built."""
        return None if self._card is None else self._card.customer_id

    def _build_card(self) -> CustomerCard:
        from crm_desktop.ui.customer_card import CustomerCard  # not before the first rows

        card = CustomerCard(self._runner, actions=self.card_actions)
        card.opened.connect(self.open_customer)
        card.saved.connect(self._customer_saved)
        card.deleted.connect(self._customer_deleted)
        card.status.connect(self.status_message)  # "Saved Maija Mäkinen." and the like
        sizes = self.splitter.sizes()
        self.splitter.replaceWidget(1, card)
        self.splitter.setSizes(sizes)
        self._card_placeholder.deleteLater()
        return card

    # -- opening customers ------------------------------------------------------------------

    def open_customer(self, customer_id: int) -> None:
        """Show a customer on the card, unless the user keeps unsaved edits of another one."""
        if customer_id == self._shown_id:
            self.list_pane.select_customer(customer_id)
            return
        if not self.may_discard_changes():
            self.list_pane.select_customer(self._shown_id)
            return
        self._shown_id = customer_id
        self.list_pane.select_customer(customer_id)
        self.card.show_customer(customer_id)

    def _activate_customer(self, customer_id: int) -> None:
        self.open_customer(customer_id)
        if self._shown_id == customer_id:
            self.card.setFocus(Qt.FocusReason.OtherFocusReason)
            self.card.focusNextChild()

    def new_customer(self) -> None:
        if not self.may_discard_changes():
            return
        self._shown_id = None
        self.list_pane.select_customer(None)
        self.card.new_customer()

    def may_discard_changes(self) -> bool:
        """True when nothing is unsaved, or the user agrees to drop the unsaved edits."""
        if self._card is None or not self._card.has_unsaved_changes():
            return True
        answer = QMessageBox.question(
            self,
            _("Unsaved changes"),
            _("The changes to this customer are not saved. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    # -- after changes ----------------------------------------------------------------------

    def refresh(self) -> None:
        self.list_pane.refresh()

    def _data_changed(self, changes: Changes) -> None:
        if "settings" in changes.kinds:
            self.list_pane.refresh()  # the phone region may have changed every row
        elif changes.customers or "customers" in changes.kinds:
            self.list_pane.refresh(changes.customers)

    def _customer_saved(self, customer_id: int) -> None:
        # A new (or restored) customer becomes the selected row once the list has it.
        self._shown_id = customer_id
        self.list_pane.select_customer(customer_id)

    def _customer_deleted(self, customer_id: int) -> None:
        if customer_id == self._shown_id:
            self._shown_id = None
            self.list_pane.select_customer(None)

    # -- window state -----------------------------------------------------------------------

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("customers/splitter", self.splitter.saveState())
        self.list_pane.save_state(settings)

    def restore_state(self, settings: QSettings) -> None:
        state = settings.value("customers/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        self.list_pane.restore_state(settings)
