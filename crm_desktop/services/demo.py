"""A demo business to try Kanta with: a café in Tampere, its customers and two years of history.

The same seed gives the same people on a fresh database. A run on a database that already has
customers adds new ones after the existing ids. Rows go in with Core executemany (see
demo_writer), fast enough for 100,000 customers.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from itertools import accumulate

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop.models import Product
from crm_desktop.models.search_index import fold
from crm_desktop.services.customer_data import (
    CUSTOMER_SCALAR_FIELDS,
    ConsentInput,
    CustomerInput,
    EmailInput,
    PhoneInput,
    display_name,
)
from crm_desktop.services.customers import search_text_for, since_month_day, sort_key
from crm_desktop.services.demo_history import (
    add_extras,
    add_referral,
    add_visits,
    plan_visits,
    referrer_index,
)
from crm_desktop.services.demo_names import (
    COMPANIES,
    CULTURES,
    CUSTOMER_NOTES,
    DEMO_BUSINESS,
    EMAIL_DOMAINS,
    FAVOURITE_NOTES,
    PLACES,
    PRODUCTS,
    email_local_part,
)
from crm_desktop.services.demo_writer import DemoWriter, Row, at_time
from crm_desktop.services.settings import BusinessSettings, load_settings, save_settings
from crm_desktop.services.validation import email_key
from crm_desktop.services.visit_habits import habit_of


@dataclass(frozen=True)
class DemoResult:
    customers: int
    referrals: int
    touchpoints: int


BATCH_SIZE = 2000
_YEARS = 8
_LEAP_EVERY = 200  # positions 7 and 80 of every 200 get a 29 February birthday
_LEAP_YEARS = tuple(range(1948, 2005, 4))
_MOBILE_PREFIXES = ("40", "41", "44", "45", "46", "50")
_CONSENT_SOURCES = ("lomake", "kassa", "verkkosivu", "puhelin", "sähköposti")
_CULTURE_CUMULATIVE = tuple(accumulate(c.weight for c in CULTURES))
_PLACE_CUMULATIVE = tuple(accumulate(p.weight for p in PLACES))
Birthday = tuple[int, int, int | None]  # month, day, year or None


def generate_demo(
    session: Session, customers: int = 400, seed: int = 1, today: date | None = None
) -> DemoResult:
    """Add ``customers`` demo customers with their history; the caller commits."""
    writer = DemoWriter.open(session, seed, today or date.today())
    region = _ensure_business(session).phone_region
    _ensure_products(writer)
    # Everyone became a customer before today; oldest first, so ids follow that order.
    days_ago = sorted((writer.rng.randint(1, _YEARS * 365) for _ in range(customers)), reverse=True)
    for index, days in enumerate(days_ago):
        _add_customer(writer, region, index, writer.today - timedelta(days=days))
        if (index + 1) % BATCH_SIZE == 0:
            writer.flush()
    writer.finish()
    return DemoResult(customers, writer.counts["referral"], writer.counts["touchpoint"])


def _ensure_business(session: Session) -> BusinessSettings:
    """Give the demo a letterhead, unless the owner has already entered the real one."""
    settings = load_settings(session)
    if settings.name:
        return settings
    demo = replace(settings, **DEMO_BUSINESS)  # type: ignore[arg-type]  # text fields only
    save_settings(session, demo)
    return demo


def _ensure_products(writer: DemoWriter) -> None:
    statement = select(Product.name, Product.id, Product.price_cents)
    existing = {name: (pid, price) for name, pid, price in writer.session.execute(statement)}
    for name, category, price in PRODUCTS:
        if name in existing:
            writer.products[name] = existing[name]
            continue
        row: Row = {"name": name, "category": category, "price_cents": price, "active": True}
        writer.products[name] = (writer.add_with_id("product", row), price)


def _add_customer(writer: DemoWriter, region: str, index: int, since: date) -> None:
    rng = writer.rng
    customer_id = writer.take_id("customer")
    visits = plan_visits(rng, since, writer.today)
    birthday = _birthday(rng, index)
    data = _customer_input(writer, customer_id, since, visits, birthday)
    writer.add("customer", _customer_row(writer, customer_id, data, visits, region))
    _add_contacts(writer, customer_id, data)
    _add_tags_and_consents(writer, customer_id, data)
    _add_dates(writer, customer_id, birthday)
    _add_favourites(writer, customer_id)
    referrer = referrer_index(rng, index)
    referrer_id = None if referrer is None else customer_id - index + referrer
    name = display_name(data.first_name, data.last_name, data.company)
    add_referral(writer, customer_id, referrer_id, since, name)
    add_visits(writer, customer_id, visits)
    add_extras(writer, customer_id, visits, birthday, may_market=not data.do_not_market)


def _customer_input(
    writer: DemoWriter,
    customer_id: int,
    since: date,
    visits: list[datetime],
    birthday: Birthday | None,
) -> CustomerInput:
    rng = writer.rng
    first_name, last_name, language = _name(rng)
    street, postal_code, city = _address(rng)
    company = rng.choice(COMPANIES) if rng.random() < 0.03 else ""
    emails = _emails(rng, first_name, last_name, customer_id)
    phones = _phones(writer)
    do_not_market = rng.random() < 0.05
    birth_year = birthday[2] if birthday else None
    return CustomerInput(
        first_name=first_name,
        last_name=last_name,
        company=company,
        emails=emails,
        phones=phones,
        street=street,
        postal_code=postal_code,
        city=city,
        language=language,
        notes=rng.choice(CUSTOMER_NOTES) if rng.random() < 0.05 else "",
        tags=_tags(rng, visits, birth_year, company, writer.today),
        status=_status(rng, visits, writer.today),
        customer_since=since,
        do_not_market=do_not_market,
        consents=_consents(rng, since, writer.today, (bool(emails), bool(phones)), do_not_market),
    )


def _name(rng: random.Random) -> tuple[str, str, str]:
    """First name, last name and the language letters are written in."""
    culture = rng.choices(CULTURES, cum_weights=_CULTURE_CUMULATIVE)[0]
    female = rng.random() < 0.55
    first_name = rng.choice(culture.female if female else culture.male)
    which = rng.randrange(len(culture.surnames))
    surnames = culture.female_surnames if female and culture.female_surnames else culture.surnames
    language = "en" if rng.random() < culture.english_share else "fi"
    return first_name, surnames[which], language


def _address(rng: random.Random) -> tuple[str, str, str]:
    place = rng.choices(PLACES, cum_weights=_PLACE_CUMULATIVE)[0]
    number = str(rng.randint(1, 60))
    if rng.random() < 0.6:  # a flat: staircase letter and flat number
        number += f" {rng.choice('ABCDE')} {rng.randint(1, 40)}"
    return f"{rng.choice(place.streets)} {number}", rng.choice(place.postal_codes), place.city


def _emails(
    rng: random.Random, first_name: str, last_name: str, customer_id: int
) -> tuple[EmailInput, ...]:
    if rng.random() < 0.2:
        return ()
    first, last = email_local_part(first_name), email_local_part(last_name)
    # The id keeps addresses unique, so the duplicate finder has no false pairs to show.
    local = rng.choice((f"{first}.{last}", f"{first}", f"{last}.{first}"))
    emails = [EmailInput(f"{local}{customer_id}@{rng.choice(EMAIL_DOMAINS)}")]
    if rng.random() < 0.05:
        emails.append(EmailInput(f"{first}.{last}.{customer_id}@work.example.com", "work"))
    return tuple(emails)


def _phones(writer: DemoWriter) -> tuple[PhoneInput, ...]:
    """A Finnish mobile number (E.164), unique within the run; a few customers have none."""
    rng = writer.rng
    if rng.random() < 0.12:
        return ()
    number = ""
    while not number or number in writer.phones:
        number = f"+358{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"
    writer.phones.add(number)
    return (PhoneInput(number),)


def _tags(
    rng: random.Random, visits: list[datetime], birth_year: int | None, company: str, today: date
) -> tuple[str, ...]:
    tags = []
    if len(visits) >= 30:
        tags.append("vakioasiakas")
    if rng.random() < 0.03:
        tags.append("vip")
    if birth_year and birth_year >= today.year - 26 and rng.random() < 0.6:
        tags.append("opiskelija")
    if company:
        tags.append("pitopalvelu")
    if rng.random() < 0.04:
        tags.append(rng.choice(("vegaani", "gluteeniton")))
    return tuple(tags)


def _status(rng: random.Random, visits: list[datetime], today: date) -> str:
    if visits and (today - visits[-1].date()).days < 365:
        return "active"
    roll = rng.random()
    return "lost" if roll < 0.1 else "inactive" if roll < 0.3 else "active"


def _consents(
    rng: random.Random, since: date, today: date, reachable: tuple[bool, bool], refused: bool
) -> tuple[ConsentInput, ...]:
    """Consent per channel with when and how it was recorded; do-not-market refuses all."""
    has_email, has_phone = reachable
    shares = {
        "email": 0.7 if has_email else 0.0,
        "sms": 0.5 if has_phone else 0.0,
        "post": 0.4,
        "phone": 0.2 if has_phone else 0.0,
    }
    consents = []
    for channel, share in shares.items():
        if refused or rng.random() < share:
            recorded = min(since + timedelta(days=rng.randint(0, 30)), today)
            granted = not refused and rng.random() < 0.92
            source = "asiakkaan pyyntö" if refused else rng.choice(_CONSENT_SOURCES)
            consents.append(ConsentInput(channel, granted, recorded, source))
    return tuple(consents)


def _customer_row(
    writer: DemoWriter, customer_id: int, data: CustomerInput, visits: list[datetime], region: str
) -> Row:
    row: Row = {name: getattr(data, name) for name in CUSTOMER_SCALAR_FIELDS}
    created = at_time(data.customer_since or writer.today, 7 * 3600)
    usual_visit_days, regular_lapse_on = habit_of(visits)
    row.update(
        id=customer_id,
        uid=writer.new_uid(),
        sort_name=sort_key(data.first_name, data.last_name, data.company),
        city_key=fold(data.city),
        search_text=search_text_for(data, region),
        last_visit_at=visits[-1] if visits else None,
        since_month_day=since_month_day(data.customer_since),
        usual_visit_days=usual_visit_days,
        regular_lapse_on=regular_lapse_on,
        created_at=created,
        updated_at=created,
    )
    return row


def _add_contacts(writer: DemoWriter, customer_id: int, data: CustomerInput) -> None:
    for position, email in enumerate(data.emails):
        writer.add_with_id(
            "customer_email",
            {
                "customer_id": customer_id,
                "address": email.address,
                "address_key": email_key(email.address),
                "label": email.label,
                "position": position,
            },
        )
    for position, phone in enumerate(data.phones):
        writer.add_with_id(
            "customer_phone",
            {
                "customer_id": customer_id,
                "e164": phone.number,
                "label": phone.label,
                "position": position,
            },
        )


def _add_tags_and_consents(writer: DemoWriter, customer_id: int, data: CustomerInput) -> None:
    for tag in data.tags:
        writer.add("customer_tag", {"customer_id": customer_id, "name": tag})
    for consent in data.consents:
        writer.add(
            "consent",
            {
                "customer_id": customer_id,
                "channel": consent.channel,
                "granted": consent.granted,
                "recorded_on": consent.recorded_on,
                "source": consent.source,
            },
        )


def _birthday(rng: random.Random, index: int) -> Birthday | None:
    """Most customers told their birthday, some without the year; a few were born on 29 Feb."""
    if index % _LEAP_EVERY == 7:
        return 2, 29, rng.choice(_LEAP_YEARS)
    if index % _LEAP_EVERY == 80:
        return 2, 29, None
    if rng.random() >= 0.7:
        return None
    return _day_in(rng, rng.randint(1945, 2006) if rng.random() < 0.75 else None)


def _day_in(rng: random.Random, year: int | None) -> Birthday:
    month = rng.randint(1, 12)
    last_day = calendar.monthrange(year or 2000, month)[1]  # 2000: a year-less 29 Feb is fine
    return month, rng.randint(1, last_day), year


def _add_dates(writer: DemoWriter, customer_id: int, birthday: Birthday | None) -> None:
    rng = writer.rng
    if birthday:
        _add_date(writer, customer_id, "birthday", birthday)
    if rng.random() < 0.12:  # a wedding anniversary, usually with the year
        earliest = max(1970, (birthday[2] or 0) + 20) if birthday else 1970
        year = rng.randint(earliest, max(earliest, writer.today.year - 1))
        known_year = year if rng.random() < 0.8 else None
        _add_date(writer, customer_id, "anniversary", _day_in(rng, known_year))


def _add_date(writer: DemoWriter, customer_id: int, kind: str, when: Birthday) -> None:
    month, day, year = when
    writer.add_with_id(
        "important_date",
        {
            "customer_id": customer_id,
            "kind": kind,
            "label": "",
            "month": month,
            "day": day,
            "year": year,
            "month_day": month * 100 + day,
            "lead_days": None,
        },
    )


def _add_favourites(writer: DemoWriter, customer_id: int) -> None:
    rng = writer.rng
    count = rng.choices((0, 1, 2, 3), weights=(35, 35, 20, 10))[0]
    for name, category, _price in rng.sample(PRODUCTS[:9], count):
        note = rng.choice(FAVOURITE_NOTES[category]) if rng.random() < 0.4 else ""
        writer.add_with_id(
            "favourite",
            {"customer_id": customer_id, "product_id": writer.product_id(name), "note": note},
        )
