"""Plain data for customers: what the card edits, what the list shows, what a service returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from crm_desktop.services.changes import Changes


@dataclass(frozen=True)
class EmailInput:
    address: str
    label: str = ""


@dataclass(frozen=True)
class PhoneInput:
    number: str
    label: str = ""


@dataclass(frozen=True)
class ConsentInput:
    channel: str  # post, email, sms, phone
    granted: bool
    recorded_on: date | None = None
    source: str = ""


@dataclass(frozen=True)
class CustomerInput:
    """Everything the customer card edits. Phones may be typed in any local format."""

    first_name: str = ""
    last_name: str = ""
    salutation: str = ""
    company: str = ""
    emails: tuple[EmailInput, ...] = ()
    phones: tuple[PhoneInput, ...] = ()
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "FI"
    language: str = "fi"
    notes: str = ""
    tags: tuple[str, ...] = ()
    status: str = "active"
    customer_since: date | None = None
    do_not_market: bool = False
    consents: tuple[ConsentInput, ...] = ()


# The CustomerInput fields stored as plain customer columns (the rest are child rows).
CUSTOMER_SCALAR_FIELDS = (
    "first_name",
    "last_name",
    "salutation",
    "company",
    "street",
    "postal_code",
    "city",
    "country",
    "language",
    "notes",
    "status",
    "customer_since",
    "do_not_market",
)


@dataclass(frozen=True)
class CustomerDetail:
    """A saved customer; ``data`` holds the stored values (phones in E.164)."""

    id: int
    uid: str
    data: CustomerInput
    created_at: datetime
    updated_at: datetime
    last_visit_at: datetime | None

    @property
    def display_name(self) -> str:
        return display_name(self.data.first_name, self.data.last_name, self.data.company)


@dataclass(frozen=True)
class CustomerRow:
    """One line of the customer list."""

    id: int
    name: str
    city: str
    email: str
    phone: str
    last_visit_at: datetime | None
    customer_since: date | None
    status: str


@dataclass(frozen=True)
class SavedCustomer:
    customer: CustomerDetail
    changes: Changes


@dataclass(frozen=True)
class DeletedCustomer:
    """The deleted customer's full record, enough to undo the delete."""

    customer_id: int
    name: str
    record: dict[str, object] = field(repr=False)
    changes: Changes = field(default_factory=Changes)


@dataclass(frozen=True)
class DuplicateMatch:
    customer_id: int
    name: str
    city: str
    reason: str  # email, phone, name


def display_name(first_name: str, last_name: str, company: str = "") -> str:
    name = " ".join(part for part in (first_name.strip(), last_name.strip()) if part)
    return name or company.strip()
