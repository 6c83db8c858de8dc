"""SQLAlchemy models, engine set-up and migrations. No Qt here."""

from crm_desktop.models.base import Base, utcnow
from crm_desktop.models.customer import (
    CONSENT_CHANNELS,
    CUSTOMER_STATUSES,
    Consent,
    Customer,
    CustomerEmail,
    CustomerPhone,
    CustomerTag,
)
from crm_desktop.models.loyalty import (
    LoyaltyCard,
    LoyaltyProgram,
    RetentionCase,
    RetentionOffer,
    Setting,
    Stamp,
    Subscription,
)
from crm_desktop.models.personal import (
    DATE_KINDS,
    REFERRAL_SOURCES,
    TOUCHPOINT_KINDS,
    Favourite,
    ImportantDate,
    Product,
    Referral,
    ReminderState,
    Touchpoint,
)
from crm_desktop.models.recovery import (
    COUPON_KINDS,
    Complaint,
    Coupon,
    CouponEvent,
    LetterTemplate,
    Redemption,
)

__all__ = [
    "CONSENT_CHANNELS",
    "COUPON_KINDS",
    "CUSTOMER_STATUSES",
    "DATE_KINDS",
    "REFERRAL_SOURCES",
    "TOUCHPOINT_KINDS",
    "Base",
    "Complaint",
    "Consent",
    "Coupon",
    "CouponEvent",
    "Customer",
    "CustomerEmail",
    "CustomerPhone",
    "CustomerTag",
    "Favourite",
    "ImportantDate",
    "LetterTemplate",
    "LoyaltyCard",
    "LoyaltyProgram",
    "Product",
    "Redemption",
    "Referral",
    "ReminderState",
    "RetentionCase",
    "RetentionOffer",
    "Setting",
    "Stamp",
    "Subscription",
    "Touchpoint",
    "utcnow",
]
