"""Personal letters: a template filled for one customer, as plain data and as PDF.

The letter is written in the customer's own language (text, date, coupon value); the
sender comes from the business settings. Customer text is handed to the letter engine as
plain strings: the engine escapes it for ReportLab.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import phonenumbers
from babel import Locale
from sqlalchemy.orm import Session

from crm_desktop.i18n import _, format_date
from crm_desktop.models import Coupon, Customer, Touchpoint
from crm_desktop.reports import ReportError
from crm_desktop.reports.letter_data import LetterData, Sender
from crm_desktop.services.changes import Changes
from crm_desktop.services.coupon_data import ACTIVE, CouponInfo
from crm_desktop.services.coupon_queries import coupon_select, to_info
from crm_desktop.services.coupons import coupon_value_text
from crm_desktop.services.errors import NotFound, ValidationError
from crm_desktop.services.letter_facts import CustomerFacts, friend_name_of, load_facts
from crm_desktop.services.letter_placeholders import (
    COUPON_PLACEHOLDERS,
    check_template,
    fill_template,
    placeholders_in,
    where,
)
from crm_desktop.services.letter_templates import (
    TemplateText,
    coupon_phrase,
    effective_template,
    kind_label,
    letter_language,
    require_kind,
)
from crm_desktop.services.occurrences import occurrence, years_at
from crm_desktop.services.settings import BusinessSettings, load_settings
from crm_desktop.services.validation import clean_staff


class LetterProblem(ValidationError):
    """A letter that cannot be printed as it stands; ``str()`` is one sentence."""

    def __init__(self, message: str, field_name: str = "letter", problems: tuple[object, ...] = ()):
        super().__init__({field_name: message})
        self.message = message
        self.problems = problems

    def __str__(self) -> str:
        return self.message


@dataclass
class LetterRun:
    """What every letter of one print run shares: kind, settings, templates, date, signer."""

    session: Session
    kind: str
    settings: BusinessSettings
    today: date
    staff: str = ""
    override: TemplateText | None = None  # an unsaved edit, for the live preview
    _templates: dict[str, TemplateText] = field(default_factory=dict)
    # The same for every customer of a country or language; worth keeping over a long run.
    _senders: dict[str, Sender] = field(default_factory=dict)
    _dates: dict[str, str] = field(default_factory=dict)

    def template(self, language: str) -> TemplateText:
        """The checked template for a language; LetterProblem names its first mistake."""
        if language not in self._templates:
            if self.override is not None and self.override.language == language:
                template = self.override
            else:
                template = effective_template(self.session, self.kind, language)
            _raise_template_problems(template)
            self._templates[language] = template
        return self._templates[language]

    def sender(self, recipient_country: str) -> Sender:
        if recipient_country not in self._senders:
            self._senders[recipient_country] = sender_for(self.settings, recipient_country)
        return self._senders[recipient_country]

    def date_text(self, language: str) -> str:
        if language not in self._dates:
            self._dates[language] = format_date(self.today, language, style="long")
        return self._dates[language]


def start_run(
    session: Session, kind: str, today: date, staff: str = "",
    template: TemplateText | None = None,
) -> LetterRun:
    require_kind(kind)
    return LetterRun(session, kind, load_settings(session), today, clean_staff(staff), template)


def build_letter(
    session: Session,
    kind: str,
    customer_id: int,
    coupon_id: int | None,
    today: date,
    staff: str = "",
    template: TemplateText | None = None,
    friend_id: int | None = None,
) -> LetterData:
    """One customer's letter; ``template`` previews an unsaved edit instead of the stored one.

    ``friend_id`` names the referred friend a thank-you is for; without it a referral letter
    names the friend the customer referred last.
    """
    run = start_run(session, kind, today, staff, template)
    facts = load_facts(session, [customer_id]).get(customer_id)
    if facts is None:
        raise NotFound(_("Customer {id} does not exist.").format(id=customer_id))
    if friend_id is not None:
        facts = replace(facts, friend_name=friend_name_of(session, friend_id))
    coupon = _coupon_for(session, coupon_id, customer_id, today) if coupon_id else None
    return compose_letter(run, facts, coupon)


def letter_pdf(
    session: Session,
    kind: str,
    customer_id: int,
    coupon_id: int | None,
    today: date,
    staff: str = "",
    template: TemplateText | None = None,
) -> bytes:
    return render_pdf(build_letter(session, kind, customer_id, coupon_id, today, staff, template))


def render_pdf(letter: LetterData) -> bytes:
    """The letter as PDF; LetterProblem says why it could not be made (a missing logo…)."""
    from crm_desktop.reports.letter import render_letter  # ReportLab loads on demand

    try:
        return render_letter(letter)
    except ReportError as error:
        raise LetterProblem(str(error)) from None


def log_letter_sent(
    session: Session, customer_id: int, kind: str, staff: str = "",
    coupon_id: int | None = None, complaint_id: int | None = None,
) -> Changes:
    """The letter goes on the customer's timeline."""
    require_kind(kind)
    if session.get(Customer, customer_id) is None:
        raise NotFound(_("Customer {id} does not exist.").format(id=customer_id))
    session.add(Touchpoint(
        customer_id=customer_id, kind="letter", staff=clean_staff(staff),
        summary=_("Letter sent: {title}").format(title=kind_label(kind)),
        coupon_id=coupon_id, complaint_id=complaint_id,
    ))
    session.flush()
    return Changes.of_customers(customer_id, kinds=("customers", "touchpoints"))


