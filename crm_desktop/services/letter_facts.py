"""What a letter needs to know about its customers, read in a handful of queries per batch.

A print run of a thousand letters must not cost a thousand round trips per detail, so the
favourite, the referred friend, the anniversary and the retention offer are each read for a
whole chunk of customers at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, selectinload

from crm_desktop.models import (
    Customer,
    Favourite,
    ImportantDate,
    Product,
    Referral,
    RetentionCase,
    RetentionOffer,
    Subscription,
)
from crm_desktop.services.customer_data import display_name

CHUNK = 500  # ids per IN (...) list, well below every backend's parameter limit


@dataclass(frozen=True)
class Anniversary:
    month: int
    day: int
    year: int


@dataclass(frozen=True)
class CustomerFacts:
    id: int
    first_name: str
    last_name: str
    salutation: str
    company: str
    street: str
    postal_code: str
    city: str
    country: str
    language: str
    do_not_market: bool
    post_consent: bool | None  # None: never asked
    favourite: str = ""
    friend_name: str = ""
    anniversary: Anniversary | None = None  # the first one with a known year
    plan: str = ""
    offer: str = ""
    offer_ends: date | None = None

    @property
    def name(self) -> str:
        return display_name(self.first_name, self.last_name, self.company)

    @property
    def has_postal_address(self) -> bool:
        """Street and town, and in Finland the postal code too: enough for the post to deliver."""
        if not (self.street.strip() and self.city.strip()):
            return False
        return bool(self.postal_code.strip()) or self.country not in ("", "FI")


def load_facts(session: Session, customer_ids: Sequence[int]) -> dict[int, CustomerFacts]:
    """Facts for every existing customer among ``customer_ids`` (unknown ids are left out)."""
    facts: dict[int, CustomerFacts] = {}
    unique = list(dict.fromkeys(customer_ids))
    for start in range(0, len(unique), CHUNK):
        facts.update(_load_chunk(session, unique[start : start + CHUNK]))
    return facts


def _load_chunk(session: Session, ids: list[int]) -> dict[int, CustomerFacts]:
    customers = session.scalars(
        select(Customer).where(Customer.id.in_(ids)).options(selectinload(Customer.consents))
    ).all()
    favourites = _first_per_customer(session.execute(
        select(Favourite.customer_id, Product.name)
        .join(Product, Product.id == Favourite.product_id)
        .where(Favourite.customer_id.in_(ids))
        .order_by(Favourite.id)
    ))
    friends = _friends(session, ids)
    anniversaries = _first_per_customer(session.execute(
        select(ImportantDate.customer_id, ImportantDate.month, ImportantDate.day,
               ImportantDate.year)
        .where(ImportantDate.customer_id.in_(ids), ImportantDate.kind == "anniversary",
               ImportantDate.year.is_not(None))
        .order_by(ImportantDate.id)
    ), whole_row=True)
    offers = _offers(session, ids)
    return {
        customer.id: _facts(customer, favourites, friends, anniversaries, offers)
        for customer in customers
    }


def _facts(
    customer: Customer,
    favourites: dict[int, Any],
    friends: dict[int, str],
    anniversaries: dict[int, Any],
    offers: dict[int, Any],
) -> CustomerFacts:
    post = next((c.granted for c in customer.consents if c.channel == "post"), None)
    anniversary = anniversaries.get(customer.id)
    offer = offers.get(customer.id)
    return CustomerFacts(
        id=customer.id, first_name=customer.first_name, last_name=customer.last_name,
        salutation=customer.salutation, company=customer.company, street=customer.street,
        postal_code=customer.postal_code, city=customer.city, country=customer.country,
        language=customer.language, do_not_market=customer.do_not_market, post_consent=post,
        favourite=favourites.get(customer.id, ""),
        friend_name=friends.get(customer.id, ""),
        anniversary=Anniversary(anniversary.month, anniversary.day, anniversary.year)
        if anniversary is not None else None,
        plan=offer.plan if offer is not None else "",
        offer=offer.description.strip() if offer is not None else "",
        offer_ends=offer.ends_on if offer is not None else None,
    )


def _friends(session: Session, ids: list[int]) -> dict[int, str]:
    """The most recently referred friend of each referrer, by first name."""
    friend = aliased(Customer)
    rows = session.execute(
        select(Referral.referrer_id, friend.first_name, friend.last_name, friend.company)
        .join(friend, friend.id == Referral.referred_id)
        .where(Referral.referrer_id.in_(ids))
        .order_by(Referral.referred_on.desc().nulls_last(), Referral.id.desc())
    )
    names: dict[int, str] = {}
    for referrer_id, first, last, company in rows:
        if referrer_id is not None:
            names.setdefault(referrer_id, _friend_name(first, last, company))
    return names


def friend_name_of(session: Session, customer_id: int) -> str:
    """How a letter names this customer as someone's referred friend ("" when unknown)."""
    row = session.execute(
        select(Customer.first_name, Customer.last_name, Customer.company).where(
            Customer.id == customer_id
        )
    ).first()
    return _friend_name(row.first_name, row.last_name, row.company) if row is not None else ""


def _friend_name(first: str, last: str, company: str) -> str:
    return first.strip() or display_name(first, last, company)


def _offers(session: Session, ids: list[int]) -> dict[int, Any]:
    """The newest accepted retention offer of each customer, with the plan it kept."""
    rows = session.execute(
        select(Subscription.customer_id, Subscription.plan, RetentionOffer.description,
               RetentionOffer.ends_on)
        .join(RetentionCase, RetentionCase.subscription_id == Subscription.id)
        .join(RetentionOffer, RetentionOffer.case_id == RetentionCase.id)
        .where(Subscription.customer_id.in_(ids), RetentionOffer.accepted.is_(True))
        .order_by(RetentionCase.opened_at.desc(), RetentionOffer.id.desc())
    )
    return _first_per_customer(rows, whole_row=True)


def _first_per_customer(rows: Iterable[Any], whole_row: bool = False) -> dict[int, Any]:
    """The first row per customer (rows come ordered); the second column unless whole_row."""
    found: dict[int, Any] = {}
    for row in rows:
        found.setdefault(row[0], row if whole_row else row[1])
    return found
