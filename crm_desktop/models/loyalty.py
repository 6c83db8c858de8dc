"""Loyalty punch cards, subscriptions and retention, and the business settings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.models.base import Base, utcnow


class LoyaltyProgram(Base):
    """ "Buy N, get one free" for a product or a whole category."""

    __tablename__ = "loyalty_program"
    __table_args__ = (CheckConstraint("stamps_required > 0", name="stamps_required"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="SET NULL"))
    category: Mapped[str] = mapped_column(String(50), default="")
    stamps_required: Mapped[int] = mapped_column(Integer)
    reward: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class LoyaltyCard(Base):
    """A customer's card; its terms are copied from the program so later edits never apply."""

    __tablename__ = "loyalty_card"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("loyalty_program.id"), index=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    stamps_required: Mapped[int] = mapped_column(Integer)
    reward: Mapped[str] = mapped_column(String(200), default="")
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reward_coupon_id: Mapped[int | None] = mapped_column(
        ForeignKey("coupon.id", ondelete="SET NULL")
    )


class Stamp(Base):
    """Append-only: a mistaken stamp is cancelled by a reversal row, never deleted."""

    __tablename__ = "stamp"
    __table_args__ = (CheckConstraint("quantity <> 0", name="quantity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[int] = mapped_column(
        ForeignKey("loyalty_card.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("stamp.id"), unique=True)
    staff: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class Subscription(Base):
    __tablename__ = "subscription"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'cancelled', 'paused')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    plan: Mapped[str] = mapped_column(String(100))
    monthly_price_cents: Mapped[int] = mapped_column(Integer, default=0)
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="active")


class RetentionCase(Base):
    """A subscriber who called to cancel: the reason, and what came of it."""

    __tablename__ = "retention_case"
    __table_args__ = (
        CheckConstraint("outcome IN ('open', 'retained', 'cancelled')", name="outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscription.id", ondelete="CASCADE"), index=True
    )
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(10), default="open")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)


class RetentionOffer(Base):
    __tablename__ = "retention_offer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("retention_case.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="")
    ends_on: Mapped[date | None] = mapped_column(Date, index=True)
    accepted: Mapped[bool | None] = mapped_column(Boolean)


class Setting(Base):
    """Business settings shared by every desk; values are JSON text."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
