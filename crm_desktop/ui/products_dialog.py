"""The product and service catalogue: what customers can have as favourites.

A list of every product (inactive ones greyed) above a small form for the chosen one. A
product that customers have as a favourite cannot be deleted; the message says to
deactivate it instead.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, current_language, format_money
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.favourites import (
    ProductInput,
    ProductRow,
    SavedProduct,
    create_product,
    delete_product,
    list_products,
    update_product,
)
from crm_desktop.services.settings import load_settings
from crm_desktop.ui.form_widgets import ErrorLabel, add_labelled_row, place_errors
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

_PRODUCT_ID = Qt.ItemDataRole.UserRole
_PRICE = re.compile(r"^(\d{1,7})(?:[.,](\d{1,2}))?$")


def parse_price(text: str) -> int | None:
    """"3,50", "3.5" or "3" (a currency sign and spaces allowed) in cents; empty is no price.

    Raises ValueError for anything else.
    """
    cleaned = re.sub(r"[\s\u00a0€$£]", "", text)
    if not cleaned:
        return None
    match = _PRICE.match(cleaned)
    if match is None:
        raise ValueError(text)
    return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))


def price_text(cents: int | None) -> str:
    """The price as typed in the form: "3,50" in Finnish, "3.50" in English."""
    if cents is None:
        return ""
    separator = "," if current_language() == "fi" else "."
    return f"{cents // 100}{separator}{cents % 100:02d}"


class ProductsDialog(QDialog):
    def __init__(self, runner: TaskRunner | SyncTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("productsDialog")
        self.setWindowTitle(_("Products and services"))
        self._runner = runner
        self._currency = "EUR"
        self._editing: int | None = None  # the product in the form; None: a new one
        self.products: list[ProductRow] = []
        self.errors: dict[str, ErrorLabel] = {}
        self._build()
        self.resize(640, 520)
        self.reload()

    # Building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.list = QTreeWidget()
        self.list.setObjectName("productList")
        self.list.setAccessibleName(_("Products and services"))
        self.list.setHeaderLabels([_("Name"), _("Category"), _("Price"), _("Sold")])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.list.currentItemChanged.connect(lambda item, _old: self._chosen(item))
        self.general_error = ErrorLabel(self.list)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self._build_form())
        layout.addLayout(self._build_buttons())

    def _build_form(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit()
        self.name.setObjectName("productName")
        _label, self.errors["name"] = add_labelled_row(form, _("&Name"), self.name)
        self.category = QComboBox()
        self.category.setObjectName("productCategory")
        self.category.setEditable(True)
        self.category.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        _label, self.errors["category"] = add_labelled_row(form, _("&Category"), self.category)
        self.price = QLineEdit()
        self.price.setObjectName("productPrice")
        self.price.setPlaceholderText(_("e.g. 4,50 — empty if it varies"))
        _label, self.errors["price_cents"] = add_labelled_row(form, _("&Price"), self.price)
        self.active = QCheckBox(_("Still &sold"))
        self.active.setAccessibleName(_("Still sold"))
        self.active.setToolTip(_("Untick for a product no longer sold; favourites keep it."))
        form.addRow("", self.active)
        return box

    def _build_buttons(self) -> QHBoxLayout:
        self.new_button = QPushButton(_("&New product"))
        self.new_button.clicked.connect(self.new_product)
        self.save_button = QPushButton(_("Sa&ve product"))
        self.save_button.setObjectName("saveProduct")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton(_("&Delete…"))
        self.delete_button.setObjectName("deleteProduct")
        self.delete_button.clicked.connect(self.delete)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.delete_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        return row

    # Loading ----------------------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        def load(session: Any) -> tuple[list[ProductRow], str]:
            return list_products(session, include_inactive=True), load_settings(session).currency

        self._runner.submit(load, lambda found: self._show(found[0], found[1], select),
                            self._failed)

    def _show(self, products: list[ProductRow], currency: str, select: int | None) -> None:
        self.products, self._currency = products, currency
        self.list.blockSignals(True)
        self.list.clear()
        for product in products:
            self.list.addTopLevelItem(self._item(product))
        self.list.blockSignals(False)
        for column in (1, 2, 3):
            self.list.resizeColumnToContents(column)
        self._fill_categories(products)
        wanted = select if select is not None else self._editing
        rows = [p.id for p in products]
        if not products:
            self.new_product()
            return
        item = self.list.topLevelItem(rows.index(wanted) if wanted in rows else 0)
        if item is not None:
            self.list.setCurrentItem(item)
            self._chosen(item)  # also when it was current before the list was rebuilt

    def _item(self, product: ProductRow) -> QTreeWidgetItem:
        price = "" if product.price_cents is None else format_money(
            product.price_cents, self._currency)
        item = QTreeWidgetItem([product.name, product.category, price,
                                _("yes") if product.active else _("no")])
        item.setData(0, _PRODUCT_ID, product.id)
        item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if not product.active:
            grey = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            for column in range(4):
                item.setForeground(column, grey)
        return item

    def _fill_categories(self, products: list[ProductRow]) -> None:
        text = self.category.currentText()
        self.category.clear()
        self.category.addItems(sorted({p.category for p in products if p.category}))
        self.category.setEditText(text)

    def _chosen(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            return
        product_id = int(item.data(0, _PRODUCT_ID))
        product = next((p for p in self.products if p.id == product_id), None)
        if product is not None:
            self._fill(product)

    def _fill(self, product: ProductRow | None) -> None:
        self._editing = product.id if product is not None else None
        self.name.setText(product.name if product else "")
        self.category.setEditText(product.category if product else "")
        self.price.setText(price_text(product.price_cents) if product else "")
        self.active.setChecked(product.active if product else True)
        self.delete_button.setEnabled(product is not None)
        self._clear_errors()

    # Writing ----------------------------------------------------------------------------------

    def new_product(self) -> None:
        self.list.blockSignals(True)
        self.list.setCurrentIndex(QModelIndex())
        self.list.clearSelection()
        self.list.blockSignals(False)
        self._fill(None)
        self.name.setFocus()

    def collect(self) -> ProductInput:
        """The form as a ProductInput; a price that cannot be read raises ValidationError."""
        try:
            price = parse_price(self.price.text())
        except ValueError:
            raise ValidationError(
                {"price_cents": _("Write the price as a number, such as 4,50.")}
            ) from None
        return ProductInput(self.name.text(), self.category.currentText(), price,
                            self.active.isChecked())

    def save(self) -> None:
        self._clear_errors()
        try:
            data = self.collect()
        except ValidationError as error:
            self._show_errors(error)
            return
        product_id = self._editing

        def write(session: Any) -> SavedProduct:
            if product_id is None:
                return create_product(session, data)
            return update_product(session, product_id, data)

        self._runner.submit(write, lambda saved: self.reload(saved.product.id), self._failed)

    def delete(self) -> None:
        product_id, name = self._editing, self.name.text()
        if product_id is None or not self._confirm_delete(name):
            return
        self._editing = None
        self._runner.submit(lambda session: delete_product(session, product_id),
                            lambda _changes: self.reload(), self._delete_failed(product_id))

    def _confirm_delete(self, name: str) -> bool:
        answer = QMessageBox.question(
            self, _("Delete product"), _("Delete {name} from the catalogue?").format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _delete_failed(self, product_id: int) -> Any:
        def failed(error: Exception) -> None:
            self._editing = product_id
            self._failed(error)
        return failed

    def _failed(self, error: Exception) -> None:
        if isinstance(error, ValidationError):
            self._show_errors(error)
        else:
            self.general_error.show_message(str(error))

    def _show_errors(self, error: ValidationError) -> None:
        place_errors(error.fields, self.errors, self.general_error)

    def _clear_errors(self) -> None:
        self.general_error.clear_message()
        for label in self.errors.values():
            label.clear_message()

    def keyPressEvent(self, event: Any) -> None:
        # Enter in a field saves the product instead of closing the dialog.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save()
            return
        super().keyPressEvent(event)
