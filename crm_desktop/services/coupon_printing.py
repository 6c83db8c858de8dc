"""Coupons ready to print: each in its customer's language, with the business's details."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from crm_desktop.i18n import SUPPORTED_LANGUAGES, _, current_language, format_date
from crm_desktop.reports import ReportError
from crm_desktop.reports.coupon_data import CouponPrint
from crm_desktop.services.coupon_data import CouponInfo
from crm_desktop.services.coupon_queries import coupons_by_code, require_code
from crm_desktop.services.coupon_text import (
    already_message,
    coupon_value_text,
    unknown_message,
)
from crm_desktop.services.errors import Conflict, NotFound, PrintProblem, ValidationError
from crm_desktop.services.settings import BusinessSettings, load_settings


def coupon_prints(session: Session, codes: Sequence[str]) -> list[CouponPrint]:
    """The coupons with these codes (as typed or scanned), in the order given.

    A void or already redeemed coupon is refused: a printed copy would only mislead.
    """
    if not codes:
        raise ValidationError({"codes": _("Choose at least one coupon to print.")})
    settings = load_settings(session)
    wanted = [require_code(code) for code in codes]
    found = coupons_by_code(session, wanted)
    prints = []
    for code in wanted:
        coupon = found.get(code)
        if coupon is None:
            raise NotFound(unknown_message(code))
        _require_printable(coupon)
        prints.append(to_print(coupon, settings))
    return prints


def coupon_pdf(
    session: Session,
    codes: Sequence[str],
    per_page: int = 4,
    progress: Callable[[int], bool] | None = None,
) -> bytes:
    """The coupons as one PDF, ``per_page`` (1 or 4) to an A4 sheet."""
    from crm_desktop.reports.coupon_pdf import render_coupons

    try:
        return render_coupons(coupon_prints(session, codes), per_page, progress)
    except ReportError as error:
        raise PrintProblem(str(error)) from None


def to_print(coupon: CouponInfo, settings: BusinessSettings) -> CouponPrint:
    """Plain print data; the customer's own language, else the business's, else the UI's."""
    language = _print_language(coupon, settings)
    expires = _date_text(coupon.expires_on, language) if coupon.expires_on else ""
    return CouponPrint(
        business_name=settings.name,
        code=coupon.code,
        code_text=coupon.grouped_code,
        kind=coupon.kind,
        value_text=coupon_value_text(coupon, language, settings.currency),
        language=language,
        customer_name=coupon.customer_name,
        expires_text=expires,
        terms=coupon.terms,
        business_line=business_line(settings),
    )


# A print run of thousands of coupons shares a handful of expiry dates.
_date_text = functools.lru_cache(maxsize=256)(format_date)


def business_line(settings: BusinessSettings) -> str:
    town = " ".join(part for part in (settings.postal_code, settings.city) if part)
    address = ", ".join(part for part in (settings.street, town) if part)
    parts = (address, settings.phone, settings.website or settings.email)
    return " · ".join(part for part in parts if part)


def _print_language(coupon: CouponInfo, settings: BusinessSettings) -> str:
    for language in (coupon.customer_language, settings.language, current_language()):
        if language in SUPPORTED_LANGUAGES:
            return language
    return current_language()


def _require_printable(coupon: CouponInfo) -> None:
    if coupon.redeemed_at is not None:
        raise Conflict(_("Coupon {code} cannot be printed: {answer}").format(
            code=coupon.grouped_code, answer=already_message(coupon)
        ))
    if coupon.voided_at is not None:
        raise Conflict(_("Coupon {code} is void and cannot be printed.").format(
            code=coupon.grouped_code
        ))
