"""Dialogs of the card's dates and favourites panel: one important date, one favourite.

Both save through the task runner and stay open until the service accepts; a refusal is
shown under the field it is about and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from babel import Locale
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import N_, _, current_language, ngettext
from crm_desktop.services import favourites, important_dates
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.favourites import FavouriteRow, ProductRow
from crm_desktop.services.important_dates import DateInput, ImportantDateRow
from crm_desktop.ui.form_widgets import ErrorLabel, add_labelled_row, place_errors
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

Runner = TaskRunner | SyncTaskRunner
DATE_KINDS = (
    ("birthday", N_("Birthday")),
    ("anniversary", N_("Anniversary")),
    ("custom", N_("Other date")),
)


def month_names() -> list[str]:
    """January … December in the interface language, as a month stands alone."""
    locale = Locale.parse("fi_FI" if current_language() == "fi" else "en_GB")
    names = locale.months["stand-alone"]["wide"]
    return [str(names[month]) for month in range(1, 13)]


class _SavingDialog(QDialog):
    """Error labels by field, a general one, Save/Cancel; subclasses write in ``operation``."""

    def __init__(self, runner: Runner, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.errors: dict[str, ErrorLabel] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.general_error = ErrorLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.result_value: Any = None  # what the service returned after a save

    def _finish_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def operation(self) -> Any:
        """The write to run on the worker; may raise ValidationError for unreadable input."""
        raise NotImplementedError

    def save(self) -> None:
        self.clear_errors()
        try:
            write = self.operation()
        except ValidationError as error:
            self.show_errors(error)
            return
        self.save_button.setEnabled(False)
        self._runner.submit(write, self._saved, self._failed)

    def _saved(self, result: Any) -> None:
        self.result_value = result
        self.save_button.setEnabled(True)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            self.show_errors(error)
        else:
            self.general_error.show_message(str(error))

    def show_errors(self, error: ValidationError) -> None:
        place_errors(error.fields, self.errors, self.general_error)

    def clear_errors(self) -> None:
        self.general_error.clear_message()
        for label in self.errors.values():
            label.clear_message()


class DateDialog(_SavingDialog):
    """Add or change one important date: kind, name, day, month, optional year, lead days."""

    def __init__(self, runner: Runner, customer_id: int, existing: ImportantDateRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("dateDialog")
        self.setWindowTitle(_("Change date") if existing else _("Add date"))
        self._customer_id = customer_id
        self._existing = existing
        self._build()
        self._finish_layout()
        self._fill(existing)
        self.setMinimumWidth(380)

    def _build(self) -> None:
        self.kind = QComboBox()
        self.kind.setObjectName("dateKind")
        for value, title in DATE_KINDS:
            self.kind.addItem(_(title), value)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._row("kind", _("&Kind"), self.kind)
        self.label = QLineEdit()
        self.label.setObjectName("dateLabel")
        self.label.setPlaceholderText(_("e.g. Wedding, Name day"))
        self._row("label", _("&Name"), self.label)
        self.day = QSpinBox()
        self.day.setObjectName("dateDay")
        self.day.setRange(1, 31)
        self._row("day", _("&Day"), self.day)
        self.month = QComboBox()
        self.month.setObjectName("dateMonth")
        for number, name in enumerate(month_names(), start=1):
            self.month.addItem(name, number)
        self._row("month", _("&Month"), self.month)
        self.year = QLineEdit()
        self.year.setObjectName("dateYear")
        self.year.setMaxLength(4)
        self.year.setPlaceholderText(_("Optional: leave empty if not known"))
        self._row("year", _("&Year"), self.year)
        self._build_lead_days()

    def _row(self, key: str, text: str, field: QWidget, focus: QWidget | None = None) -> None:
        _label, self.errors[key] = add_labelled_row(self.form, text, field, focus)

    def _build_lead_days(self) -> None:
        self.own_lead = QCheckBox(_("Own reminder time"))
        self.own_lead.setObjectName("ownLeadDays")
        self.lead_days = QSpinBox()
        self.lead_days.setObjectName("dateLeadDays")
        self.lead_days.setRange(0, important_dates.MAX_LEAD_DAYS)
        self.lead_days.valueChanged.connect(self._lead_days_changed)
        self._lead_days_changed(self.lead_days.value())
        self.lead_days.setAccessibleName(_("Days before the date"))
        self.own_lead.toggled.connect(self.lead_days.setEnabled)
        self.own_lead.setToolTip(_("Without it, the reminder time in Settings applies."))
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.own_lead)
        line.addWidget(self.lead_days, 1)
        self._row("lead_days", _("&Remind"), row, self.own_lead)

    def _lead_days_changed(self, value: int) -> None:
        self.lead_days.setSuffix(ngettext(" day before", " days before", value))

    def _fill(self, existing: ImportantDateRow | None) -> None:
        if existing is None:
            self.lead_days.setValue(7)
            self.lead_days.setEnabled(False)
            self._kind_changed()
            return
        self.kind.setCurrentIndex(max(0, self.kind.findData(existing.kind)))
        self.label.setText(existing.label)
        self.day.setValue(existing.day)
        self.month.setCurrentIndex(existing.month - 1)
        self.year.setText("" if existing.year is None else str(existing.year))
        self.own_lead.setChecked(existing.lead_days is not None)
        self.lead_days.setValue(existing.lead_days if existing.lead_days is not None else 7)
        self.lead_days.setEnabled(existing.lead_days is not None)
        self._kind_changed()

    def _kind_changed(self) -> None:
        # A birthday needs no name; anniversaries may have one ("Wedding"), other dates must.
        self.label.setEnabled(self.kind.currentData() != "birthday")

    def collect(self) -> DateInput:
        text = self.year.text().strip()
        if text and not (text.isdigit() and len(text) == 4):
            raise ValidationError(
                {"year": _("Write the year with four digits, or leave it empty.")}
            )
        kind = str(self.kind.currentData())
        return DateInput(
            kind=kind,
            month=int(self.month.currentData()),
            day=self.day.value(),
            year=int(text) if text else None,
            label="" if kind == "birthday" else self.label.text(),
            lead_days=self.lead_days.value() if self.own_lead.isChecked() else None,
        )

    def operation(self) -> Any:
        data, customer_id, existing = self.collect(), self._customer_id, self._existing
        if existing is None:
            return lambda session: important_dates.add_date(session, customer_id, data)
        return lambda session: important_dates.update_date(session, existing.id, data)


class FavouriteDialog(_SavingDialog):
    """Add a favourite from the catalogue with a note, or change the note of one."""

    def __init__(self, runner: Runner, customer_id: int, existing: FavouriteRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("favouriteDialog")
        self.setWindowTitle(_("Change favourite") if existing else _("Add favourite"))
        self._customer_id = customer_id
        self._existing = existing
        self.product = QComboBox()
        self.product.setObjectName("favouriteProduct")
        self._row_error("product", _("&Product"), self.product)
        self.note = QLineEdit()
        self.note.setObjectName("favouriteNote")
        self.note.setPlaceholderText(_("e.g. oat milk, no sugar"))
        self.note.setMaxLength(favourites.NOTE_MAX_LENGTH)
        self._row_error("note", _("&Note"), self.note)
        self._finish_layout()
        self.setMinimumWidth(380)
        if existing is not None:
            self.product.addItem(existing.product_name, existing.product_id)
            self.product.setEnabled(False)
            self.note.setText(existing.note)
            self.note.setFocus()
        else:
            self.save_button.setEnabled(False)  # until the catalogue has arrived
            runner.submit(favourites.list_products, self._fill_products, self._failed)

    def _row_error(self, key: str, text: str, field: QWidget) -> None:
        _label, self.errors[key] = add_labelled_row(self.form, text, field)

    def _fill_products(self, products: list[ProductRow]) -> None:
        for product in products:
            title = product.name
            if product.category:
                title = _("{name} ({category})").format(name=product.name,
                                                       category=product.category)
            self.product.addItem(title, product.id)
        if not products:
            self.errors["product"].show_message(
                _("The catalogue is empty: add products under File → Products and Services."))
        self.save_button.setEnabled(bool(products))

    def operation(self) -> Any:
        note, customer_id, existing = self.note.text(), self._customer_id, self._existing
        if existing is not None:
            return lambda session: favourites.update_favourite_note(session, existing.id, note)
        product_id = self.product.currentData()
        if product_id is None:
            raise ValidationError({"product": _("Choose a product.")})
        return lambda session: favourites.add_favourite(
            session, customer_id, int(product_id), note)
