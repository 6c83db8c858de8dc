"""The fields of the customer card: filled from a CustomerInput, read back into one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from crm_desktop.i18n import N_, _
from crm_desktop.services.customer_data import CustomerInput, EmailInput, PhoneInput
from crm_desktop.services.validation import format_phone, normalise_email, normalise_phone
from crm_desktop.ui.card_fields import (
    EMAIL_LABELS,
    PHONE_LABELS,
    ConsentRow,
    ContactRows,
    add_consent_rows,
)
from crm_desktop.ui.form_widgets import (
    ErrorLabel,
    OptionalDateEdit,
    add_labelled_row,
    section_title,
)

LANGUAGES = (("fi", N_("Finnish")), ("en", N_("English")))
STATUSES = (("active", N_("Active")), ("inactive", N_("Inactive")), ("lost", N_("Lost")))
_TEXT_FIELDS = ("first_name", "last_name", "salutation", "company", "street", "postal_code",
                "city", "country")


class CustomerForm(QWidget):
    """Every input of the card, with an error label under each one."""

    edited = Signal()

    def __init__(self, region: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerForm")
        self._region = region  # the settings' phone region, read when a phone is checked
        self.errors: dict[str, ErrorLabel] = {}
        self.lines: dict[str, QLineEdit] = {}
        self.general_error = ErrorLabel(self)
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow(self.general_error)
        self._build_name()
        self._build_contact()
        self._build_address()
        self._build_customer()
        self._build_consent()

    # Building ---------------------------------------------------------------------------------

    def _line(self, key: str, text: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(key)
        edit.setPlaceholderText(placeholder)
        _label, self.errors[key] = add_labelled_row(self.form, text, edit)
        self.lines[key] = edit
        edit.textChanged.connect(self.edited)
        return edit

    def _build_name(self) -> None:
        self.form.addRow(section_title(_("Name")))
        self._line("first_name", _("First name"))
        self._line("last_name", _("Last name"))
        self._line("salutation", _("Salutation"), _("e.g. Ms, Dr"))
        self._line("company", _("Company"))

    def _build_contact(self) -> None:
        self.form.addRow(section_title(_("Contact")))
        self.emails = ContactRows(self.form, self.lines["company"], {
            "title": _("Email {number}"),
            "kind": _("Email {number} type"),
            "remove": _("Remove email {number}"),
            "add": _("Add email"),
        }, EMAIL_LABELS, _email_problem)
        self.phones = ContactRows(self.form, self.emails.add_button, {
            "title": _("Phone {number}"),
            "kind": _("Phone {number} type"),
            "remove": _("Remove phone {number}"),
            "add": _("Add phone"),
        }, PHONE_LABELS, self._phone_problem)
        self.emails.changed.connect(self.edited)
        self.phones.changed.connect(self.edited)

    def _build_address(self) -> None:
        self.form.addRow(section_title(_("Address")))
        self._line("street", _("Street"))
        postal = self._line("postal_code", _("Postal code"))
        postal.setMaxLength(20)
        postal.editingFinished.connect(self._check_postal_code)
        postal.textEdited.connect(self._recheck_postal_code)
        self._line("city", _("City"))
        country = self._line("country", _("Country"), _("Two letters, e.g. FI"))
        country.setMaxLength(2)

    def _build_customer(self) -> None:
        self.form.addRow(section_title(_("Customer")))
        self.language = self._combo("language", _("Preferred language"), LANGUAGES)
        self.status = self._combo("status", _("Status"), STATUSES)
        self.since = OptionalDateEdit(_("Customer since"))
        self.since.changed.connect(self.edited)
        _label, self.errors["customer_since"] = add_labelled_row(
            self.form, _("Customer since"), self.since, self.since.check_box
        )
        self.since.date_edit.setAccessibleName(_("Customer since"))
        self.since.check_box.setAccessibleName(
            _("{field} is known").format(field=_("Customer since")))
        self._line("tags", _("Tags"), _("Separated by commas, e.g. regular, vegan"))
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 4 + 12)
        self.notes.textChanged.connect(self.edited)
        _label, self.errors["notes"] = add_labelled_row(self.form, _("Notes"), self.notes)

    def _combo(self, key: str, text: str, items: tuple[tuple[str, str], ...]) -> QComboBox:
        combo = QComboBox()
        for value, title in items:
            combo.addItem(_(title), value)
        combo.currentIndexChanged.connect(self.edited)
        _label, self.errors[key] = add_labelled_row(self.form, text, combo)
        return combo

    def _build_consent(self) -> None:
        self.form.addRow(section_title(_("Marketing consent")))
        self.consents: dict[str, ConsentRow] = add_consent_rows(self.form)
        for channel, row in self.consents.items():
            self.errors[f"consent.{channel}"] = row.error
            row.edited.connect(self.edited)
        self.do_not_market = QCheckBox(_("Do not send any marketing"))
        self.do_not_market.setAccessibleName(_("Do not send any marketing"))
        self.do_not_market.toggled.connect(self.edited)
        self.form.addRow("", self.do_not_market)

    # Values -----------------------------------------------------------------------------------

    def fill(self, data: CustomerInput) -> None:
        region = self._region()
        for key in _TEXT_FIELDS:
            self.lines[key].setText(getattr(data, key))
        self.lines["tags"].setText(", ".join(data.tags))
        self.notes.setPlainText(data.notes)
        self.emails.set_values([(e.address, e.label) for e in data.emails])
        self.phones.set_values([(format_phone(p.number, region), p.label) for p in data.phones])
        _select(self.language, data.language)
        _select(self.status, data.status)
        self.since.set_value(data.customer_since)
        by_channel = {c.channel: c for c in data.consents}
        for channel, row in self.consents.items():
            row.set_value(by_channel.get(channel))
        self.do_not_market.setChecked(data.do_not_market)
        self.clear_errors()

    def collect(self) -> CustomerInput:
        """What the form says now, as typed; the service cleans and checks it."""
        text = {key: edit.text() for key, edit in self.lines.items()}
        return CustomerInput(
            first_name=text["first_name"],
            last_name=text["last_name"],
            salutation=text["salutation"],
            company=text["company"],
            emails=tuple(EmailInput(value, kind) for value, kind in self.emails.values()),
            phones=tuple(PhoneInput(value, kind) for value, kind in self.phones.values()),
            street=text["street"],
            postal_code=text["postal_code"],
            city=text["city"],
            country=text["country"].strip().upper(),
            language=str(self.language.currentData()),
            notes=self.notes.toPlainText(),
            tags=tuple(tag.strip() for tag in text["tags"].split(",") if tag.strip()),
            status=str(self.status.currentData()),
            customer_since=self.since.value(),
            do_not_market=self.do_not_market.isChecked(),
            consents=tuple(c for row in self.consents.values() if (c := row.value())),
        )

    # Errors -----------------------------------------------------------------------------------

    def show_errors(self, fields: dict[str, str]) -> QWidget | None:
        """Put each message next to its field; returns the first field to focus."""
        self.clear_errors()
        self.emails.show_errors(_indexed(fields, "email"))
        self.phones.show_errors(_indexed(fields, "phone"))
        unplaced: list[str] = []
        for key, message in fields.items():
            if key in self.errors:
                self.errors[key].show_message(message)
            elif not key.startswith(("email.", "phone.")):
                unplaced.append(message)
        self.general_error.show_message(" ".join(unplaced))
        return self._first_flagged()

    def clear_errors(self) -> None:
        self.general_error.clear_message()
        for label in self.errors.values():
            label.clear_message()
        self.emails.show_errors({})
        self.phones.show_errors({})

    def _first_flagged(self) -> QWidget | None:
        labels = [row.error for row in self.emails.rows + self.phones.rows]
        labels += self.errors.values()
        fields = [label.field for label in labels if label.message]
        # The topmost one, so focus lands where the eye starts reading.
        return min(fields, key=lambda field: field.mapTo(self, field.rect().topLeft()).y(),
                   default=None)

    def _phone_problem(self, text: str) -> str:
        try:
            normalise_phone(text, self._region())
        except ValueError:
            return _("“{number}” is not a valid phone number.").format(number=text.strip())
        return ""

    def _postal_code_problem(self) -> str:
        code = self.lines["postal_code"].text().strip()
        country = self.lines["country"].text().strip().upper() or "FI"
        if country == "FI" and code and not (len(code) == 5 and code.isdigit()):
            return _("A Finnish postal code has five digits.")
        return ""

    def _check_postal_code(self) -> None:
        self.errors["postal_code"].show_message(self._postal_code_problem())

    def _recheck_postal_code(self) -> None:
        if self.errors["postal_code"].message and not self._postal_code_problem():
            self.errors["postal_code"].clear_message()


def _email_problem(text: str) -> str:
    try:
        normalise_email(text)
    except ValueError:
        return _("“{address}” is not a valid email address.").format(address=text.strip())
    return ""


def _indexed(fields: dict[str, str], prefix: str) -> dict[int, str]:
    found: dict[int, str] = {}
    for key, message in fields.items():
        name, _dot, index = key.partition(".")
        if name == prefix and index.isdigit():
            found[int(index)] = message
    return found


def _select(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    if index < 0:  # a value this version does not list (from an import): keep it selectable
        combo.addItem(value, value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)