def compose_letter(run: LetterRun, facts: CustomerFacts, coupon: CouponInfo | None) -> LetterData:
    """Fill the run's template for one customer; LetterProblem says what is missing."""
    language = letter_language(facts.language)
    template = run.template(language)
    _check_coupon_use(template, coupon)
    values = letter_values(run, facts, language, coupon)
    filled = fill_template(template.subject, template.body, values)
    if filled.missing:
        raise LetterProblem(_missing_message(filled.missing[0], facts))
    return LetterData(
        sender=run.sender(facts.country),
        recipient_lines=recipient_lines(facts, run.settings.country),
        date_text=run.date_text(language),
        subject=filled.subject,
        body_paragraphs=filled.paragraphs,
        closing=template.closing,
        signature="\n".join(part for part in (run.staff, run.settings.name.strip()) if part),
        language=language,
    )


def letter_values(
    run: LetterRun, facts: CustomerFacts, language: str, coupon: CouponInfo | None
) -> dict[str, str]:
    """Every placeholder's text for one customer; "" where there is nothing to say."""
    settings = run.settings
    values = {
        "first_name": facts.first_name.strip() or facts.name,
        "last_name": facts.last_name.strip(),
        "full_name": facts.name,
        "salutation": facts.salutation.strip(),
        "company": facts.company.strip(),
        "favourite": facts.favourite.strip(),
        "friend_name": facts.friend_name.strip(),
        "years": _anniversary_years(facts, run.today, settings.leap_day_rule),
        "plan": facts.plan.strip(),
        "offer": facts.offer,
        "offer_ends": _long_date(facts.offer_ends, language),
        "business_name": settings.name.strip(),
        "business_phone": run.sender(facts.country).phone,
        "business_email": settings.email.strip(),
        "business_website": settings.website.strip(),
        "staff_name": run.staff,
    }
    values.update(_coupon_values(coupon, language, settings.currency))
    return values


def recipient_lines(facts: CustomerFacts, home_country: str) -> tuple[str, ...]:
    """The window address in Finnish order: company, name, street, "postal code TOWN"."""
    person = " ".join(
        part for part in (facts.salutation.strip(), facts.first_name.strip(),
                          facts.last_name.strip()) if part
    )
    town = " ".join(part for part in (facts.postal_code.strip(), facts.city.strip().upper())
                    if part)
    lines = [facts.company.strip(), person, facts.street.strip(), town]
    if facts.country and facts.country != home_country:
        lines.append(_country_name(facts.country).upper())
    return tuple(dict.fromkeys(line for line in lines if line))


def sender_for(settings: BusinessSettings, recipient_country: str) -> Sender:
    abroad = bool(recipient_country) and recipient_country != settings.country
    logo = Path(settings.logo_path) if settings.logo_path.strip() else None
    return Sender(
        name=settings.name.strip(),
        street=settings.street.strip(),
        postal_code=settings.postal_code.strip(),
        city=settings.city.strip(),
        country=_country_name(settings.country) if abroad else "",
        business_id=settings.business_id.strip(),
        phone=_phone(settings.phone, settings.phone_region, recipient_country),
        email=settings.email.strip(),
        website=settings.website.strip(),
        logo_path=logo,
    )


def coupon_by_id(session: Session, coupon_id: int) -> CouponInfo:
    row = session.execute(coupon_select().where(Coupon.id == coupon_id)).first()
    if row is None:
        raise NotFound(_("Coupon {id} does not exist.").format(id=coupon_id))
    return to_info(row)


