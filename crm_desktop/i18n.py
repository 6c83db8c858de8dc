"""Translations (gettext over Babel-compiled catalogs) and locale-aware formatting.

Every user-visible string goes through ``_``, ``ngettext`` or ``pgettext``. The active language
is process-wide: the interface has one language at a time. Letters printed for a customer use
the customer's language through :func:`translations_for` and the ``locale`` arguments of the
formatting helpers, never by switching the interface language.
"""

from __future__ import annotations

import contextlib
import gettext
import locale as _locale
import os
from datetime import date, datetime
from decimal import Decimal

from crm_desktop.paths import resource_path

DOMAIN = "crm_desktop"
SUPPORTED_LANGUAGES = ("fi", "en")
DEFAULT_LANGUAGE = "en"

_state: dict[str, gettext.NullTranslations | str] = {
    "translations": gettext.NullTranslations(),
    "language": DEFAULT_LANGUAGE,
}


def locale_dir() -> str:
    return str(resource_path("locale"))


def translations_for(language: str) -> gettext.NullTranslations:
    """The catalog for one language; English strings when none is found."""
    return gettext.translation(DOMAIN, locale_dir(), languages=[language], fallback=True)


def system_language() -> str:
    """The first supported language named by the environment or the OS locale."""
    candidates = [
        os.environ.get(name, "") for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
    ]
    with contextlib.suppress(ValueError):
        candidates.append(_locale.getlocale()[0] or "")
    for value in candidates:
        for part in value.split(":"):
            code = part.split("_")[0].split(".")[0].lower()
            if code in SUPPORTED_LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


def set_language(language: str | None) -> str:
    """Activate a language for the interface (None: follow the system). Returns the code."""
    code = language if language in SUPPORTED_LANGUAGES else system_language()
    _state["translations"] = translations_for(code)
    _state["language"] = code
    return code


def current_language() -> str:
    return str(_state["language"])


def _active() -> gettext.NullTranslations:
    translations = _state["translations"]
    assert isinstance(translations, gettext.NullTranslations)
    return translations


def _(message: str) -> str:
    return _active().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _active().pgettext(context, message)


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later, where it is shown."""
    return message


def _babel_locale(language: str | None) -> str:
    return {"fi": "fi_FI", "en": "en_GB"}.get(language or current_language(), "en_GB")


def format_date(value: date, language: str | None = None, style: str = "short") -> str:
    """``22.11.2026`` in Finnish; ``style="long"`` gives ``22. marraskuuta 2026``."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format=style, locale=_babel_locale(language))


def format_datetime(value: datetime, language: str | None = None) -> str:
    from babel.dates import format_datetime as babel_format_datetime

    return babel_format_datetime(value, format="short", locale=_babel_locale(language))


def format_money(cents: int, currency: str = "EUR", language: str | None = None) -> str:
    """``1 234,50 €`` (no-break spaces) in Finnish, ``€1,234.50`` in English."""
    from babel.numbers import format_currency

    amount = Decimal(cents) / 100
    return format_currency(amount, currency, locale=_babel_locale(language))


def format_number(value: int | float, language: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_babel_locale(language))


def day_month(month: int, day: int, language: str | None = None) -> str:
    """A year-less date: ``14.4.`` in Finnish, ``14 April`` in English."""
    from babel.dates import format_skeleton

    # 2000 is a leap year, so 29 February formats too; the year is not shown.
    return format_skeleton("MMMd", date(2000, month, day), locale=_babel_locale(language))
