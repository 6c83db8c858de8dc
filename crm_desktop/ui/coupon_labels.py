"""How coupons read on screen: kinds, reasons and statuses in the interface language."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from crm_desktop.i18n import N_, _
from crm_desktop.services.coupon_data import ACTIVE, EXPIRED, REDEEMED, VOID

# The services' lists, in the order the dialogs offer them (written out: the ui sees no models).
KIND_LABELS = {
    "free_item": N_("Free item"),
    "percent": N_("Percent off"),
    "amount": N_("Amount off"),
}
REASON_LABELS = {
    "complaint": N_("Complaint"),
    "birthday": N_("Birthday"),
    "referral": N_("Referral"),
    "loyalty": N_("Loyalty"),
    "retention": N_("Retention"),
    "campaign": N_("Campaign"),
}
STATUS_LABELS = {
    ACTIVE: N_("Active"),
    REDEEMED: N_("Redeemed"),
    EXPIRED: N_("Expired"),
    VOID: N_("Void"),
}
STATUS_FILTER_LABELS = {"all": N_("All coupons"), **STATUS_LABELS}


def reason_text(reason: str) -> str:
    return _(REASON_LABELS[reason]) if reason in REASON_LABELS else reason


def status_text(status: str) -> str:
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def status_colour(status: str, palette: QPalette) -> QColor | None:
    """Text colour of a status in a table: green for usable, red for void, else the default.

    The colour only repeats what the word says; it reads on a light or a dark palette.
    """
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    if status == ACTIVE:
        return QColor("#81c784") if dark else QColor("#1b5e20")
    if status == VOID:
        return QColor("#ff8a80") if dark else QColor("#b00020")
    return None
