"""The fields of the Resolve dialog: the remedy, what it costs, the coupon, the follow-up.

The form knows the compensation limit and the products' prices, so a remedy above the limit
is marked next to its field while it is typed; the service checks the same rule again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from crm_desktop.i18n import N_, _, format_money
from crm_desktop.services.complaint_data import CouponSpec
from crm_desktop.services.favourites import ProductRow
from crm_desktop.ui.complaint_dialogs import date_edit
from crm_desktop.ui.form_widgets import ErrorLabel, OptionalDateEdit, add_labelled_row, from_qdate
from crm_desktop.ui.products_dialog import parse_price

FOLLOW_UP_DAYS = 7
COUPON_VALID_DAYS = 90
DEFAULT_PERCENT = 10

# What the owner chooses; a discount and a free item are both the "coupon" remedy.
CHOICES: dict[str, str] = {
    "apology": N_("Apology only"),
    "replacement": N_("Replacement"),
    "refund": N_("Refund"),
    "discount": N_("Discount coupon"),
    "free_item": N_("Free-item coupon"),
}
DISCOUNTS: dict[str, str] = {"percent": N_("Percentage off"), "amount": N_("Amount off")}


class FormProblem(Exception):
    """Fields that cannot be read; ``fields`` maps a field key to one sentence."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(" ".join(fields.values()))
        self.fields = fields


@dataclass(frozen=True)
class Resolution:
    choice: str  # a key of CHOICES
    remedy: str  # the service's remedy
    compensation_cents: int
    coupon: CouponSpec | None
    follow_up_on: date | None
    staff: str


