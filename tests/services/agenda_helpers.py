"""Building blocks for the agenda tests: customers, dates, visits and settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

from crm_desktop.models import Customer, Touchpoint
from crm_desktop.services.customer_data import CustomerInput
from crm_desktop.services.customers import create_customer
from crm_desktop.services.important_dates import DateInput, add_date
from crm_desktop.services.settings import load_settings, save_settings
from crm_desktop.services.visit_habits import refresh_visit_habit


def customer(session, first: str = "Maija", last: str = "Mäkinen", **fields) -> int:
    data = CustomerInput(first_name=first, last_name=last, **fields)
    return create_customer(session, data, "FI", today=date(2100, 1, 1)).customer.id


def birthday(session, customer_id: int, month: int, day: int, year: int | None = None,
             lead_days: int | None = None) -> int:
    data = DateInput("birthday", month, day, year, lead_days=lead_days)
    return add_date(session, customer_id, data, today=date(2100, 1, 1)).date.id


def dated(session, customer_id: int, kind: str, month: int, day: int, year: int | None = None,
          label: str = "") -> int:
    data = DateInput(kind, month, day, year, label)
    return add_date(session, customer_id, data, today=date(2100, 1, 1)).date.id


def visits(session, customer_id: int, *days: date) -> None:
    """Visits at noon on the given days; the last visit and the habit follow, as when logged."""
    for day in days:
        session.add(Touchpoint(
            customer_id=customer_id, kind="visit", occurred_at=datetime.combine(day, time(12))
        ))
    person = session.get(Customer, customer_id)
    person.last_visit_at = max(person.last_visit_at or datetime.min,
                               datetime.combine(max(days), time(12)))
    refresh_visit_habit(session, person)
    session.flush()


def settings(session, **values) -> None:
    save_settings(session, replace(load_settings(session), **values))


def no_lead_times(session, **values) -> None:
    settings(session, birthday_lead_days=0, anniversary_lead_days=0, **values)


def keys(result) -> list[tuple[str, str]]:
    return [(item.item_key, item.occurrence) for item in result.items]