def _coupon_for(session: Session, coupon_id: int, customer_id: int, today: date) -> CouponInfo:
    """The coupon to print, refused when it is someone else's or can no longer be used."""
    coupon = coupon_by_id(session, coupon_id)
    if coupon.customer_id is not None and coupon.customer_id != customer_id:
        raise LetterProblem(_("Coupon {code} belongs to another customer.").format(
            code=coupon.grouped_code), "coupon")
    status = coupon.status(today)
    if status != ACTIVE:
        messages = {
            "redeemed": _("Coupon {code} has already been redeemed."),
            "void": _("Coupon {code} has been cancelled."),
            "expired": _("Coupon {code} has expired."),
        }
        raise LetterProblem(messages[status].format(code=coupon.grouped_code), "coupon")
    return coupon


def _coupon_values(coupon: CouponInfo | None, language: str, currency: str) -> dict[str, str]:
    if coupon is None:
        return dict.fromkeys(COUPON_PLACEHOLDERS, "")
    value = coupon_value_text(coupon, language, currency)
    return {
        "coupon_code": coupon.grouped_code,
        "coupon_value": coupon_phrase(coupon.kind, language).format(value=value),
        "coupon_expires": _long_date(coupon.expires_on, language),
    }


def _check_coupon_use(template: TemplateText, coupon: CouponInfo | None) -> None:
    """A coupon sent with a letter must be in it, with every detail the letter mentions."""
    if coupon is None:
        return
    used = set(placeholders_in(template.subject + "\n" + template.body))
    if not used & COUPON_PLACEHOLDERS:
        raise LetterProblem(
            _("The “{kind}” letter does not mention a coupon; add {placeholder} to it or "
              "print it without the coupon.").format(
                kind=kind_label(template.kind), placeholder="{coupon_code}"), "coupon")
    if "coupon_expires" in used and coupon.expires_on is None:
        raise LetterProblem(
            _("Coupon {code} never expires, but the letter says until when it is valid.").format(
                code=coupon.grouped_code), "coupon")


def _raise_template_problems(template: TemplateText) -> None:
    problems = check_template(template.subject, template.body)
    if not problems:
        return
    first = problems[0]
    message = _("In the “{kind}” template ({language}), {where}: {detail}").format(
        kind=kind_label(template.kind), language=template.language,
        where=where(first.part, first.line), detail=first.detail,
    )
    raise LetterProblem(message, first.part, tuple(problems))


def _missing_message(name: str, facts: CustomerFacts) -> str:
    customer = facts.name or _("Customer {id}").format(id=facts.id)
    placeholder = "{" + name + "}"
    if name in ("plan", "offer"):
        return _("{customer} has no accepted retention offer to confirm.").format(
            customer=customer)
    if name == "business_name":
        return _("The business name is missing; fill it in the settings.")
    if name == "last_name":
        return _("{customer} has no last name for {placeholder}.").format(
            customer=customer, placeholder=placeholder)
    if name == "salutation":
        return _("{customer} has no title for {placeholder}.").format(
            customer=customer, placeholder=placeholder)
    return _("The subject uses {placeholder}, which {customer} has nothing for.").format(
        placeholder=placeholder, customer=customer)


def _anniversary_years(facts: CustomerFacts, today: date, leap_rule: str) -> str:
    """The count of the anniversary nearest to today (a letter goes shortly before or after)."""
    anniversary = facts.anniversary
    if anniversary is None:
        return ""
    when = occurrence(anniversary.month, anniversary.day, today.year, leap_rule)
    if (today - when).days > 182:
        when = occurrence(anniversary.month, anniversary.day, today.year + 1, leap_rule)
    elif (when - today).days > 182:
        when = occurrence(anniversary.month, anniversary.day, today.year - 1, leap_rule)
    years = years_at(anniversary.year, when)
    return str(years) if years else ""


def _long_date(value: date | None, language: str) -> str:
    return format_date(value, language, style="long") if value is not None else ""


def _phone(number: str, region: str, recipient_country: str) -> str:
    """National form for a recipient at home, international for one abroad."""
    number = number.strip()
    try:
        parsed = phonenumbers.parse(number, region or "FI")
    except phonenumbers.NumberParseException:
        return number
    home = recipient_country in ("", region)
    style = phonenumbers.PhoneNumberFormat.NATIONAL if home else (
        phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(parsed, style)


def _country_name(code: str) -> str:
    # Posti asks for the destination country in English (or French) on mail going abroad.
    territories = Locale("en").territories
    return str(territories.get(code.upper(), code))
