"""The left side of the Referrals section: one customer's referral family as a tree.

The customer comes from the search line at the top or from the customer selected on the
Customers desk. Double-click (or Enter) on a person opens their card; "Picture…" draws the
tree as a PDF on the worker and shows it in the preview.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, ngettext
from crm_desktop.services.changes import Changes
from crm_desktop.services.referrals import referral_tree_pdf
from crm_desktop.ui.card_dialogs import show_error
from crm_desktop.ui.customer_picker import CustomerPicker
from crm_desktop.ui.pdf_preview import PdfPreviewDialog
from crm_desktop.ui.referral_tree_model import (
    DIRECT,
    NAME,
    REWARD,
    TOTAL,
    Family,
    ReferralTreeModel,
    load_family,
)
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

EXPAND_ALL_LIMIT = 5_000  # larger families open only along the chosen customer's line


def family_heading(family: Family | None) -> str:
    if family is None:
        return ""
    focus = family.chain[-1].name
    people = family.tree.size
    return ngettext(
        "{name}: a referral family of {count} person",
        "{name}: a referral family of {count} people",
        people,
    ).format(name=focus, count=people)


class ReferralTreePane(QWidget):
    customer_requested = Signal(int)  # open this customer's card
    status = Signal(str)

    def __init__(self, runner: TaskRunner | SyncTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referralTreePane")
        self._runner = runner
        self._request = 0
        self.preview: PdfPreviewDialog | None = None
        self.model = ReferralTreeModel(self)
        self.picker = CustomerPicker(runner, _("Customer whose referrals to show"))
        self.picker.picked.connect(lambda customer_id, _name: self.show_customer(customer_id))
        self.heading = QLabel()
        self.heading.setObjectName("referralHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.whole_family = QCheckBox(_("Whole family"))
        self.whole_family.setToolTip(
            _("Show everyone brought by the first referrer, not only this customer's line")
        )
        self.whole_family.toggled.connect(self._whole_family_toggled)
        self.tree = self._build_tree()
        self._pages = QStackedWidget()
        self._pages.addWidget(self._build_empty_page())
        self._pages.addWidget(self.tree)
        self._build_layout()
        runner.changed.connect(self._on_changed)
        self._update_buttons()

    # Building ---------------------------------------------------------------------------------

    def _build_tree(self) -> QTreeView:
        tree = QTreeView()
        tree.setObjectName("referralTree")
        tree.setAccessibleName(_("Referral tree"))
        tree.setModel(self.model)
        tree.setUniformRowHeights(True)
        tree.setIndentation(max(tree.fontMetrics().height(), 12))  # deep lines keep their names
        tree.setAlternatingRowColors(True)
        tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        tree.setExpandsOnDoubleClick(False)  # double-click opens the card instead
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (DIRECT, TOTAL, REWARD):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        tree.activated.connect(self._activated)
        tree.selectionModel().currentChanged.connect(lambda *_args: self._update_buttons())
        return tree

    def _build_empty_page(self) -> QLabel:
        self.empty = QLabel(
            _("Choose a customer above, or select one on the Customers desk, to see who "
              "referred them and everyone they brought.")
        )
        self.empty.setObjectName("referralTreeEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return self.empty

    def _build_layout(self) -> None:
        label = QLabel(_("Customer:"))
        label.setBuddy(self.picker.line)
        label.setMinimumHeight(self.picker.line.sizeHint().height())  # level with the line
        search = QHBoxLayout()
        search.addWidget(label, 0, Qt.AlignmentFlag.AlignTop)
        search.addWidget(self.picker, 1)
        self.open_button = QPushButton(_("Open card"))
        self.open_button.setObjectName("openReferralCard")
        self.open_button.clicked.connect(self.open_current)
        self.picture_button = QPushButton(_("Picture…"))
        self.picture_button.setObjectName("referralPicture")
        self.picture_button.setToolTip(_("The tree drawn as a diagram, to view, save or print"))
        self.picture_button.clicked.connect(self.show_picture)
        buttons = QHBoxLayout()
        buttons.addWidget(self.whole_family)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.picture_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(search)
        layout.addWidget(self.heading)
        layout.addWidget(self._pages, 1)
        layout.addLayout(buttons)

    # Showing ----------------------------------------------------------------------------------

    @property
    def customer_id(self) -> int | None:
        family = self.model.family
        return family.focus_id if family is not None else None

    def show_customer(self, customer_id: int | None) -> None:
        self._request += 1
        request = self._request
        if customer_id is None:
            self._shown(request, None)
            return
        self._runner.submit(
            lambda session: load_family(session, customer_id),
            lambda family: self._shown(request, family),
            lambda error: self._failed(request, error),
        )

    def reload(self) -> None:
        if self.customer_id is not None:
            self.show_customer(self.customer_id)

    def _shown(self, request: int, family: Family | None) -> None:
        if request != self._request:
            return
        self.model.set_family(family)
        self.heading.setText(family_heading(family))
        self.heading.setVisible(family is not None)
        self._pages.setCurrentIndex(0 if family is None else 1)
        self._expand()
        self._update_buttons()

    def _failed(self, request: int, error: Exception) -> None:
        if request == self._request:
            self._shown(request, None)
            self.status.emit(str(error))

    def _expand(self) -> None:
        family = self.model.family
        if family is None:
            return
        if family.tree.size <= EXPAND_ALL_LIMIT:
            self.tree.expandAll()
        focus = self.model.focus_index()
        if focus.isValid():
            self.tree.expand(focus)
            self.tree.setCurrentIndex(focus)
            self.tree.scrollTo(focus, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _whole_family_toggled(self, whole: bool) -> None:
        self.model.set_whole_family(whole)
        self._expand()

    def _on_changed(self, changes: Changes) -> None:
        if self.customer_id is None:
            return
        if "referrals" in changes.kinds or changes.customers & self.model.members:
            self.reload()

    def _update_buttons(self) -> None:
        shown = self.model.family is not None
        self.whole_family.setEnabled(shown)
        self.picture_button.setEnabled(shown)
        self.open_button.setEnabled(self.tree.currentIndex().isValid())

    # Acting -----------------------------------------------------------------------------------

    def _activated(self, index: Any) -> None:
        customer_id = self.model.customer_id(index)
        if customer_id is not None:
            self.customer_requested.emit(customer_id)

    def open_current(self) -> None:
        self._activated(self.tree.currentIndex())

    def show_picture(self) -> None:
        """Draw the tree on the worker (a big family takes a while), then preview it."""
        family = self.model.family
        if family is None:
            return
        focus_id, whole = family.focus_id, self.model.whole_family
        name = family.chain[0].name if whole else family.chain[-1].name
        self.picture_button.setEnabled(False)
        self.status.emit(_("Drawing the referral tree…"))
        self._runner.submit(
            lambda session: referral_tree_pdf(session, focus_id, whole_family=whole),
            lambda pdf: self._picture_ready(pdf, name),
            self._picture_failed,
        )

    def _picture_ready(self, pdf: bytes, name: str) -> None:
        self._update_buttons()
        title = _("Referral tree: {name}").format(name=name)
        file_name = _("referral tree {name}.pdf").format(name=name).replace("/", "-")
        self.preview = PdfPreviewDialog(pdf, title, file_name, self)
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.destroyed.connect(self._preview_closed)
        self.preview.show()
        self.status.emit("")

    def _preview_closed(self) -> None:
        self.preview = None

    def _picture_failed(self, error: Exception) -> None:
        self._update_buttons()
        show_error(self, error)
