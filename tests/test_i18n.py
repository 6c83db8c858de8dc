"""Catalogs complete in both languages, placeholders intact, compiled files current."""

from __future__ import annotations

import copy
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


def _placeholder_breaks(message) -> list[tuple[str, str]]:
    """The (source, translation) pairs of one catalog message whose placeholders differ."""
    if not message.id or not message.string:
        return []
    if isinstance(message.id, str):
        pairs = [(message.id, message.string)]
    else:
        singular, plural = message.id
        forms = list(message.string)
        pairs = [(singular, forms[0])] + [(plural, form) for form in forms[1:]]
    return [(src, dst) for src, dst in pairs if _placeholders(src) != _placeholders(dst)]


@pytest.mark.parametrize("language", catalogs.LANGUAGES)
def test_translations_keep_their_placeholders(language):
    broken = [pair for message in catalogs.load(language) for pair in _placeholder_breaks(message)]
    assert broken == []


@pytest.mark.parametrize("plural", [False, True])
def test_placeholder_check_catches_a_dropped_placeholder(plural):
    # A real Finnish message, copied and spoiled, must be reported by the same check.
    real = next(
        message
        for message in catalogs.load("fi")
        if message.string
        and isinstance(message.id, tuple) == plural
        and _placeholders(message.id if not plural else message.id[1])
    )
    assert _placeholder_breaks(real) == []
    spoiled = copy.copy(real)
    if plural:
        forms = list(real.string)
        spoiled.string = (*forms[:-1], PLACEHOLDER.sub("", forms[-1]))
    else:
        spoiled.string = PLACEHOLDER.sub("", real.string)
    assert _placeholder_breaks(spoiled) != []


def _stale_singular(mo: gettext.GNUTranslations, message) -> bool:
    if message.context:
        return mo.pgettext(message.context, message.id) != message.string
    return mo.gettext(message.id) != message.string


def _stale_plural(mo: gettext.GNUTranslations, message) -> bool:
    singular, plural = message.id
    forms = list(message.string)
    return any(mo.ngettext(singular, plural, n) != forms[int(n != 1)] for n in (1, 3))


@pytest.mark.parametrize("language", catalogs.LANGUAGES)
def test_compiled_catalog_matches_the_source(language):
    po = catalogs.load(language)
    # Both languages: one form for exactly 1, another for every other count.
    assert (po.num_plurals, po.plural_expr) == (2, "(n != 1)")
    with catalogs.po_path(language).with_suffix(".mo").open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    stale = []
    plurals_checked = 0
    for message in po:
        if not message.id or not message.string or not all(message.string):
            continue
        if isinstance(message.id, str):
            stale += [message.id] if _stale_singular(mo, message) else []
        else:
            plurals_checked += 1
            stale += [message.id[0]] if _stale_plural(mo, message) else []
    assert plurals_checked > 0
    assert stale == [], "run `make i18n` to recompile the catalogs"


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
