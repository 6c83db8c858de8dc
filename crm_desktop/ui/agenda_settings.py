"""The reminder settings on the Settings dialog: days ahead, lapse, lead times, 29 February."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QFormLayout, QSizePolicy, QSpinBox

from crm_desktop.i18n import N_, _, ngettext
from crm_desktop.services.settings import BusinessSettings
from crm_desktop.ui.form_widgets import ErrorLabel, add_labelled_row, section_title

MAX_DAYS = 365
LEAP_DAY_RULES = (("feb28", N_("28 February")), ("mar1", N_("1 March")))


def _days(count: int) -> str:
    return ngettext(" day", " days", count)


def _days_without_visit(count: int) -> str:
    return ngettext(" day without a visit", " days without a visit", count)


def _days_before(count: int) -> str:
    return ngettext(" day before", " days before", count)


# (setting, label, suffix after the number); the suffix follows the number ("1 day", "2 days").
DAY_FIELDS: tuple[tuple[str, str, Callable[[int], str]], ...] = (
    ("agenda_days", N_("Agenda shows the next"), _days),
    ("lapsed_after_days", N_("Lapsed after"), _days_without_visit),
    ("birthday_lead_days", N_("Birthday reminder"), _days_before),
    ("anniversary_lead_days", N_("Anniversary reminder"), _days_before),
)


def follow_count_with_suffix(spin: QSpinBox, suffix_for: Callable[[int], str]) -> None:
    """Keep the spin box's suffix in the grammatical number its value needs."""
    spin.setSuffix(suffix_for(spin.value()))
    spin.valueChanged.connect(lambda value: spin.setSuffix(suffix_for(value)))


class AgendaSettingsFields:
    """Adds its rows to a settings form; error labels go into the dialog's ``errors``."""

    def __init__(self, form: QFormLayout, errors: dict[str, ErrorLabel]) -> None:
        form.addRow(section_title(_("Reminders")))
        self.spins: dict[str, QSpinBox] = {}
        for key, label, suffix_for in DAY_FIELDS:
            spin = QSpinBox()
            spin.setObjectName(key)
            spin.setRange(0, MAX_DAYS)
            follow_count_with_suffix(spin, suffix_for)
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
