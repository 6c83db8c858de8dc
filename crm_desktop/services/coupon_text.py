"""Coupon wording: what a coupon gives, and the one-line answers the redeem desk shows."""

from __future__ import annotations

from babel.numbers import format_percent
from sqlalchemy.orm import Session

from crm_desktop.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    SUPPORTED_LANGUAGES,
    _,
    current_language,
    format_date,
    format_money,
    translations_for,
)
from crm_desktop.services.coupon_codes import group_code
from crm_desktop.services.coupon_data import CouponInfo, local_date
from crm_desktop.services.settings import load_settings

# Printed on the coupon in the customer's language, so translated where they are used.
FREE_NAMED_ITEM = N_("Free {item}")
FREE_ITEM = N_("A free item")


def coupon_value_text(coupon: CouponInfo, language: str, currency: str = "EUR") -> str:
    """What the coupon gives, in ``language``: "Free coffee", "20 %", "5,00 €"."""
    if coupon.kind == "percent":
        locale = language if language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
        return str(format_percent(coupon.value / 100, locale=locale))
    if coupon.kind == "amount":
        return format_money(coupon.value, currency, language)
    translations = translations_for(language)
    if coupon.product_name:
        return translations.gettext(FREE_NAMED_ITEM).format(item=coupon.product_name)
    return translations.gettext(FREE_ITEM)


def value_here(session: Session, coupon: CouponInfo) -> str:
    """The value in the interface language, for messages and the timeline."""
    return coupon_value_text(coupon, current_language(), load_settings(session).currency)


def issued_summary(coupon: CouponInfo, value: str) -> str:
    if coupon.expires_on is None:
        return _("Coupon {code}: {value}").format(code=coupon.grouped_code, value=value)
    return _("Coupon {code}: {value}, valid until {date}").format(
        code=coupon.grouped_code, value=value, date=format_date(coupon.expires_on)
    )


def redeemed_message(coupon: CouponInfo, value: str) -> str:
    if coupon.customer_name:
        return _("Redeemed now: {value} for {customer}.").format(
            value=value, customer=coupon.customer_name
        )
    return _("Redeemed now: {value}.").format(value=value)


def already_message(coupon: CouponInfo) -> str:
    assert coupon.redeemed_at is not None
    when = format_date(local_date(coupon.redeemed_at))
    if coupon.redeemed_desk:
        return _("Already redeemed on {date} at {desk}.").format(
            date=when, desk=coupon.redeemed_desk
        )
    return _("Already redeemed on {date}.").format(date=when)


def void_message(coupon: CouponInfo) -> str:
    assert coupon.voided_at is not None
    when = format_date(local_date(coupon.voided_at))
    if coupon.void_reason:
        return _("Void: cancelled on {date} ({reason}).").format(
            date=when, reason=coupon.void_reason
        )
    return _("Void: cancelled on {date}.").format(date=when)


def expired_message(coupon: CouponInfo) -> str:
    assert coupon.expires_on is not None
    return _("Expired on {date}.").format(date=format_date(coupon.expires_on))


def unknown_message(code: str) -> str:
    return _("Unknown code: no coupon has the code {code}.").format(code=group_code(code))


def typo_message(typed: str) -> str:
    return _("“{code}” is not a valid coupon code; check it for a typo.").format(
        code=typed.strip()
    )
