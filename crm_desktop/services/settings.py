"""Business settings stored in the database, so every desk and every letter sees the same."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields, replace

import phonenumbers
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop.i18n import SUPPORTED_LANGUAGES, _
from crm_desktop.models import Setting
from crm_desktop.services.changes import Changes
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.validation import normalise_email

_PREFIX = "business."
_Y_TUNNUS = re.compile(r"^(\d{7})-(\d)$")
_Y_TUNNUS_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class BusinessSettings:
    name: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "FI"
    business_id: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    logo_path: str = ""
    phone_region: str = "FI"
    currency: str = "EUR"
    language: str = ""  # interface language; empty follows the system
    leap_day_rule: str = "feb28"  # feb28 or mar1: when a 29 Feb date falls in other years
    agenda_days: int = 14
    lapsed_after_days: int = 60
    birthday_lead_days: int = 7
    anniversary_lead_days: int = 7
    compensation_limit_cents: int = 5000


def load_settings(session: Session) -> BusinessSettings:
    stored = {
        row.key[len(_PREFIX) :]: row.value
        for row in session.scalars(select(Setting).where(Setting.key.startswith(_PREFIX)))
    }
    defaults = BusinessSettings()
    values: dict[str, object] = {}
    for spec in fields(BusinessSettings):
        if spec.name in stored:
            value = json.loads(stored[spec.name])
            if isinstance(value, type(getattr(defaults, spec.name))):
                values[spec.name] = value
    return replace(defaults, **values)  # type: ignore[arg-type]


def save_settings(session: Session, settings: BusinessSettings) -> Changes:
    _validate(settings)
    existing = {row.key: row for row in session.scalars(select(Setting))}
    for key, value in asdict(settings).items():
        encoded = json.dumps(value, ensure_ascii=False)
        row = existing.get(_PREFIX + key)
        if row is None:
            session.add(Setting(key=_PREFIX + key, value=encoded))
        else:
            row.value = encoded
    session.flush()
    return Changes(kinds=frozenset({"settings"}))


def _validate(settings: BusinessSettings) -> None:
    errors: dict[str, str] = {}
    if settings.email:
        try:
            normalise_email(settings.email)
        except ValueError:
            errors["email"] = _("“{address}” is not a valid email address.").format(
                address=settings.email
            )
    _check_business_id(settings, errors)
    if settings.phone_region not in phonenumbers.SUPPORTED_REGIONS:
        errors["phone_region"] = _("Unknown phone region “{region}”.").format(
            region=settings.phone_region
        )
    if len(settings.currency) != 3 or not settings.currency.isalpha():
        errors["currency"] = _("Use a three-letter currency code, such as EUR.")
    if settings.language and settings.language not in SUPPORTED_LANGUAGES:
        errors["language"] = _("Choose a supported language.")
    if settings.leap_day_rule not in ("feb28", "mar1"):
        errors["leap_day_rule"] = _("Choose 28 February or 1 March.")
    for name in ("agenda_days", "lapsed_after_days", "birthday_lead_days", "anniversary_lead_days"):
        if not 0 <= getattr(settings, name) <= 365:
            errors[name] = _("Use a number of days from 0 to 365.")
    if errors:
        raise ValidationError(errors)


def _check_business_id(settings: BusinessSettings, errors: dict[str, str]) -> None:
    """A Finnish business ID (Y-tunnus) is 1234567-8 with a mod 11 check digit."""
    if settings.country != "FI" or not settings.business_id:
        return
    match = _Y_TUNNUS.match(settings.business_id)
    if match is None:
        errors["business_id"] = _("A Finnish business ID looks like 1234567-8.")
    elif y_tunnus_check_digit(match.group(1)) is None:
        errors["business_id"] = _("“{id}” is not a valid business ID.").format(
            id=settings.business_id
        )
    elif y_tunnus_check_digit(match.group(1)) != int(match.group(2)):
        errors["business_id"] = _("The check digit of business ID “{id}” is wrong.").format(
            id=settings.business_id
        )


def y_tunnus_check_digit(digits: str) -> int | None:
    """The check digit for seven digits; None when no digit fits (remainder 1 is never issued)."""
    remainder = sum(int(d) * w for d, w in zip(digits, _Y_TUNNUS_WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder
