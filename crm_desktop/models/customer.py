"""Customers and their contact details, tags and consent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_desktop.models.base import Base, utcnow

CUSTOMER_STATUSES = ("active", "inactive", "lost")
CONSENT_CHANNELS = ("post", "email", "sms", "phone")


class Customer(Base):
    __tablename__ = "customer"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'inactive', 'lost')", name="status"),
        Index("ix_customer_sort_name", "sort_name", "id"),
        Index("ix_customer_city_sort", "city_key", "sort_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    salutation: Mapped[str] = mapped_column(String(50), default="")
    company: Mapped[str] = mapped_column(String(200), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="FI")
    language: Mapped[str] = mapped_column(String(8), default="fi")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="active")
    customer_since: Mapped[date | None] = mapped_column(Date)
    do_not_market: Mapped[bool] = mapped_column(Boolean, default=False)
    # Derived columns kept by the service layer: a case- and accent-free sort key and the
    # normalised text that the search indexes read.
    sort_name: Mapped[str] = mapped_column(String(210), default="")
    city_key: Mapped[str] = mapped_column(String(100), default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    last_visit_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    # Derived for the Today agenda, kept by the services that write their sources, so that
    # anniversaries and lapsed regulars are indexed range queries, never a scan of everyone:
    # month * 100 + day of customer_since; the median gap in days between the last visits
    # (None below three visits); and the day the customer lapses by that interval.
    since_month_day: Mapped[int | None] = mapped_column(Integer, index=True)
    usual_visit_days: Mapped[int | None] = mapped_column(Integer)
    regular_lapse_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    emails: Mapped[list[CustomerEmail]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="CustomerEmail.position"
    )
    phones: Mapped[list[CustomerPhone]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="CustomerPhone.position"
    )
    tags: Mapped[list[CustomerTag]] = relationship(
        cascade="all, delete-orphan", order_by="CustomerTag.name"
    )
    consents: Mapped[list[Consent]] = relationship(cascade="all, delete-orphan")


class CustomerEmail(Base):
    __tablename__ = "customer_email"
    __table_args__ = (Index("ix_customer_email_address_key", "address_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    address: Mapped[str] = mapped_column(String(254))
    address_key: Mapped[str] = mapped_column(String(254))
    label: Mapped[str] = mapped_column(String(30), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    customer: Mapped[Customer] = relationship(back_populates="emails")


class CustomerPhone(Base):
    __tablename__ = "customer_phone"
    __table_args__ = (Index("ix_customer_phone_e164", "e164"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    e164: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(30), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    customer: Mapped[Customer] = relationship(back_populates="phones")


class CustomerTag(Base):
    __tablename__ = "customer_tag"
    __table_args__ = (Index("ix_customer_tag_name", "name"),)

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(50), primary_key=True)


class Consent(Base):
    """Consent to be contacted on one channel, with when and how it was given or refused."""

    __tablename__ = "consent"
    __table_args__ = (
        CheckConstraint("channel IN ('post', 'email', 'sms', 'phone')", name="channel"),
    )

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(10), primary_key=True)
    granted: Mapped[bool] = mapped_column(Boolean)
    recorded_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(100), default="")
