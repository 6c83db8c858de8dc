"""Customer use cases: create, read, update, delete. Callers own the transaction."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from crm_desktop.i18n import _
from crm_desktop.models import (
    Consent,
    Customer,
    CustomerEmail,
    CustomerPhone,
    CustomerTag,
)
from crm_desktop.models.search_index import build_search_text, fold
from crm_desktop.services.changes import Changes
from crm_desktop.services.customer_data import (
    CUSTOMER_SCALAR_FIELDS,
    ConsentInput,
    CustomerDetail,
    CustomerInput,
    DeletedCustomer,
    EmailInput,
    PhoneInput,
    SavedCustomer,
)
from crm_desktop.services.errors import NotFound
from crm_desktop.services.occurrences import month_day
from crm_desktop.services.validation import (
    clean_customer,
    email_key,
    phone_search_digits,
)


def sort_key(first_name: str, last_name: str, company: str = "") -> str:
    """Case- and accent-free "last first" key, so Ähtäri sorts with the A's in the list."""
    return fold(f"{last_name} {first_name}") or fold(company)


def since_month_day(since: date | None) -> int | None:
    """``month * 100 + day`` of the customer-since date: the agenda's indexed key."""
    return None if since is None else month_day(since.month, since.day)


def search_text_for(data: CustomerInput, region: str) -> str:
    words = [data.first_name, data.last_name, data.company, data.city, data.postal_code]
    words.extend(email.address for email in data.emails)
    digits = [d for phone in data.phones for d in phone_search_digits(phone.number, region)]
    return build_search_text(words, digits)


def create_customer(
    session: Session, data: CustomerInput, region: str, today: date | None = None
) -> SavedCustomer:
    clean = clean_customer(data, region, today)
    customer = Customer(uid=str(uuid.uuid4()))
    apply_input(customer, clean, region)
    session.add(customer)
    session.flush()
    return SavedCustomer(to_detail(customer), Changes.of_customers(customer.id))


def update_customer(
    session: Session, customer_id: int, data: CustomerInput, region: str, today: date | None = None
) -> SavedCustomer:
    clean = clean_customer(data, region, today)
    customer = _load(session, customer_id)
    apply_input(customer, clean, region)
    session.flush()
    return SavedCustomer(to_detail(customer), Changes.of_customers(customer.id))


def get_customer(session: Session, customer_id: int) -> CustomerDetail:
    return to_detail(_load(session, customer_id))


def delete_customer(session: Session, customer_id: int) -> DeletedCustomer:
    """Delete a customer with everything that is theirs; the result can undo it."""
    from crm_desktop.services.portable import customer_record

    customer = _load(session, customer_id)
    record = customer_record(session, customer_id)
    name = to_detail(customer).display_name
    session.delete(customer)
    session.flush()
    return DeletedCustomer(customer_id, name, record, Changes.of_customers(customer_id))


def undo_delete(session: Session, deleted: DeletedCustomer) -> SavedCustomer:
    """Put a deleted customer back, with the same id and history."""
    from crm_desktop.services.portable import restore_record

    customer_id = restore_record(session, deleted.record, keep_id=True)
    return SavedCustomer(get_customer(session, customer_id), Changes.of_customers(customer_id))


def _load(session: Session, customer_id: int) -> Customer:
    customer = session.scalars(
        select(Customer)
        .where(Customer.id == customer_id)
        .options(
            selectinload(Customer.emails),
            selectinload(Customer.phones),
            selectinload(Customer.tags),
            selectinload(Customer.consents),
        )
    ).one_or_none()
    if customer is None:
        raise NotFound(_("Customer {id} does not exist.").format(id=customer_id))
    return customer


def apply_input(customer: Customer, data: CustomerInput, region: str) -> None:
    """Copy validated input onto a customer, with the derived sort, city and search keys."""
    for name in CUSTOMER_SCALAR_FIELDS:
        setattr(customer, name, getattr(data, name))
    customer.since_month_day = since_month_day(data.customer_since)
    customer.sort_name = sort_key(data.first_name, data.last_name, data.company)
    customer.city_key = fold(data.city)
    customer.search_text = search_text_for(data, region)
    customer.emails = [
        CustomerEmail(
            address=e.address, address_key=email_key(e.address), label=e.label, position=i
        )
        for i, e in enumerate(data.emails)
    ]
    customer.phones = [
        CustomerPhone(e164=p.number, label=p.label, position=i) for i, p in enumerate(data.phones)
    ]
    customer.tags = [CustomerTag(name=tag) for tag in data.tags]
    by_channel = {c.channel: c for c in data.consents}
    customer.consents = [
        Consent(channel=c.channel, granted=c.granted, recorded_on=c.recorded_on, source=c.source)
        for c in by_channel.values()
    ]


def to_detail(customer: Customer) -> CustomerDetail:
    data = CustomerInput(
        first_name=customer.first_name,
        last_name=customer.last_name,
        salutation=customer.salutation,
        company=customer.company,
        emails=tuple(EmailInput(e.address, e.label) for e in customer.emails),
        phones=tuple(PhoneInput(p.e164, p.label) for p in customer.phones),
        street=customer.street,
        postal_code=customer.postal_code,
        city=customer.city,
        country=customer.country,
        language=customer.language,
        notes=customer.notes,
        tags=tuple(t.name for t in customer.tags),
        status=customer.status,
        customer_since=customer.customer_since,
        do_not_market=customer.do_not_market,
        consents=tuple(
            ConsentInput(c.channel, c.granted, c.recorded_on, c.source)
            for c in sorted(customer.consents, key=lambda c: c.channel)
        ),
    )
    return CustomerDetail(
        id=customer.id,
        uid=customer.uid,
        data=data,
        created_at=customer.created_at,
        updated_at=customer.updated_at,
        last_visit_at=customer.last_visit_at,
    )


def delete_all_tags(session: Session, name: str) -> Changes:
    """Remove a tag from every customer (Settings → tags)."""
    ids = session.scalars(select(CustomerTag.customer_id).where(CustomerTag.name == name)).all()
    session.execute(delete(CustomerTag).where(CustomerTag.name == name))
    return Changes.of_customers(*ids)
