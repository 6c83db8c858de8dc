"""What a coupon gives, one input per kind: a product, a percentage, or an amount of money."""

from __future__ import annotations

import re
from collections.abc import Sequence

from babel.numbers import format_percent
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QSpinBox, QStackedWidget, QWidget

from crm_desktop.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    SUPPORTED_LANGUAGES,
    _,
    current_language,
    format_money,
)
from crm_desktop.services.favourites import ProductRow

KINDS = ("free_item", "percent", "amount")
VALUE_LABELS = {
    "free_item": N_("&Item"),
    "percent": N_("&Percent off"),
    "amount": N_("&Amount off"),
}
DEFAULT_PERCENT = 10
DEFAULT_AMOUNT = 5.0
MAX_AMOUNT = 100_000.0
_AROUND_NUMBER = re.compile(r"^(\D*)[\d.,\s\u00a0\u202f]*\d(\D*)$")


def currency_affixes(currency: str) -> tuple[str, str]:
    """("€", "") or ("", " €"): the symbol where the interface language writes it."""
    match = _AROUND_NUMBER.match(format_money(100, currency))
    return (match.group(1), match.group(2)) if match else ("", f" {currency}")


def percent_suffix() -> str:
    """The percent sign with its spacing, as the interface language writes "15 %"."""
    language = current_language()
    locale = language if language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
    match = _AROUND_NUMBER.match(format_percent(0.15, locale=locale))
    return match.group(2) if match else "%"


class CouponValueField(QStackedWidget):
    """One page per kind; ``value()`` is what issue_coupon takes (cents, percent or 0)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("couponValue")
        self.product = QComboBox()
        self.product.setObjectName("couponProduct")
        self.percent = QSpinBox()
        self.percent.setObjectName("couponPercent")
        self.percent.setRange(1, 100)
        self.percent.setValue(DEFAULT_PERCENT)
        self.percent.setSuffix(percent_suffix())
        self.amount = QDoubleSpinBox()
        self.amount.setObjectName("couponAmount")
        self.amount.setDecimals(2)
        self.amount.setRange(0.01, MAX_AMOUNT)
        self.amount.setSingleStep(1.0)
        self.amount.setValue(DEFAULT_AMOUNT)
        for page in (self.product, self.percent, self.amount):
            self.addWidget(page)
        self.set_currency("EUR")
        self.set_products(())

    def set_kind(self, kind: str) -> None:
        self.setCurrentIndex(KINDS.index(kind))
        self.setFocusProxy(self.input())

    def kind(self) -> str:
        return KINDS[self.currentIndex()]

    def input(self) -> QWidget:
        """The input of the kind shown: what the row's label points at."""
        return (self.product, self.percent, self.amount)[self.currentIndex()]

    def set_currency(self, currency: str) -> None:
        prefix, suffix = currency_affixes(currency)
        self.amount.setPrefix(prefix)
        self.amount.setSuffix(suffix)

    def set_products(self, products: Sequence[ProductRow], currency: str = "EUR") -> None:
        chosen = self.product_id()
        self.product.clear()
        for product in products:
            text = product.name
            if product.price_cents:
                text = _("{product} ({price})").format(
                    product=product.name, price=format_money(product.price_cents, currency)
                )
            self.product.addItem(text, product.id)
        self.product.addItem(_("Any one item"), None)
        found = self.product.findData(chosen) if chosen is not None else -1
        self.product.setCurrentIndex(max(found, 0))

    def product_id(self) -> int | None:
        data = self.product.currentData()
        return int(data) if isinstance(data, int) else None

    def value(self) -> int:
        kind = self.kind()
        if kind == "percent":
            return self.percent.value()
        if kind == "amount":
            return round(self.amount.value() * 100)
        return 0  # a free item is worth its product's price
