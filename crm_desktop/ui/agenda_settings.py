"""The reminder settings on the Settings dialog: days ahead, lapse, lead times, 29 February."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QFormLayout, QSizePolicy, QSpinBox

from crm_desktop.i18n import N_, _
from crm_desktop.services.settings import BusinessSettings
from crm_desktop.ui.form_widgets import ErrorLabel, add_labelled_row, section_title

MAX_DAYS = 365
LEAP_DAY_RULES = (("feb28", N_("28 February")), ("mar1", N_("1 March")))
# (setting, label, suffix after the number)
DAY_FIELDS = (
    ("agenda_days", N_("Agenda shows the next"), N_(" days")),
    ("lapsed_after_days", N_("Lapsed after"), N_(" days without a visit")),
    ("birthday_lead_days", N_("Birthday reminder"), N_(" days before")),
    ("anniversary_lead_days", N_("Anniversary reminder"), N_(" days before")),
)


class AgendaSettingsFields:
    """Adds its rows to a settings form; error labels go into the dialog's ``errors``."""

    def __init__(self, form: QFormLayout, errors: dict[str, ErrorLabel]) -> None:
        form.addRow(section_title(_("Reminders")))
        self.spins: dict[str, QSpinBox] = {}
        for key, label, suffix in DAY_FIELDS:
            spin = QSpinBox()
            spin.setObjectName(key)
            spin.setRange(0, MAX_DAYS)
            spin.setSuffix(_(suffix))
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            _label, errors[key] = add_labelled_row(form, _(label), spin)
            self.spins[key] = spin
        self.leap_day_rule = QComboBox()
        self.leap_day_rule.setObjectName("leap_day_rule")
        for value, title in LEAP_DAY_RULES:
            self.leap_day_rule.addItem(_(title), value)
        _label, errors["leap_day_rule"] = add_labelled_row(
            form, _("29 February in other years"), self.leap_day_rule
        )
        self.leap_day_rule.setToolTip(
            _("The day a 29 February birthday is remembered on when the year has none.")
        )

    def fill(self, settings: BusinessSettings) -> None:
        for key, spin in self.spins.items():
            spin.setValue(int(getattr(settings, key)))
        self.leap_day_rule.setCurrentIndex(
            max(0, self.leap_day_rule.findData(settings.leap_day_rule))
        )

    def apply(self, settings: BusinessSettings) -> BusinessSettings:
        """``settings`` with the values these fields show."""
        return replace(
            settings,
            agenda_days=self.spins["agenda_days"].value(),
            lapsed_after_days=self.spins["lapsed_after_days"].value(),
            birthday_lead_days=self.spins["birthday_lead_days"].value(),
            anniversary_lead_days=self.spins["anniversary_lead_days"].value(),
            leap_day_rule=str(self.leap_day_rule.currentData()),
        )
