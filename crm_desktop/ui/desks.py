"""The window's desks, in sidebar order, and what a desk may offer the window.

A desk's module is imported when the desk is first built (section_stack.py), so start-up
loads only the desks the owner sees first.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from crm_desktop.i18n import N_
from crm_desktop.ui.customer_list import Runner
from crm_desktop.ui.customers_section import CustomersSection
from crm_desktop.ui.section_stack import Section


# Desks built on first show import their modules then, not before the first window.
def _today(runner: Runner) -> QWidget:
    from crm_desktop.ui.today_section import TodaySection

    return TodaySection(runner)


def _referrals(runner: Runner) -> QWidget:
    from crm_desktop.ui.referrals_section import ReferralsSection

    return ReferralsSection(runner)


def _coupons(runner: Runner) -> QWidget:
    from crm_desktop.ui.coupons_section import CouponsSection

    return CouponsSection(runner)


def _complaints(runner: Runner) -> QWidget:
    from crm_desktop.ui.complaints_section import ComplaintsSection

    return ComplaintsSection(runner)


def _letters(runner: Runner) -> QWidget:
    from crm_desktop.ui.letters_section import LettersSection

    return LettersSection(runner)


# The sidebar shows these in order; a new desk is one more line here.
SECTIONS: tuple[Section, ...] = (
    Section("today", N_("Today"), _today),  # first: the window opens on it
    Section("customers", N_("Customers"), CustomersSection),
    Section("referrals", N_("Referrals"), _referrals),
    Section("coupons", N_("Coupons"), _coupons),
    Section("complaints", N_("Complaints"), _complaints),
    Section("letters", N_("Letters"), _letters),
)


@runtime_checkable
class ManagedSection(Protocol):
    """What a section may offer the window: reloading, and remembering its layout."""

    def refresh(self) -> None: ...
    def save_state(self, settings: QSettings) -> None: ...
    def restore_state(self, settings: QSettings) -> None: ...


@runtime_checkable
class FollowsCustomer(Protocol):
    """A section that shows something about the customer chosen on the Customers desk."""

    def follow_customer(self, customer_id: int | None) -> None: ...
