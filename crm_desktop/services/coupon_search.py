"""The coupon list of the Coupons desk: by status, searched by code or customer name.

A code is matched anywhere in it, as typed or scanned (dashes and case do not matter); a
name is matched word by word against the customer's folded search text, so "mäk" finds
"MÄKINEN" on SQLite too, where LIKE folds ASCII only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.models import Coupon, Customer
from crm_desktop.models.search_index import fold
from crm_desktop.services.coupon_codes import ALPHABET, normalise_code
from crm_desktop.services.coupon_data import STATUS_FILTERS, CouponInfo
from crm_desktop.services.coupon_queries import (
    DEFAULT_LIMIT,
    _status_condition,  # the one definition of active/redeemed/expired/void in SQL
    coupon_select,
    to_info,
)
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.settings import load_settings

__all__ = ["CouponList", "search_coupons"]

_SHORTEST_CODE_PART = 2  # one symbol would match most codes


@dataclass(frozen=True)
class CouponList:
    """One screenful of coupons, newest first; ``more`` when the limit cut the list short."""

    coupons: tuple[CouponInfo, ...]
    more: bool
    today: date
    currency: str


def search_coupons(
    session: Session,
    text: str = "",
    status: str = "all",
    today: date | None = None,
    limit: int = DEFAULT_LIMIT,
) -> CouponList:
    """Coupons with this status whose code or customer matches ``text`` (all when empty)."""
    if status not in STATUS_FILTERS:
        raise ValidationError(
            {"status": _("Unknown coupon status “{status}”.").format(status=status)}
        )
    today = today or date.today()
    statement = coupon_select().order_by(Coupon.issued_at.desc(), Coupon.id.desc())
    if status != "all":
        statement = statement.where(_status_condition(status, today))
    condition = _text_condition(text)
    if condition is not None:
        statement = statement.where(condition)
    found = [to_info(row) for row in session.execute(statement.limit(limit + 1))]
    return CouponList(
        tuple(found[:limit]), len(found) > limit, today, load_settings(session).currency
    )


def _text_condition(text: str) -> Any:
    """SQL for "the code contains it, or the customer's name has all its words"; None: all."""
    alternatives: list[ColumnElement[bool]] = []
    code_part = normalise_code(text)
    if len(code_part) >= _SHORTEST_CODE_PART and all(ch in ALPHABET for ch in code_part):
        # Only symbols of the alphabet: nothing in it is a LIKE wildcard.
        alternatives.append(Coupon.code.like(f"%{code_part}%"))
    words = fold(text).split()  # letters and digits only: no LIKE wildcards either
    if words:
        alternatives.append(and_(*(Customer.search_text.like(f"%{word}%") for word in words)))
    if not alternatives:
        return None if not text.strip() else Coupon.id.is_(None)
    return or_(*alternatives)
