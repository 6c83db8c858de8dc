"""Where agenda items come from: one function per kind of thing to remember.

Each source takes the session and the window and yields :class:`Candidate` occurrences whose
reminder period (``lead_days`` before the occurrence through the occurrence) meets the window.
Every query is a range on an indexed column, or on a small table, so the agenda stays quick
with a hundred thousand customers; nothing loads every customer. A new feature adds its own
source function to :data:`DEFAULT_SOURCES`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Executable, Integer, and_, cast, exists, extract, func, not_, or_, select
from sqlalchemy.orm import Session

from crm_desktop.i18n import _, format_date, ngettext
from crm_desktop.models import (
    Complaint,
    Coupon,
    Customer,
    ImportantDate,
    Redemption,
    RetentionCase,
    RetentionOffer,
    Subscription,
)
from crm_desktop.services.agenda_data import (
    AgendaSource,
    AgendaWindow,
    Candidate,
    person_name,
)
from crm_desktop.services.agenda_lapsed import lapsed_items
from crm_desktop.services.occurrences import month_day_ranges, occurrences_between, years_at

COUPON_LEAD_DAYS = 7  # remind a week before an unused coupon expires
OFFER_LEAD_DAYS = 7  # and a week before a retention offer ends
_NAME_COLUMNS = (Customer.first_name, Customer.last_name, Customer.company)


def important_date_items(session: Session, window: AgendaWindow) -> Iterator[Candidate]:
    """Birthdays, anniversaries and custom dates, through the indexed ``month_day`` ranges."""
    settings = window.settings
    leads = {
        "birthday": settings.birthday_lead_days,
        "anniversary": settings.anniversary_lead_days,
        "custom": settings.anniversary_lead_days,
    }
    widest = max(leads.values())
    query = select(
        ImportantDate.id, ImportantDate.customer_id, ImportantDate.kind, ImportantDate.label,
        ImportantDate.month, ImportantDate.day, ImportantDate.year, ImportantDate.lead_days,
        *_NAME_COLUMNS,
    ).join(Customer, Customer.id == ImportantDate.customer_id)
    first, last = window.first, window.last
    rule = settings.leap_day_rule
    rows: list[Any] = []
    for low, high in month_day_ranges(first, last + timedelta(days=widest), rule):
        rows.extend(_rows(session, query.where(ImportantDate.month_day.between(low, high))))
    # A customer's own lead time may reach further ahead than the widest setting.
    further = _rows(session, query.where(ImportantDate.lead_days > widest))
    if further:
        listed = {row[0] for row in rows}
        rows.extend(row for row in further if row[0] not in listed)
    # A hundred thousand customers share 366 days and a few lead times: work each out once.
    days: dict[tuple[int, int, int], list[tuple[date, str]]] = {}
    texts: dict[tuple[str, str, int | None], str] = {}
    for date_id, customer_id, kind, label, month, day, year, lead, given, family, company in rows:
        lead_days = leads[kind] if lead is None else lead
        found = days.get((month, day, lead_days))
        if found is None:
            until = last + timedelta(days=lead_days)
            found = [(when, str(when.year)) for when in occurrences_between(
                month, day, first, until, rule)]
            days[month, day, lead_days] = found
        for when, occurrence in found:
            years = years_at(year, when)
            text = texts.get((kind, label, years))
            if text is None:
                text = texts[kind, label, years] = date_text(kind, label, years)
            yield Candidate(
                f"date:{date_id}", occurrence, customer_id, person_name(given, family, company),
                kind, when, lead_days, years, text, label,
            )


def date_text(kind: str, label: str, years: int | None) -> str:
    """What to do about a date; an age or a count only when the year is known."""
    if kind == "birthday":
        if years is None:
            return _("Birthday: send greetings.")
        return _("Birthday, turns {age}: send greetings.").format(age=years)
    if kind == "customer_since":
        return ngettext(
            "{count} year as a customer: say thank you.",
            "{count} years as a customer: say thank you.",
            years or 0,
        ).format(count=years)
    label = label or (_("Anniversary") if kind == "anniversary" else _("Date"))
    if years is None:
        return _("{label}: get in touch.").format(label=label)
    return ngettext(
        "{label}, {count} year: get in touch.", "{label}, {count} years: get in touch.", years
    ).format(label=label, count=years)


def customer_since_items(session: Session, window: AgendaWindow) -> Iterator[Candidate]:
    """Anniversaries of becoming a customer, from ``Customer.customer_since``; a year or more."""
    settings = window.settings
    lead_days = settings.anniversary_lead_days
    first, until = window.first, window.last + timedelta(days=lead_days)
    rule = settings.leap_day_rule
    ranges = month_day_ranges(first, until, rule)
    if not ranges:
        return
    key = _month_day_of(session, Customer.customer_since)
    query = select(Customer.id, Customer.customer_since, *_NAME_COLUMNS).where(
        Customer.customer_since.is_not(None),
        or_(*(key.between(low, high) for low, high in ranges)),
    )
    for customer_id, since, *name_parts in _rows(session, query):
        name = person_name(*name_parts)
        for when in occurrences_between(since.month, since.day, first, until, rule):
            years = years_at(since.year, when)
            if years is not None:
                yield Candidate(
                    f"since:{customer_id}", str(when.year), customer_id, name, "customer_since",
                    when, lead_days, years, date_text("customer_since", "", years),
                )


def _rows(session: Session, query: Executable) -> Sequence[Any]:
    """Plain result rows through Core, which skips the ORM's per-row work.

    Untyped on purpose: each query filters out the empty values its loop reads.
    """
    return session.connection().execute(query).all()


def _month_day_of(session: Session, column: Any) -> Any:
    """``month * 100 + day`` of a date column, in the database's own dialect."""
    if session.get_bind().dialect.name == "sqlite":
        # SQLite keeps dates as 'YYYY-MM-DD' text; slicing it is far cheaper than strftime.
        return cast(func.substr(column, 6, 2).op("||")(func.substr(column, 9, 2)), Integer)
    return cast(extract("month", column) * 100 + extract("day", column), Integer)


