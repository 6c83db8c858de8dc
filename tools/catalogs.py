"""Keep the translation catalogs in step with the code.

``python -m tools.catalogs update`` extracts every ``_()``/``ngettext()``/``pgettext()`` string from
``crm_desktop``, merges it into ``resources/locale/<lang>/LC_MESSAGES/crm_desktop.po``, fills the
English catalog with the source text, and compiles the ``.mo`` files the program loads.
``check`` lists what is missing (the test suite runs the same check).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "resources" / "locale"
DOMAIN = "crm_desktop"
LANGUAGES = ("fi", "en")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def extract() -> Catalog:
    catalog = Catalog(project="Kanta", charset="utf-8")
    method_map = [("**.py", "python")]
    for _filename, _lineno, message, comments, context in extract_from_dir(
        str(ROOT / "crm_desktop"), method_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, None, [], auto_comments=comments, context=context)
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, project="Kanta", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def update() -> None:
    template = extract()
    for language in LANGUAGES:
        catalog = load(language)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if language == "en":
            _fill_with_source(catalog)
        _save(catalog, language)


def _fill_with_source(catalog: Catalog) -> None:
    for message in catalog:
        if not message.id or (message.string and any(message.string)):
            continue
        message.string = message.id if isinstance(message.id, str) else tuple(message.id)
        message.flags.discard("fuzzy")


def _save(catalog: Catalog, language: str) -> None:
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    with path.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog)


def compile_all() -> None:
    for language in LANGUAGES:
        _save(load(language), language)


def missing(language: str) -> list[str]:
    catalog = load(language)
    wanted = extract()
    problems = []
    for message in wanted:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        strings = (
            []
            if found is None
            else (list(found.string) if isinstance(found.string, tuple) else [found.string])
        )
        if found is None or not all(strings) or "fuzzy" in found.flags:
            problems.append(message.id if isinstance(message.id, str) else message.id[0])
    return problems


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    for language in LANGUAGES:
        for message_id in missing(language):
            print(f"{language}: untranslated: {message_id!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
