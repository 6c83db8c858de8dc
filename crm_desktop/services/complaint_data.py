"""Plain data for complaints: what the desk registers, how it is resolved, what lists show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from crm_desktop.i18n import N_
from crm_desktop.services.changes import Changes
from crm_desktop.services.coupon_data import CouponInfo

COMPLAINT_CHANNELS: dict[str, str] = {
    "in_person": N_("In person"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "letter": N_("Letter"),
    "web": N_("Web form"),
    "social_media": N_("Social media"),
}
REMEDY_LABELS: dict[str, str] = {
    "apology": N_("Apology only"),
    "replacement": N_("Replacement"),
    "refund": N_("Refund"),
    "coupon": N_("Coupon"),
}
SEVERITY_LABELS: dict[int, str] = {1: N_("Minor"), 2: N_("Serious"), 3: N_("Severe")}
COMPLAINT_STATUSES = ("open", "resolved", "closed")  # closed: followed up


@dataclass(frozen=True)
class ComplaintInput:
    customer_id: int
    received_on: date
    channel: str  # a key of COMPLAINT_CHANNELS
    description: str
    severity: int = 2  # 1 minor, 2 serious, 3 severe
    product_id: int | None = None
    staff: str = ""


@dataclass(frozen=True)
class CouponSpec:
    """The coupon a remedy gives; ``value`` as in coupons.issue_coupon."""

    kind: str  # free_item, percent, amount
    value: int
    expires_on: date | None
    product_id: int | None = None
    terms: str = ""


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    customer_id: int
    customer_name: str
    received_on: date
    channel: str
    product_id: int | None
    product_name: str
    description: str
    severity: int
    staff: str
    status: str  # open, resolved, closed
    remedy: str | None
    compensation_cents: int
    coupon_id: int | None
    coupon_code: str  # grouped for reading; "" without a coupon
    follow_up_on: date | None
    outcome: str
    resolved_at: datetime | None  # naive UTC


@dataclass(frozen=True)
class ComplaintFilter:
    status: str | None = None
    customer_id: int | None = None
    received_from: date | None = None
    received_until: date | None = None
    follow_up_due_by: date | None = None  # resolved complaints whose follow-up is due
    limit: int | None = 500


@dataclass(frozen=True)
class SavedComplaint:
    complaint: ComplaintRow
    changes: Changes


@dataclass(frozen=True)
class ResolvedComplaint:
    complaint: ComplaintRow
    coupon: CouponInfo | None  # the coupon issued with the remedy
    changes: Changes


@dataclass(frozen=True)
class RecoveryReport:
    """Complaints received from ``since`` through ``until`` and what became of them."""

    since: date
    until: date
    complaints: int
    open: int
    resolved: int
    closed: int
    by_remedy: tuple[tuple[str, int], ...]  # every remedy in a fixed order, zeros included
    total_compensation_cents: int
    customers: int  # different customers who complained
    came_back: int  # of those, how many visited on a later day than their last complaint

    @property
    def came_back_share(self) -> float | None:
        return self.came_back / self.customers if self.customers else None
