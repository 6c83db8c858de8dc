"""Coupons for the window tests, written straight through the services."""

from __future__ import annotations

from datetime import date, timedelta

from crm_desktop.services import coupons
from crm_desktop.services.coupon_data import CouponInfo
from crm_desktop.services.database import Database

IN_A_MONTH = date.today() + timedelta(days=30)


def issue(
    database: Database,
    customer_id: int | None = None,
    kind: str = "amount",
    value: int = 500,
    expires_on: date | None = IN_A_MONTH,
    today: date | None = None,
) -> CouponInfo:
    with database.session() as session:
        return coupons.issue_coupon(
            session, kind, value, expires_on, "complaint", customer_id, None, today=today
        ).coupon


def coupon(database: Database, code: str) -> CouponInfo:
    with database.session() as session:
        return coupons.get_coupon(session, code)


def redeem(database: Database, code: str, desk: str = "Till 1") -> None:
    with database.session() as session:
        coupons.redeem_coupon(session, code, desk)


def void(database: Database, code: str, reason: str = "Printed by mistake") -> None:
    with database.session() as session:
        coupons.void_coupon(session, code, reason)
