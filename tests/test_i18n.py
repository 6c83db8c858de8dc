"""Catalogs complete in both languages, placeholders intact, compiled files current."""

from __future__ import annotations

import gettext
import re
from datetime import date

import pytest

from crm_desktop import i18n
from tools import catalogs

PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", catalogs.LANGUAGES)
def test_every_message_is_translated(language):
    assert catalogs.missing(language) == []


@pytest.mark.parametrize("language", catalogs.LANGUAGES)
def test_translations_keep_their_placeholders(language):
    broken = []
    for message in catalogs.load(language):
        if not message.id or not message.string:
            continue
        if isinstance(message.id, str):
            pairs = [(message.id, message.string)]
        else:
            singular, plural = message.id
            forms = list(message.string)
            pairs = [(singular, forms[0])] + [(plural, form) for form in forms[1:]]
        broken += [(src, dst) for src, dst in pairs if _placeholders(src) != _placeholders(dst)]
    assert broken == []


@pytest.mark.parametrize("language", catalogs.LANGUAGES)
def test_compiled_catalog_matches_the_source(language):
    po = catalogs.load(language)
    with catalogs.po_path(language).with_suffix(".mo").open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    stale = []
    for message in po:
        if not message.id or not isinstance(message.id, str) or not message.string:
            continue
        translated = (
            mo.pgettext(message.context, message.id) if message.context else mo.gettext(message.id)
        )
        if translated != message.string:
            stale.append(message.id)
    assert stale == [], "run `make i18n` to recompile the catalogs"


def test_placeholder_check_catches_a_dropped_placeholder():
    assert _placeholders("Saved {name}") != _placeholders("Tallennettu")


def test_finnish_money_and_dates():
    assert i18n.format_money(123450, "EUR", "fi") == "1\xa0234,50\xa0€"
    assert i18n.format_date(date(2026, 11, 22), "fi") == "22.11.2026"
    assert i18n.format_date(date(2026, 11, 22), "fi", style="long") == "22. marraskuuta 2026"
    assert i18n.day_month(2, 29, "fi") == "29.2."


def test_english_money_and_dates():
    assert i18n.format_money(123450, "EUR", "en") == "€1,234.50"
    assert i18n.format_date(date(2026, 11, 22), "en", style="long") == "22 November 2026"


def test_language_follows_the_environment(monkeypatch):
    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LC_ALL", "fi_FI.UTF-8")
    assert i18n.set_language(None) == "fi"
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.system_language() == "en"


def test_finnish_catalog_is_active_after_switching():
    i18n.set_language("fi")
    assert i18n.ngettext("{count} customer", "{count} customers", 3) != "{count} customers"
