"""Letter placeholders: the names a template may use, the check before printing, the filling.

A placeholder is a known name in single braces, ``{first_name}``. Letters never need a
literal brace, so every brace must belong to a placeholder: whatever else is found is
reported by :func:`check_template` and a letter with problems is never printed.

Filling works paragraph by paragraph (paragraphs are separated by a blank line). When an
optional placeholder has nothing to say for a customer (no coupon, no favourite product),
its whole paragraph is left out; a required one without a value stops the letter.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from crm_desktop.i18n import N_, _


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str  # marked with N_: translate where it is shown
    required: bool = False  # True: no value stops the letter; False: its paragraph goes


PLACEHOLDERS: tuple[Placeholder, ...] = (
    Placeholder("first_name", N_("The customer's first name (the full name if there is none)")),
    Placeholder("last_name", N_("The customer's last name"), required=True),
    Placeholder("full_name", N_("The customer's first and last name, or the company")),
    Placeholder("salutation", N_("The customer's title, such as Dr"), required=True),
    Placeholder("company", N_("The customer's company")),
    Placeholder("favourite", N_("The customer's favourite product")),
    Placeholder("friend_name", N_("The friend the customer referred most recently")),
    Placeholder("years", N_("How many years the customer's anniversary marks")),
    Placeholder("plan", N_("The subscription the customer decided to keep"), required=True),
    Placeholder("offer", N_("The retention offer the customer accepted"), required=True),
    Placeholder("offer_ends", N_("The last day of the accepted offer")),
    Placeholder("coupon_code", N_("The coupon's code")),
    Placeholder("coupon_value", N_("What the coupon gives, such as 10 % off")),
    Placeholder("coupon_expires", N_("The last day the coupon is valid")),
    Placeholder("business_name", N_("The business name from the settings"), required=True),
    Placeholder("business_phone", N_("The business phone number from the settings")),
    Placeholder("business_email", N_("The business email address from the settings")),
    Placeholder("business_website", N_("The business website from the settings")),
    Placeholder("staff_name", N_("Who signs the letter")),
)
PLACEHOLDER_NAMES = tuple(p.name for p in PLACEHOLDERS)
REQUIRED_PLACEHOLDERS = frozenset(p.name for p in PLACEHOLDERS if p.required)
COUPON_PLACEHOLDERS = frozenset({"coupon_code", "coupon_value", "coupon_expires"})

# A doubled placeholder, a well-formed one, or a brace that belongs to nothing.
_TOKEN = re.compile(r"\{\{([^{}\n]*)\}\}|\{([^{}\n]*)\}|[{}]")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
SNIPPET_LENGTH = 24


@dataclass(frozen=True)
class TemplateProblem:
    part: str  # "subject" or "body"
    line: int  # counted from 1
    column: int  # counted from 1
    message: str  # one sentence, in the interface language: where, then what is wrong
    detail: str  # what is wrong, without where
    suggestion: str | None = None  # the placeholder probably meant, e.g. "first_name"


@dataclass(frozen=True)
class FilledText:
    """A template filled for one customer; ``missing`` lists required names without a value."""

    subject: str
    paragraphs: tuple[str, ...]
    missing: tuple[str, ...]


def check_template(subject: str, body: str) -> list[TemplateProblem]:
    """Every unknown or misspelt placeholder and every broken brace, in reading order."""
    problems = _check_part("subject", subject)
    if "\n" in subject.strip():
        detail = _("the subject must fit on one line.")
        problems.append(TemplateProblem("subject", 1, 1, _message("subject", 1, detail), detail))
    return problems + _check_part("body", body)


def placeholders_in(text: str) -> list[str]:
    """The well-formed placeholder names of a text, in order, repeats included."""
    return _PLACEHOLDER.findall(text)


def split_paragraphs(body: str) -> list[str]:
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip() for part in _PARAGRAPH_BREAK.split(text) if part.strip()]


def fill_template(subject: str, body: str, values: Mapping[str, str]) -> FilledText:
    """Fill a checked template; see the module notes for what happens to empty values."""
    missing: list[str] = []
    for name in placeholders_in(subject):
        if not values.get(name):
            missing.append(name)
    paragraphs: list[str] = []
    for paragraph in split_paragraphs(body):
        empty = [name for name in placeholders_in(paragraph) if not values.get(name)]
        missing += [name for name in empty if name in REQUIRED_PLACEHOLDERS]
        if not empty:
            paragraphs.append(_substitute(paragraph, values))
    return FilledText(
        subject=_substitute(subject.strip(), values),
        paragraphs=tuple(paragraphs),
        missing=tuple(dict.fromkeys(missing)),
    )


def _substitute(text: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), text)


def _check_part(part: str, text: str) -> list[TemplateProblem]:
    problems: list[TemplateProblem] = []
    for match in _TOKEN.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        detail, suggestion = _diagnose(match, text)
        if detail:
            message = _message(part, line, detail)
            problems.append(TemplateProblem(part, line, column, message, detail, suggestion))
    return problems


def _diagnose(match: re.Match[str], text: str) -> tuple[str, str | None]:
    """The message and suggestion for one token; an empty message means it is fine."""
    doubled, name = match.group(1), match.group(2)
    if doubled is not None:
        suggestion = closest_name(doubled)
        written = "{" + (suggestion or doubled.strip()) + "}"
        return _("write {placeholder} with single braces.").format(
            placeholder=written
        ), suggestion
    if name is not None:
        return _unknown(name)
    if match.group(0) == "{":
        return _unclosed(text, match.start())
    return _unopened(text, match.end())


def _unknown(name: str) -> tuple[str, str | None]:
    if name in PLACEHOLDER_NAMES:
        return "", None
    suggestion = closest_name(name)
    written = "{" + name + "}"
    if suggestion is None:
        return _("{placeholder} is not a known placeholder.").format(
            placeholder=written
        ), None
    return _("{placeholder} is not a known placeholder; did you mean {suggestion}?").format(
        placeholder=written, suggestion="{" + suggestion + "}"
    ), suggestion


def _unclosed(text: str, start: int) -> tuple[str, str | None]:
    snippet = text[start:].split(maxsplit=1)[0][:SNIPPET_LENGTH]
    word = re.match(r"[^\s{}.,;:!?]*", text[start + 1 :])
    suggestion = closest_name(word.group(0)) if word and word.group(0) else None
    if suggestion is None:
        return _("the brace in “{snippet}” is never closed.").format(
            snippet=snippet
        ), None
    return _("the brace in “{snippet}” is never closed; write {placeholder}.").format(
        snippet=snippet, placeholder="{" + suggestion + "}"
    ), suggestion


def _unopened(text: str, end: int) -> tuple[str, str | None]:
    snippet = text[:end].split()[-1][-SNIPPET_LENGTH:]
    word = re.search(r"[^\s{}.,;:!?]*\}$", text[:end])
    suggestion = closest_name(word.group(0)[:-1]) if word and len(word.group(0)) > 1 else None
    if suggestion is None:
        return _("“{snippet}” has a closing brace but no opening one.").format(
            snippet=snippet
        ), None
    return _("“{snippet}” has a closing brace but no opening one; write {placeholder}."
             ).format(snippet=snippet, placeholder="{" + suggestion + "}"), suggestion


def closest_name(written: str) -> str | None:
    """The known placeholder most like ``written`` (case, spaces and typos forgiven)."""
    key = re.sub(r"[\s\-]+", "_", written.strip().lower())
    if key in PLACEHOLDER_NAMES:
        return key
    matches = difflib.get_close_matches(key, PLACEHOLDER_NAMES, n=1, cutoff=0.6)
    return matches[0] if matches else None


def where(part: str, line: int) -> str:
    """"the subject" or "the body, line 3", to place a problem in a sentence."""
    if part == "subject":
        return _("the subject")
    return _("the body, line {line}").format(line=line)


def _message(part: str, line: int, detail: str) -> str:
    return _("In {where}: {detail}").format(where=where(part, line), detail=detail)
