"""Shared set-up for the letter, batch and complaint tests: a business and its customers."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

from pypdf import PdfReader
from sqlalchemy.orm import Session

from crm_desktop.models import Favourite, Product
from crm_desktop.services.customer_data import ConsentInput, CustomerInput
from crm_desktop.services.customers import create_customer
from crm_desktop.services.settings import BusinessSettings, save_settings

TODAY = date(2026, 11, 22)
BUSINESS = BusinessSettings(
    name="Kahvila Korvapuusti Oy", street="Kauppakatu 12", postal_code="40100",
    city="Jyväskylä", business_id="1234567-1", phone="+358401234567",
    email="info@korvapuusti.fi", website="www.korvapuusti.fi",
)


def setup_business(session: Session, **changes: object) -> None:
    save_settings(session, replace(BUSINESS, **changes))  # type: ignore[arg-type]


def add_customer(
    session: Session,
    first_name: str = "Aino",
    last_name: str = "Mäkinen",
    language: str = "fi",
    refuses_post: bool = False,
    **changes: object,
) -> int:
    data = CustomerInput(
        first_name=first_name, last_name=last_name, street="Kirkkokatu 3 A 4",
        postal_code="40100", city="Jyväskylä", language=language,
    )
    if refuses_post:
        data = replace(data, consents=(ConsentInput("post", False, date(2026, 1, 5), "form"),))
    data = replace(data, **changes)  # type: ignore[arg-type]
    return create_customer(session, data, "FI", today=TODAY).customer.id


def add_product(session: Session, name: str, price_cents: int | None = None) -> int:
    product = Product(name=name, price_cents=price_cents)
    session.add(product)
    session.flush()
    return product.id


def add_favourite(session: Session, customer_id: int, product_name: str) -> None:
    session.add(Favourite(customer_id=customer_id, product_id=add_product(session, product_name)))
    session.flush()


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)