class ResolveForm(QWidget):
    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.limit_cents = 0
        self.currency = "EUR"
        self._prices: dict[int, int | None] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self._build_remedy()
        self._build_coupon()
        self._build_follow_up()
        self._show_rows()

    # Building ---------------------------------------------------------------------------------

    def _row(self, key: str, text: str, field: QWidget, focus: QWidget | None = None) -> None:
        self.labels[key], self.errors[key] = add_labelled_row(self.form, text, field, focus)

    def _build_remedy(self) -> None:
        self.remedy = QComboBox()
        self.remedy.setObjectName("remedy")
        for key, label in CHOICES.items():
            self.remedy.addItem(_(label), key)
        self.remedy.currentIndexChanged.connect(self._remedy_changed)
        self._row("remedy", _("&Remedy"), self.remedy)
        self.compensation = QLineEdit()
        self.compensation.setObjectName("compensation")
        self.compensation.setPlaceholderText(_("e.g. 4,50"))
        self.compensation.textChanged.connect(self.changed)
        self._row("compensation_cents", _("&Amount"), self.compensation)
        self.limit_note = QLabel()
        self.limit_note.setObjectName("limitNote")
        self.form.addRow("", self.limit_note)

    def _build_coupon(self) -> None:
        self.discount = QComboBox()
        for key, label in DISCOUNTS.items():
            self.discount.addItem(_(label), key)
        self.discount.currentIndexChanged.connect(self._remedy_changed)
        self._row("kind", _("&Discount"), self.discount)
        self.percent = QSpinBox()
        self.percent.setRange(1, 100)
        self.percent.setValue(DEFAULT_PERCENT)
        self.percent.setSuffix(" %")
        self.percent.valueChanged.connect(self.changed)
        self._row("percent", _("P&ercentage off"), self.percent)
        self.amount = QLineEdit()
        self.amount.setObjectName("couponAmount")
        self.amount.setPlaceholderText(_("e.g. 5,00"))
        self.amount.textChanged.connect(self.changed)
        self._row("amount", _("Amount o&ff"), self.amount)
        self.product = QComboBox()
        self.product.setObjectName("couponProduct")
        self.product.addItem(_("(any item)"), None)
        self.product.currentIndexChanged.connect(self.changed)
        self._row("product_id", _("&Free item"), self.product)
        self.worth = QLineEdit()
        self.worth.setObjectName("couponWorth")
        self.worth.setPlaceholderText(_("empty: the product's price"))
        self.worth.textChanged.connect(self.changed)
        self._row("worth", _("&Worth"), self.worth)
        self.expires = date_edit(self.today + timedelta(days=COUPON_VALID_DAYS))
        self.expires.setMinimumDate(QDate(self.today.year, self.today.month, self.today.day))
        self.expires.dateChanged.connect(self.changed)
        self._row("expires_on", _("&Valid until"), self.expires)
        self.terms = QLineEdit()
        self.terms.textChanged.connect(self.changed)
        self._row("terms", _("&Terms"), self.terms)

    def _build_follow_up(self) -> None:
        self.follow_up = OptionalDateEdit(_("Follow up on"))
        self.follow_up.set_value(self.today + timedelta(days=FOLLOW_UP_DAYS))
        self.follow_up.changed.connect(self.changed)
        self._row("follow_up_on", _("Follow &up on"), self.follow_up, self.follow_up.check_box)
        self.staff = QLineEdit()
        self.staff.textChanged.connect(self.changed)
        self._row("staff", _("&Signed by"), self.staff)

    def set_catalogue(self, products: list[ProductRow], limit_cents: int, currency: str) -> None:
        self.limit_cents, self.currency = limit_cents, currency
        for product in products:
            self.product.addItem(product.name, product.id)
            self._prices[product.id] = product.price_cents
        self.limit_note.setText(_("Compensation limit: {limit}").format(
            limit=format_money(limit_cents, currency)))
        self.changed.emit()

    # Showing the rows a remedy needs ----------------------------------------------------------

    @property
    def choice(self) -> str:
        return str(self.remedy.currentData())

    def _remedy_changed(self) -> None:
        self._show_rows()
        self.clear_errors()
        self.changed.emit()

    def _show_rows(self) -> None:
        choice, discount = self.choice, self.discount.currentData()
        visible = {
            "compensation_cents": choice in ("replacement", "refund"),
            "kind": choice == "discount",
            "percent": choice == "discount" and discount == "percent",
            "amount": choice == "discount" and discount == "amount",
            "product_id": choice == "free_item",
            "worth": choice == "free_item",
            "expires_on": choice in ("discount", "free_item"),
            "terms": choice in ("discount", "free_item"),
        }
        for key, shown in visible.items():
            self.form.setRowVisible(self.labels[key], shown)
            if not shown:
                self.errors[key].clear_message()
        self.form.setRowVisible(self.limit_note, choice != "apology")
        self.labels["compensation_cents"].setText(
            _("Refunded &amount") if choice == "refund" else _("&Cost of the replacement"))

    # Reading the form -------------------------------------------------------------------------

    def collect(self) -> Resolution:
        """The resolution as typed; FormProblem names every field that cannot be read."""
        choice, problems = self.choice, dict[str, str]()
        compensation = 0
        if choice in ("replacement", "refund"):
            compensation = _money(self.compensation.text(), "compensation_cents", problems,
                                  required=choice == "refund")
        coupon = self._coupon(choice, problems)
        if problems:
            raise FormProblem(problems)
        remedy = "coupon" if choice in ("discount", "free_item") else choice
        return Resolution(choice, remedy, compensation, coupon, self.follow_up.value(),
                          self.staff.text())

    def _coupon(self, choice: str, problems: dict[str, str]) -> CouponSpec | None:
        expires = from_qdate(self.expires.date())
        terms = self.terms.text()
        if choice == "discount" and self.discount.currentData() == "percent":
            return CouponSpec("percent", self.percent.value(), expires, None, terms)
        if choice == "discount":
            value = _money(self.amount.text(), "amount", problems)
            return CouponSpec("amount", value, expires, None, terms)
        if choice == "free_item":
            worth = _money(self.worth.text(), "worth", problems, required=False)
            return CouponSpec("free_item", worth, expires, self.product.currentData(), terms)
        return None

    def cost(self, resolution: Resolution) -> int:
        """What the remedy costs the business, as the service counts it against the limit."""
        coupon, cost = resolution.coupon, resolution.compensation_cents
        if coupon is None or coupon.kind == "percent":
            return cost
        if coupon.kind == "free_item" and coupon.value == 0 and coupon.product_id is not None:
            return max(cost, self._prices.get(coupon.product_id) or 0)
        return max(cost, coupon.value)

    def cost_field(self) -> str:
        """The field whose value makes the cost, where a limit message belongs."""
        return {"discount": "amount", "free_item": "worth"}.get(self.choice, "compensation_cents")

    def limit_problem(self, resolution: Resolution) -> str:
        cost = self.cost(resolution)
        if cost <= self.limit_cents:
            return ""
        return _("Compensation of {amount} is above the limit of {limit} set in the settings."
                 ).format(amount=format_money(cost, self.currency),
                          limit=format_money(self.limit_cents, self.currency))

    # Messages ---------------------------------------------------------------------------------

    def clear_errors(self) -> None:
        for error in self.errors.values():
            error.clear_message()

    def show_errors(self, fields: dict[str, str]) -> None:
        """Messages from the form or the services, each under the field it is about."""
        where = {"compensation_cents": self.cost_field(), "coupon": "remedy",
                 "value": self.cost_field() if self.choice == "free_item" else (
                     "percent" if self.discount.currentData() == "percent" else "amount")}
        for key, message in fields.items():
            target = where.get(key, key)
            self.errors.get(target, self.errors["remedy"]).show_message(message)

    def set_read_only(self) -> None:
        for child in self.findChildren(QWidget):
            if not isinstance(child, QLabel):
                child.setEnabled(False)


def _money(text: str, key: str, problems: dict[str, str], required: bool = True) -> int:
    try:
        cents = parse_price(text)
    except ValueError:
        problems[key] = _("Write the amount as a number, such as 4,50.")
        return 0
    if cents is None and required:
        problems[key] = _("Enter the amount.")
    return cents or 0
