"""Checks for customer input. Every bad field is collected before one ValidationError."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import phonenumbers

from crm_desktop.i18n import SUPPORTED_LANGUAGES, _
from crm_desktop.models import CONSENT_CHANNELS, CUSTOMER_STATUSES
from crm_desktop.services.customer_data import CustomerInput, EmailInput, PhoneInput
from crm_desktop.services.errors import ValidationError

_FI_POSTAL_CODE = re.compile(r"^\d{5}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def normalise_email(address: str) -> str:
    """The address as stored (domain lower-cased); raises ValueError with the reason."""
    # Imported on first use: it costs the window's start ~17 ms for a card not yet opened.
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(str(error)) from None
    return str(result.normalized)


def email_key(address: str) -> str:
    """What two addresses share when they reach the same person."""
    return address.strip().casefold()


def normalise_phone(number: str, region: str) -> str:
    """E.164 (``+358401234567``); raises ValueError when it is not a valid number."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        raise ValueError(number) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(number)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str, region: str) -> str:
    """National format at home (``040 1234567``), international otherwise."""
    try:
        parsed = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(parsed) == region:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_search_digits(e164: str, region: str) -> list[str]:
    """Digits a person might type: national (``0401234567``) and international."""
    national = re.sub(r"\D", "", format_phone(e164, region))
    return sorted({national, e164.lstrip("+")})


STAFF_MAX_LENGTH = 50  # the width of the staff columns


def clean_staff(staff: str) -> str:
    """A staff name as stored (timeline, complaints, letters); too long → ValidationError."""
    staff = staff.strip()
    if len(staff) > STAFF_MAX_LENGTH:
        raise ValidationError(
            {"staff": _("A staff name can be at most {count} characters long.").format(
                count=STAFF_MAX_LENGTH
            )}
        )
    return staff


def clean_customer(data: CustomerInput, region: str, today: date | None = None) -> CustomerInput:
    """Validated, normalised input; raises one ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    today = today or date.today()
    data = _strip(data)
    if not (data.first_name or data.last_name):
        errors["last_name"] = _("Enter a first or last name.")
    emails = _clean_emails(data.emails, errors)
    phones = _clean_phones(data.phones, region, errors)
    _check_address(data, errors)
    _check_choices(data, errors)
    if data.customer_since and data.customer_since > today:
        errors["customer_since"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    return replace(data, emails=emails, phones=phones)


def _strip(data: CustomerInput) -> CustomerInput:
    tags = tuple(dict.fromkeys(tag.strip() for tag in data.tags if tag.strip()))
    return replace(
        data,
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        salutation=data.salutation.strip(),
        company=data.company.strip(),
        street=data.street.strip(),
        postal_code=data.postal_code.strip(),
        city=data.city.strip(),
        country=data.country.strip().upper(),
        tags=tags,
    )


def _clean_emails(emails: tuple[EmailInput, ...], errors: dict[str, str]) -> tuple[EmailInput, ...]:
    cleaned: list[EmailInput] = []
    for index, email in enumerate(emails):
        if not email.address.strip():
            continue
        try:
            cleaned.append(replace(email, address=normalise_email(email.address)))
        except ValueError:
            errors[f"email.{index}"] = _("“{address}” is not a valid email address.").format(
                address=email.address.strip()
            )
    return tuple(cleaned)


def _clean_phones(
    phones: tuple[PhoneInput, ...], region: str, errors: dict[str, str]
) -> tuple[PhoneInput, ...]:
    cleaned: list[PhoneInput] = []
    for index, phone in enumerate(phones):
        if not phone.number.strip():
            continue
        try:
            cleaned.append(replace(phone, number=normalise_phone(phone.number, region)))
        except ValueError:
            errors[f"phone.{index}"] = _("“{number}” is not a valid phone number.").format(
                number=phone.number.strip()
            )
    return tuple(cleaned)


def _check_address(data: CustomerInput, errors: dict[str, str]) -> None:
    if not _COUNTRY.match(data.country):
        errors["country"] = _("Use a two-letter country code, such as FI.")
    elif data.country == "FI" and data.postal_code and not _FI_POSTAL_CODE.match(data.postal_code):
        errors["postal_code"] = _("A Finnish postal code has five digits.")


def _check_choices(data: CustomerInput, errors: dict[str, str]) -> None:
    if data.language not in SUPPORTED_LANGUAGES:
        errors["language"] = _("Choose a supported language.")
    if data.status not in CUSTOMER_STATUSES:
        errors["status"] = _("Unknown status “{status}”.").format(status=data.status)
    for consent in data.consents:
        if consent.channel not in CONSENT_CHANNELS:
            errors[f"consent.{consent.channel}"] = _("Unknown contact channel.")
    if any(len(tag) > 50 for tag in data.tags):
        errors["tags"] = _("A tag can be at most 50 characters long.")