def complaint_items(session: Session, window: AgendaWindow) -> Iterator[Candidate]:
    """Follow-ups due on complaints still open, or resolved without a recorded outcome."""
    query = (
        select(Complaint.id, Complaint.customer_id, Complaint.follow_up_on,
               Complaint.received_on, *_NAME_COLUMNS)
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(
            Complaint.follow_up_on.between(window.first, window.last),
            or_(Complaint.status == "open",
                and_(Complaint.status == "resolved", Complaint.outcome == "")),
        )
    )
    for complaint_id, customer_id, follow_up, received, first, last, company in _rows(
        session, query
    ):
        text = _("Follow up the complaint of {date}: ask whether all is well now.").format(
            date=format_date(received)
        )
        yield Candidate(
            f"complaint:{complaint_id}", follow_up.isoformat(), customer_id,
            person_name(first, last, company), "complaint", follow_up, 0, None, text,
        )


def coupon_items(session: Session, window: AgendaWindow) -> Iterator[Candidate]:
    """A customer's coupons that will expire unused; an expired one is no longer listed."""
    redeemed = exists().where(Redemption.coupon_id == Coupon.id)
    query = (
        select(Coupon.id, Coupon.customer_id, Coupon.code, Coupon.expires_on, *_NAME_COLUMNS)
        .join(Customer, Customer.id == Coupon.customer_id)
        .where(
            Coupon.expires_on.between(
                window.today, window.last + timedelta(days=COUPON_LEAD_DAYS)
            ),
            Coupon.voided_at.is_(None),
            not_(redeemed),
        )
    )
    for coupon_id, customer_id, code, expires, first, last, company in _rows(session, query):
        # No formatted date here: there can be hundreds, and the item carries the date.
        text = _("Coupon {code} is still unused: remind them before it expires.").format(
            code=code
        )
        yield Candidate(
            f"coupon:{coupon_id}", expires.isoformat(), customer_id,
            person_name(first, last, company), "coupon", expires, COUPON_LEAD_DAYS, None, text,
            may_be_late=False,
        )


def retention_offer_items(session: Session, window: AgendaWindow) -> Iterator[Candidate]:
    """Retention offers ending: ask whether the customer stays at the normal price."""
    query = (
        select(RetentionOffer.id, Subscription.customer_id, RetentionOffer.ends_on,
               Subscription.plan, *_NAME_COLUMNS)
        .join(RetentionCase, RetentionCase.id == RetentionOffer.case_id)
        .join(Subscription, Subscription.id == RetentionCase.subscription_id)
        .join(Customer, Customer.id == Subscription.customer_id)
        .where(
            RetentionOffer.ends_on.between(
                window.first, window.last + timedelta(days=OFFER_LEAD_DAYS)
            ),
            or_(RetentionOffer.accepted.is_(None), RetentionOffer.accepted.is_(True)),
            RetentionCase.outcome != "cancelled",
        )
    )
    for offer_id, customer_id, ends, plan, first, last, company in _rows(session, query):
        text = _("The offer on {plan} ends on {date}: ask whether they will stay.").format(
            plan=plan, date=format_date(ends)
        )
        yield Candidate(
            f"offer:{offer_id}", ends.isoformat(), customer_id,
            person_name(first, last, company), "offer", ends, OFFER_LEAD_DAYS, None, text,
        )


DEFAULT_SOURCES: list[AgendaSource] = [
    important_date_items,
    customer_since_items,
    lapsed_items,
    complaint_items,
    coupon_items,
    retention_offer_items,
]
