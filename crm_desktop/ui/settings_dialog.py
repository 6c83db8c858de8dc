"""Business settings: who the business is, how it is reached, its region, currency and language.

The settings live in the database (every desk and every letter sees the same); the dialog
reads and writes them through the task runner. Fields it does not show are kept as they are.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from babel import Locale
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.i18n import _, current_language
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.settings import BusinessSettings, load_settings, save_settings
from crm_desktop.ui.agenda_settings import AgendaSettingsFields
from crm_desktop.ui.form_widgets import ErrorLabel, add_labelled_row, place_errors, section_title
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner

PHONE_REGIONS = ("FI", "SE", "NO", "DK", "IS", "EE", "LV", "LT", "DE", "NL", "BE", "FR", "ES",
                 "IT", "AT", "CH", "PL", "CZ", "GB", "IE")
CURRENCIES = ("EUR", "SEK", "NOK", "DKK", "ISK", "GBP", "PLN", "CHF", "CZK", "HUF", "USD")
# Language names in their own language, as language menus usually show them.
INTERFACE_LANGUAGES = (("fi", "Suomi"), ("en", "English"))
LOGO_PREVIEW = QSize(160, 80)
_TEXT_FIELDS = ("name", "street", "postal_code", "city", "country", "business_id", "phone",
                "email", "website")
_CODE_IN_BRACKETS = re.compile(r"\(([A-Za-z]{2})\)\s*$")


def region_name(code: str) -> str:
    """"Finland (FI)" in the interface language."""
    locale = Locale.parse("fi_FI" if current_language() == "fi" else "en_GB")
    name = locale.territories.get(code, code)
    return _("{country} ({code})").format(country=name, code=code)


class SettingsDialog(QDialog):
    def __init__(self, runner: TaskRunner | SyncTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(_("Business settings"))
        self._runner = runner
        self._loaded: BusinessSettings | None = None
        self.saved_settings: BusinessSettings | None = None
        self.lines: dict[str, QLineEdit] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self._build()
        self.resize(600, 660)
        runner.submit(load_settings, self._fill, self._load_failed)

    # Building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        form_widget = QWidget()
        self.form = QFormLayout(form_widget)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.general_error = ErrorLabel(form_widget)
        self.form.addRow(self.general_error)
        self._build_business()
        self._build_contact()
        self._build_regional()
        self.agenda_fields = AgendaSettingsFields(self.form, self.errors)
        scroll = QScrollArea()
        scroll.setWidget(form_widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)  # until the stored settings have arrived
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)

    def _line(self, key: str, text: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(key)
        edit.setPlaceholderText(placeholder)
        _label, self.errors[key] = add_labelled_row(self.form, text, edit)
        self.lines[key] = edit
        return edit

    def _build_business(self) -> None:
        self.form.addRow(section_title(_("Business")))
        self._line("name", _("&Name"))
        self._line("street", _("&Street"))
        self._line("postal_code", _("&Postal code"))
        self._line("city", _("C&ity"))
        self._line("country", _("Co&untry"), _("Two letters, e.g. FI")).setMaxLength(2)
        self._line("business_id", _("&Business ID"), _("Y-tunnus, e.g. 1234567-8"))

    def _build_contact(self) -> None:
        self.form.addRow(section_title(_("Contact")))
        self._line("phone", _("P&hone"))
        self._line("email", _("&Email"))
        self._line("website", _("&Website"), _("e.g. www.example.fi"))
        self._build_logo()

    def _build_logo(self) -> None:
        self.logo_path = QLineEdit()
        self.logo_path.setReadOnly(True)
        self.logo_path.setObjectName("logo_path")
        self.logo_path.setPlaceholderText(_("No logo"))
        choose = QPushButton(_("Ch&oose…"))
        choose.setAccessibleName(_("Choose a logo file"))
        choose.clicked.connect(self.choose_logo)
        remove = QPushButton(_("Re&move"))
        remove.setAccessibleName(_("Remove the logo"))
        remove.clicked.connect(lambda: self.set_logo(""))
        self.logo_preview = QLabel()
        self.logo_preview.setObjectName("logoPreview")
        self.logo_preview.setFixedSize(LOGO_PREVIEW)
        self.logo_preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setAccessibleName(_("Logo preview"))
        line = QHBoxLayout()
        line.addWidget(self.logo_path, 1)
        line.addWidget(choose)
        line.addWidget(remove)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(line)
        column.addWidget(self.logo_preview)
        _label, self.errors["logo_path"] = add_labelled_row(
            self.form, _("Lo&go"), box, self.logo_path
        )

    def _build_regional(self) -> None:
        self.form.addRow(section_title(_("Region and language")))
        self.region = QComboBox()
        self.region.setEditable(True)
        self.region.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for code in PHONE_REGIONS:
            self.region.addItem(region_name(code), code)
        _label, self.errors["phone_region"] = add_labelled_row(
            self.form, _("Default phone &region"), self.region
        )
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.currency.addItems(list(CURRENCIES))
        _label, self.errors["currency"] = add_labelled_row(self.form, _("&Currency"),
                                                           self.currency)
        self.language = QComboBox()
        self.language.addItem(_("System default"), "")
        for code, name in INTERFACE_LANGUAGES:
            self.language.addItem(name, code)
        _label, self.errors["language"] = add_labelled_row(
            self.form, _("Interface l&anguage"), self.language
        )
        note = QLabel(_("A new interface language takes effect after restart."))
        note.setWordWrap(True)
        self.form.addRow("", note)

    # Values -----------------------------------------------------------------------------------

    def _fill(self, settings: BusinessSettings) -> None:
        self._loaded = settings
        for key in _TEXT_FIELDS:
            self.lines[key].setText(getattr(settings, key))
        self.set_logo(settings.logo_path)
        index = self.region.findData(settings.phone_region)
        if index >= 0:
            self.region.setCurrentIndex(index)
        else:
            self.region.setEditText(settings.phone_region)
        self.currency.setEditText(settings.currency)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.agenda_fields.fill(settings)
        self.save_button.setEnabled(True)

    def collect(self) -> BusinessSettings:
        """The stored settings with this dialog's fields replaced by what it shows."""
        text = {key: self.lines[key].text().strip() for key in _TEXT_FIELDS}
        return replace(
            self.agenda_fields.apply(self._loaded or BusinessSettings()),
            name=text["name"],
            street=text["street"],
            postal_code=text["postal_code"],
            city=text["city"],
            country=text["country"].upper(),
            business_id=re.sub(r"\s", "", text["business_id"]),
            phone=text["phone"],
            email=text["email"],
            website=text["website"],
            logo_path=self.logo_path.text(),
            phone_region=self._region_code(),
            currency=self.currency.currentText().strip().upper(),
            language=str(self.language.currentData()),
        )

    def _region_code(self) -> str:
        text = self.region.currentText().strip()
        index = self.region.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return str(self.region.itemData(index))
        bracketed = _CODE_IN_BRACKETS.search(text)
        return (bracketed.group(1) if bracketed else text).upper()

    def choose_logo(self) -> None:
        start = str(Path(self.logo_path.text()).parent) if self.logo_path.text() else ""
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a logo"), start, _("Images (*.png *.jpg *.jpeg)")
        )
        if path:
            self.set_logo(path)

    def set_logo(self, path: str) -> None:
        self.logo_path.setText(path)
        self.logo_path.setToolTip(path)
        pixmap = QPixmap(path) if path else QPixmap()
        if pixmap.isNull():
            self.logo_preview.clear()
            self.logo_preview.setText(_("No logo") if not path else "")
        else:
            self.logo_preview.setPixmap(pixmap.scaled(
                LOGO_PREVIEW - QSize(8, 8), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        unreadable = bool(path) and pixmap.isNull()
        self.errors["logo_path"].show_message(
            _("This file cannot be read as an image here.") if unreadable else ""
        )

    # Saving -----------------------------------------------------------------------------------

    def save(self) -> None:
        if self._loaded is None:
            return
        settings = self.collect()
        self._clear_errors()
        self.save_button.setEnabled(False)
        self._runner.submit(
            lambda session: save_settings(session, settings),
            lambda _changes: self._saved(settings),
            self._save_failed,
        )

    def _saved(self, settings: BusinessSettings) -> None:
        self.saved_settings = settings
        self.accept()

    def _save_failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        if not isinstance(error, ValidationError):
            self.general_error.show_message(
                _("The settings were not saved: {reason}").format(reason=error))
            return
        place_errors(error.fields, self.errors, self.general_error)

    def _clear_errors(self) -> None:
        self.general_error.clear_message()
        for key, label in self.errors.items():
            if key != "logo_path":
                label.clear_message()

    def _load_failed(self, error: Exception) -> None:
        self.general_error.show_message(
            _("The settings could not be read: {reason}").format(reason=error))
