"""What makes a customer feel remembered: dates, favourites, referrals, history, reminders."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.models.base import Base, utcnow

DATE_KINDS = ("birthday", "anniversary", "custom")
REFERRAL_SOURCES = ("walk_in", "advert", "web", "event", "other")
REWARD_STATUSES = ("pending", "due", "rewarded", "declined")
TOUCHPOINT_KINDS = (
    "visit",
    "purchase",
    "call",
    "letter",
    "coupon_issued",
    "coupon_redeemed",
    "complaint",
    "note",
    "referral",
    "reminder_done",
)


class ImportantDate(Base):
    """A yearly date. Month and day are stored apart and the year only when known."""

    __tablename__ = "important_date"
    __table_args__ = (
        CheckConstraint("kind IN ('birthday', 'anniversary', 'custom')", name="kind"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month"),
        CheckConstraint("day BETWEEN 1 AND 31", name="day"),
        CheckConstraint("month_day = month * 100 + day", name="month_day"),
        CheckConstraint("lead_days IS NULL OR lead_days BETWEEN 0 AND 365", name="lead_days"),
        Index("ix_important_date_month_day", "month_day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(100), default="")
    month: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)
    month_day: Mapped[int] = mapped_column(Integer)
    # Indexed for the agenda: the few dates with a long lead time of their own.
    lead_days: Mapped[int | None] = mapped_column(Integer, index=True)


class Product(Base):
    __tablename__ = "product"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    category: Mapped[str] = mapped_column(String(50), default="")
    price_cents: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(default=True)


class Favourite(Base):
    __tablename__ = "favourite"
    __table_args__ = (UniqueConstraint("customer_id", "product_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(String(200), default="")


class Referral(Base):
    """How a customer came: referred by another customer, or from a source.

    Both may be empty once a referring customer is deleted: the referral itself stays.
    """

    __tablename__ = "referral"
    __table_args__ = (
        CheckConstraint("referrer_id IS NULL OR referrer_id <> referred_id", name="not_self"),
        CheckConstraint(
            "reward_status IN ('pending', 'due', 'rewarded', 'declined')", name="reward_status"
        ),
        # The Today agenda's referrers still to thank, without the many referrals from a
        # source, which stay pending for ever.
        Index("ix_referral_reward_status", "reward_status", "referrer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referred_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), unique=True
    )
    referrer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[str | None] = mapped_column(String(30))
    referred_on: Mapped[date | None] = mapped_column(Date)
    reward_status: Mapped[str] = mapped_column(String(16), default="pending")
    rewarded_at: Mapped[datetime | None] = mapped_column(DateTime)
    reward_coupon_id: Mapped[int | None] = mapped_column(
        ForeignKey("coupon.id", ondelete="SET NULL")
    )


class Touchpoint(Base):
    """One entry of a customer's history; the timeline and the last visit come from here."""

    __tablename__ = "touchpoint"
    __table_args__ = (Index("ix_touchpoint_customer_time", "customer_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    staff: Mapped[str] = mapped_column(String(50), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    complaint_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaint.id", ondelete="SET NULL")
    )
    coupon_id: Mapped[int | None] = mapped_column(ForeignKey("coupon.id", ondelete="SET NULL"))


class ReminderState(Base):
    """Done or snoozed for one occurrence of an agenda item (item key + occurrence)."""

    __tablename__ = "reminder_state"
    __table_args__ = (
        UniqueConstraint("item_key", "occurrence"),
        CheckConstraint("state IN ('done', 'snoozed')", name="state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_key: Mapped[str] = mapped_column(String(60))
    occurrence: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(10))
    # Indexed for the agenda: the few snoozes that ended lately, among years of done states.
    snoozed_until: Mapped[date | None] = mapped_column(Date, index=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
