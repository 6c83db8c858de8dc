"""Likely duplicates: the same email or phone, or a very similar name in the same city."""

from __future__ import annotations

from difflib import SequenceMatcher

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop.models import Customer, CustomerEmail, CustomerPhone
from crm_desktop.models.search_index import fold
from crm_desktop.services.customer_data import CustomerInput, DuplicateMatch, display_name
from crm_desktop.services.validation import email_key, normalise_email, normalise_phone

NAME_SIMILARITY = 0.88
MAX_MATCHES = 5


def find_likely_duplicates(
    session: Session, data: CustomerInput, region: str, exclude_id: int | None = None
) -> list[DuplicateMatch]:
    found: dict[int, str] = {}
    for customer_id in _same_email(session, data):
        found.setdefault(customer_id, "email")
    for customer_id in _same_phone(session, data, region):
        found.setdefault(customer_id, "phone")
    for customer_id in _similar_name(session, data):
        found.setdefault(customer_id, "name")
    found.pop(exclude_id or -1, None)
    ids = list(found)[:MAX_MATCHES]
    rows = session.execute(
        select(
            Customer.id, Customer.first_name, Customer.last_name, Customer.company, Customer.city
        ).where(Customer.id.in_(ids))
    ).all()
    by_id = {row[0]: row for row in rows}
    return [
        DuplicateMatch(i, display_name(*by_id[i][1:4]), by_id[i][4], found[i])
        for i in ids
        if i in by_id
    ]


def _same_email(session: Session, data: CustomerInput) -> list[int]:
    keys = set()
    for email in data.emails:
        try:
            keys.add(email_key(normalise_email(email.address)))
        except ValueError:
            continue
    if not keys:
        return []
    statement = select(CustomerEmail.customer_id).where(CustomerEmail.address_key.in_(keys))
    return list(session.scalars(statement))


def _same_phone(session: Session, data: CustomerInput, region: str) -> list[int]:
    numbers = set()
    for phone in data.phones:
        try:
            numbers.add(normalise_phone(phone.number, region))
        except ValueError:
            continue
    if not numbers:
        return []
    statement = select(CustomerPhone.customer_id).where(CustomerPhone.e164.in_(numbers))
    return list(session.scalars(statement))


def _similar_name(session: Session, data: CustomerInput) -> list[int]:
    wanted = fold(f"{data.last_name} {data.first_name}")
    city = fold(data.city)
    if len(wanted) < 3 or not city:
        return []
    # Only names starting alike in the same city are compared, which keeps this an index scan.
    candidates = session.execute(
        select(Customer.id, Customer.sort_name).where(
            Customer.city_key == city, Customer.sort_name.startswith(wanted[:2])
        )
    ).all()
    return [
        row[0]
        for row in candidates
        if SequenceMatcher(None, wanted, row[1]).ratio() >= NAME_SIMILARITY
    ]
