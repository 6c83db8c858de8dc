"""What the coupon services hand upward: plain, frozen data, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from crm_desktop.services.changes import Changes
from crm_desktop.services.coupon_codes import group_code

ACTIVE, REDEEMED, EXPIRED, VOID = "active", "redeemed", "expired", "void"
COUPON_STATUSES = (ACTIVE, REDEEMED, EXPIRED, VOID)
STATUS_FILTERS = ("all", *COUPON_STATUSES)

# The answers of a redemption attempt; only REDEEMED_NOW means the customer gets the benefit.
REDEEMED_NOW = "redeemed"
ALREADY_REDEEMED = "already_redeemed"
UNKNOWN = "unknown"
TYPO = "typo"
REDEMPTION_ANSWERS = (REDEEMED_NOW, ALREADY_REDEEMED, EXPIRED, VOID, UNKNOWN, TYPO)


def local_date(utc: datetime) -> date:
    """The date on this computer's calendar of a naive UTC timestamp from the database."""
    return utc.replace(tzinfo=UTC).astimezone().date()


@dataclass(frozen=True)
class CouponInfo:
    """One coupon with what the desk needs to know about it."""

    id: int
    code: str  # normalised: 13 symbols, no dashes
    kind: str  # free_item, percent, amount
    value: int  # cents for amount, whole percent for percent, the item's worth for free_item
    product_id: int | None
    product_name: str
    reason: str
    customer_id: int | None
    customer_name: str  # "" for a coupon to anyone
    customer_language: str  # what the coupon is printed in
    terms: str
    issued_at: datetime  # naive UTC
    expires_on: date | None  # the last day it is valid; None never expires
    voided_at: datetime | None
    void_reason: str
    redeemed_at: datetime | None
    redeemed_desk: str

    @property
    def grouped_code(self) -> str:
        return group_code(self.code)

    def is_expired(self, today: date) -> bool:
        return self.expires_on is not None and today > self.expires_on

    def status(self, today: date) -> str:
        """Redeemed wins over void, void over expired: the answer that explains the most."""
        if self.redeemed_at is not None:
            return REDEEMED
        if self.voided_at is not None:
            return VOID
        if self.is_expired(today):
            return EXPIRED
        return ACTIVE


@dataclass(frozen=True)
class IssuedCoupon:
    coupon: CouponInfo
    changes: Changes


@dataclass(frozen=True)
class ChangedCoupon:
    """A coupon after it was voided or its redemption undone."""

    coupon: CouponInfo
    changes: Changes


@dataclass(frozen=True)
class RedemptionOutcome:
    """The one answer to "can this code be redeemed?"; ``message`` is that answer in a line."""

    status: str  # one of REDEMPTION_ANSWERS
    code: str  # the normalised code as typed (grouped when it is well formed)
    message: str
    coupon: CouponInfo | None = None
    redeemed_at: datetime | None = None  # naive UTC, for REDEEMED_NOW and ALREADY_REDEEMED
    desk: str = ""
    changes: Changes = field(default_factory=Changes)

    @property
    def redeemed_now(self) -> bool:
        return self.status == REDEEMED_NOW

    @property
    def redeemed_on(self) -> date | None:
        return local_date(self.redeemed_at) if self.redeemed_at is not None else None

    @property
    def expires_on(self) -> date | None:
        return self.coupon.expires_on if self.coupon is not None else None

    @property
    def voided_on(self) -> date | None:
        if self.coupon is None or self.coupon.voided_at is None:
            return None
        return local_date(self.coupon.voided_at)

    def to_json(self) -> dict[str, object]:
        """For ``crm-desktop coupon redeem --json``: dates in ISO form, absent ones null."""
        coupon = self.coupon
        return {
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "redeemed_on": _iso(self.redeemed_on),
            "redeemed_at": _iso_utc(self.redeemed_at),
            "desk": self.desk or None,
            "expires_on": _iso(self.expires_on),
            "voided_on": _iso(self.voided_on),
            "kind": coupon.kind if coupon else None,
            "value": coupon.value if coupon else None,
            "customer_id": coupon.customer_id if coupon else None,
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _iso_utc(value: datetime | None) -> str | None:
    return value.replace(tzinfo=UTC).isoformat() if value is not None else None
