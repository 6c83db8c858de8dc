"""Service recovery and printed work: complaints, coupons, redemptions and letter templates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.models.base import Base, utcnow

COUPON_KINDS = ("free_item", "percent", "amount")
COUPON_REASONS = ("complaint", "birthday", "referral", "loyalty", "retention", "campaign")
REMEDIES = ("apology", "replacement", "refund", "coupon")


class Complaint(Base):
    __tablename__ = "complaint"
    __table_args__ = (
        CheckConstraint("severity BETWEEN 1 AND 3", name="severity"),
        CheckConstraint("status IN ('open', 'resolved', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    received_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20), default="in_person")
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[int] = mapped_column(Integer, default=2)
    staff: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    remedy: Mapped[str | None] = mapped_column(String(20))
    compensation_cents: Mapped[int] = mapped_column(Integer, default=0)
    coupon_id: Mapped[int | None] = mapped_column(ForeignKey("coupon.id", ondelete="SET NULL"))
    follow_up_on: Mapped[date | None] = mapped_column(Date, index=True)
    outcome: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)


class Coupon(Base):
    """A coupon; ``value`` is cents for ``amount``, whole percent for ``percent``."""

    __tablename__ = "coupon"
    __table_args__ = (
        CheckConstraint("kind IN ('free_item', 'percent', 'amount')", name="kind"),
        CheckConstraint("value >= 0", name="value"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[int] = mapped_column(Integer, default=0)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20), default="campaign")
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer.id", ondelete="SET NULL"), index=True
    )
    terms: Mapped[str] = mapped_column(Text, default="")
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    voided_at: Mapped[datetime | None] = mapped_column(DateTime)
    void_reason: Mapped[str] = mapped_column(Text, default="")


class Redemption(Base):
    """At most one row per coupon: the unique key is what makes a coupon single-use."""

    __tablename__ = "redemption"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coupon_id: Mapped[int] = mapped_column(ForeignKey("coupon.id", ondelete="CASCADE"), unique=True)
    redeemed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    desk: Mapped[str] = mapped_column(String(50), default="")
    staff: Mapped[str] = mapped_column(String(50), default="")


class CouponEvent(Base):
    """Audit log of a coupon: issued, redeemed, redemption undone, voided."""

    __tablename__ = "coupon_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coupon_id: Mapped[int] = mapped_column(ForeignKey("coupon.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    desk: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class LetterTemplate(Base):
    """An edited letter text; the shipped defaults live in ``resources/letters``."""

    __tablename__ = "letter_template"
    __table_args__ = (UniqueConstraint("kind", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
