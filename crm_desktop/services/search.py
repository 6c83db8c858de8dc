"""Finding customers: type-ahead search, filters and sorting for the customer list.

The list works over ids (cheap even at 100,000 customers) and fetches full rows only for
what is on screen, so nothing loads every customer as an object.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, text
from sqlalchemy.orm import Session

from crm_desktop.models import Customer, CustomerEmail, CustomerPhone, CustomerTag
from crm_desktop.models.search_index import FTS_PREFIX_TABLE, FTS_TRIGRAM_TABLE, fold
from crm_desktop.services.customer_data import CustomerRow, display_name

SORT_COLUMNS = ("name", "city", "last_visit", "customer_since")
_PHONE_LIKE = re.compile(r"^\+?[\d\s\-/()]+$")


@dataclass(frozen=True)
class CustomerQuery:
    text: str = ""
    tag: str | None = None
    status: str | None = None
    sort: str = "name"
    descending: bool = False


@dataclass(frozen=True)
class CustomerPage:
    rows: tuple[CustomerRow, ...]
    total: int


def search_tokens(query: str) -> list[str]:
    """Folded words of the query; a phone number typed with spaces becomes one digit run."""
    stripped = query.strip()
    if _PHONE_LIKE.match(stripped) and sum(ch.isdigit() for ch in stripped) >= 3:
        return [re.sub(r"\D", "", stripped)]
    return fold(stripped).split()


def _sqlite_text_filter(tokens: Sequence[str]) -> list[ColumnElement[bool]]:
    # The trigram index needs three characters; shorter words use the prefix index.
    short = [t for t in tokens if len(t) < 3]
    long = [t for t in tokens if len(t) >= 3]
    filters: list[ColumnElement[bool]] = []
    if short:
        expression = " AND ".join(f'"{t}"*' for t in short)
        filters.append(
            Customer.id.in_(
                select(text("rowid"))
                .select_from(text(FTS_PREFIX_TABLE))
                .where(text(f"{FTS_PREFIX_TABLE} MATCH :prefix_query"))
                .params(prefix_query=expression)
            )
        )
    if long:
        expression = " AND ".join(f'"{t}"' for t in long)
        filters.append(
            Customer.id.in_(
                select(text("rowid"))
                .select_from(text(FTS_TRIGRAM_TABLE))
                .where(text(f"{FTS_TRIGRAM_TABLE} MATCH :trigram_query"))
                .params(trigram_query=expression)
            )
        )
    return filters


def _postgres_text_filter(tokens: Sequence[str]) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    for token in tokens:  # folded tokens hold only letters and digits: no LIKE wildcards
        if len(token) >= 3:
            filters.append(Customer.search_text.like(f"%{token}%"))
        else:
            filters.append(
                or_(
                    Customer.search_text.like(f"{token}%"),
                    Customer.search_text.like(f"% {token}%"),
                )
            )
    return filters


def _filters(session: Session, query: CustomerQuery) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    tokens = search_tokens(query.text)
    if tokens:
        if session.get_bind().dialect.name == "sqlite":
            filters.extend(_sqlite_text_filter(tokens))
        else:
            filters.extend(_postgres_text_filter(tokens))
    if query.tag:
        filters.append(
            Customer.id.in_(select(CustomerTag.customer_id).where(CustomerTag.name == query.tag))
        )
    if query.status:
        filters.append(Customer.status == query.status)
    return filters


def _order(query: CustomerQuery) -> list[ColumnElement[Any]]:
    column = {
        "name": Customer.sort_name,
        "city": Customer.city_key,
        "last_visit": Customer.last_visit_at,
        "customer_since": Customer.customer_since,
    }[query.sort if query.sort in SORT_COLUMNS else "name"]
    primary = column.desc() if query.descending else column.asc()
    if query.sort in ("last_visit", "customer_since"):
        primary = primary.nulls_last()
    return [primary, Customer.sort_name.asc(), Customer.id.asc()]


def _id_select(session: Session, query: CustomerQuery) -> Select[Any]:
    return select(Customer.id).where(*_filters(session, query))


def customer_ids(session: Session, query: CustomerQuery) -> list[int]:
    """Every matching id in display order (the list model fetches rows for these lazily)."""
    return list(session.scalars(_id_select(session, query).order_by(*_order(query))))


def count_customers(session: Session, query: CustomerQuery) -> int:
    subquery = _id_select(session, query).subquery()
    return int(session.scalar(select(func.count()).select_from(subquery)) or 0)


def search_customers(
    session: Session, query: CustomerQuery, limit: int = 50, offset: int = 0
) -> CustomerPage:
    """One page of matches in display order, with the total number of matches."""
    ids = list(
        session.scalars(
            _id_select(session, query).order_by(*_order(query)).limit(limit).offset(offset)
        )
    )
    total = len(ids) + offset if len(ids) < limit else count_customers(session, query)
    return CustomerPage(tuple(customer_rows(session, ids)), total)


def customer_rows(session: Session, ids: Sequence[int]) -> list[CustomerRow]:
    """Rows for the given ids, in the same order (missing ids are skipped)."""
    if not ids:
        return []
    first_email = (
        select(CustomerEmail.address)
        .where(CustomerEmail.customer_id == Customer.id)
        .order_by(CustomerEmail.position)
        .limit(1)
        .scalar_subquery()
    )
    first_phone = (
        select(CustomerPhone.e164)
        .where(CustomerPhone.customer_id == Customer.id)
        .order_by(CustomerPhone.position)
        .limit(1)
        .scalar_subquery()
    )
    statement = select(
        Customer.id,
        Customer.first_name,
        Customer.last_name,
        Customer.company,
        Customer.city,
        first_email,
        first_phone,
        Customer.last_visit_at,
        Customer.customer_since,
        Customer.status,
    ).where(Customer.id.in_(list(ids)))
    by_id = {
        row[0]: CustomerRow(
            id=row[0],
            name=display_name(row[1], row[2], row[3]),
            city=row[4],
            email=row[5] or "",
            phone=row[6] or "",
            last_visit_at=row[7],
            customer_since=row[8],
            status=row[9],
        )
        for row in session.execute(statement)
    }
    return [by_id[i] for i in ids if i in by_id]


def all_tags(session: Session) -> list[str]:
    return list(session.scalars(select(CustomerTag.name).distinct().order_by(CustomerTag.name)))
