"""Reading coupons: one by code, lists by status, and the ones about to expire."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.models import Coupon, Customer, Product, Redemption
from crm_desktop.services.coupon_codes import check_code
from crm_desktop.services.coupon_data import (
    ACTIVE,
    EXPIRED,
    REDEEMED,
    STATUS_FILTERS,
    VOID,
    CouponInfo,
)
from crm_desktop.services.coupon_text import typo_message, unknown_message
from crm_desktop.services.customer_data import display_name
from crm_desktop.services.errors import NotFound, ValidationError

DEFAULT_LIMIT = 500
_CHUNK = 500  # codes per IN (…): well under every backend's limit on bound parameters


def coupon_select() -> Select[Coupon, datetime, str, str, str, str, str, str]:
    """Coupon columns with its redemption, product and customer, one row per coupon."""
    return (
        select(
            Coupon,
            Redemption.redeemed_at,
            Redemption.desk,
            Product.name.label("product_name"),
            Customer.first_name,
            Customer.last_name,
            Customer.company,
            Customer.language,
        )
        .outerjoin(Redemption, Redemption.coupon_id == Coupon.id)
        .outerjoin(Product, Product.id == Coupon.product_id)
        .outerjoin(Customer, Customer.id == Coupon.customer_id)
    )


def to_info(row: Any) -> CouponInfo:
    coupon: Coupon = row.Coupon
    customer_name = ""
    if coupon.customer_id is not None:
        customer_name = display_name(row.first_name or "", row.last_name or "", row.company or "")
    return CouponInfo(
        id=coupon.id,
        code=coupon.code,
        kind=coupon.kind,
        value=coupon.value,
        product_id=coupon.product_id,
        product_name=row.product_name or "",
        reason=coupon.reason,
        customer_id=coupon.customer_id,
        customer_name=customer_name,
        customer_language=row.language or "",
        terms=coupon.terms,
        issued_at=coupon.issued_at,
        expires_on=coupon.expires_on,
        voided_at=coupon.voided_at,
        void_reason=coupon.void_reason,
        redeemed_at=row.redeemed_at,
        redeemed_desk=row.desk or "",
    )


def find_coupon(session: Session, code: str) -> CouponInfo | None:
    """The coupon with this normalised code, read fresh from the database."""
    # populate_existing: another desk may have changed the coupon since this session saw it.
    statement = coupon_select().where(Coupon.code == code).execution_options(
        populate_existing=True
    )
    row = session.execute(statement).first()
    return to_info(row) if row is not None else None


def coupons_by_code(session: Session, codes: Sequence[str]) -> dict[str, CouponInfo]:
    """Many coupons by normalised code in a few queries; unknown codes are simply absent."""
    wanted = list(dict.fromkeys(codes))
    found: dict[str, CouponInfo] = {}
    for start in range(0, len(wanted), _CHUNK):
        statement = coupon_select().where(Coupon.code.in_(wanted[start : start + _CHUNK]))
        for row in session.execute(statement):
            info = to_info(row)
            found[info.code] = info
    return found


def require_code(typed: str) -> str:
    """The normalised code, or ValidationError naming the typo."""
    code = check_code(typed)
    if code is None:
        raise ValidationError({"code": typo_message(typed)})
    return code


def get_coupon(session: Session, typed_code: str) -> CouponInfo:
    """One coupon by its code as typed or scanned."""
    return existing_coupon(session, require_code(typed_code))


def existing_coupon(session: Session, code: str) -> CouponInfo:
    """The coupon with this normalised code, or NotFound."""
    coupon = find_coupon(session, code)
    if coupon is None:
        raise NotFound(unknown_message(code))
    return coupon


def list_coupons(
    session: Session,
    status: str = "all",
    customer_id: int | None = None,
    today: date | None = None,
    limit: int | None = DEFAULT_LIMIT,
) -> list[CouponInfo]:
    """Coupons newest first, by status (all, active, redeemed, expired, void) and customer."""
    if status not in STATUS_FILTERS:
        raise ValidationError(
            {"status": _("Unknown coupon status “{status}”.").format(status=status)}
        )
    statement = coupon_select().order_by(Coupon.issued_at.desc(), Coupon.id.desc())
    if status != "all":
        statement = statement.where(_status_condition(status, today or date.today()))
    if customer_id is not None:
        statement = statement.where(Coupon.customer_id == customer_id)
    if limit is not None:
        statement = statement.limit(limit)
    return [to_info(row) for row in session.execute(statement)]


def expiring_coupons(
    session: Session, today: date, within_days: int = 14, customer_id: int | None = None
) -> list[CouponInfo]:
    """Usable coupons whose last day falls within the window (today included), soonest first."""
    if within_days < 0:
        raise ValidationError({"within_days": _("The number of days cannot be negative.")})
    last = today + timedelta(days=within_days)
    statement = (
        coupon_select()
        .where(_status_condition(ACTIVE, today), Coupon.expires_on <= last)
        .order_by(Coupon.expires_on, Coupon.id)
    )
    if customer_id is not None:
        statement = statement.where(Coupon.customer_id == customer_id)
    return [to_info(row) for row in session.execute(statement)]


def _status_condition(status: str, today: date) -> Any:
    """SQL for CouponInfo.status(): redeemed beats void, void beats expired."""
    redeemed = Redemption.id.is_not(None)
    unredeemed = Redemption.id.is_(None)
    expired = and_(Coupon.expires_on.is_not(None), Coupon.expires_on < today)
    conditions = {
        REDEEMED: redeemed,
        VOID: and_(unredeemed, Coupon.voided_at.is_not(None)),
        EXPIRED: and_(unredeemed, Coupon.voided_at.is_(None), expired),
        ACTIVE: and_(
            unredeemed,
            Coupon.voided_at.is_(None),
            or_(Coupon.expires_on.is_(None), Coupon.expires_on >= today),
        ),
    }
    return conditions[status]
