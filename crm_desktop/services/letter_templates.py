"""Letter templates: the texts shipped in ``resources/letters`` and the owner's edits of them.

An edit stored in the database (``LetterTemplate``) overrides the shipped subject and body
for one kind and language; resetting deletes the edit. The closing line ("Kind regards")
always comes from the shipped file of the letter's language.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from crm_desktop.i18n import N_, _
from crm_desktop.models import LetterTemplate
from crm_desktop.paths import resource_path
from crm_desktop.services.changes import Changes
from crm_desktop.services.errors import NotFound, ServiceError, ValidationError
from crm_desktop.services.letter_placeholders import check_template

# kind -> label for lists and the timeline (marked with N_: translate where shown)
LETTER_KINDS: dict[str, str] = {
    "apology": N_("Apology"),
    "birthday": N_("Birthday greeting"),
    "referral_thanks": N_("Thank you for a referral"),
    "win_back": N_("We miss you"),
    "anniversary": N_("Anniversary greeting"),
    "retention_confirmation": N_("Retention offer confirmation"),
}
# Sent to many customers unasked: these respect a refused postal consent and do-not-market.
MARKETING_KINDS = frozenset({"birthday", "win_back", "anniversary"})
LETTER_LANGUAGES = ("fi", "en")
FALLBACK_LANGUAGE = "en"
SUBJECT_MAX_LENGTH = 200
_CHANGE_KINDS = frozenset({"letter_templates"})


class TemplateFileError(ServiceError):
    """A shipped template file is missing or broken (an installation problem)."""


@dataclass(frozen=True)
class TemplateText:
    kind: str
    language: str
    subject: str
    body: str
    closing: str
    edited: bool  # True when an edit from the database overrides the shipped text


def kind_label(kind: str) -> str:
    return _(LETTER_KINDS[kind]) if kind in LETTER_KINDS else kind


def letter_language(language: str) -> str:
    """The language a letter is written in: the customer's own when we have texts for it."""
    return language if language in LETTER_LANGUAGES else FALLBACK_LANGUAGE


def require_kind(kind: str) -> None:
    if kind not in LETTER_KINDS:
        raise NotFound(
            _("There is no letter template “{kind}”; choose one of: {kinds}.").format(
                kind=kind, kinds=", ".join(LETTER_KINDS)
            )
        )


def default_template(kind: str, language: str) -> TemplateText:
    """The text shipped with the program for one kind and language."""
    require_kind(kind)
    entry = _shipped(letter_language(language)).get(kind)
    if not isinstance(entry, dict) or not all(
        isinstance(entry.get(key), str) for key in ("subject", "body", "closing")
    ):
        raise TemplateFileError(
            _("The shipped “{kind}” letter for language “{language}” is missing or broken.").format(
                kind=kind, language=language
            )
        )
    return TemplateText(kind, letter_language(language), entry["subject"].strip(),
                        entry["body"].strip(), entry["closing"].strip(), edited=False)


def coupon_phrase(kind: str, language: str) -> str:
    """How a coupon of ``kind`` reads in a letter, with ``{value}`` for the coupon's own text."""
    phrases = _shipped(letter_language(language)).get("coupon_value", {})
    phrase = phrases.get(kind) if isinstance(phrases, dict) else None
    return phrase if isinstance(phrase, str) and "{value}" in phrase else "{value}"


def effective_template(session: Session, kind: str, language: str) -> TemplateText:
    """The owner's edit when there is one, the shipped text otherwise."""
    shipped = default_template(kind, language)
    edit = _stored(session, kind, shipped.language)
    if edit is None:
        return shipped
    return TemplateText(kind, shipped.language, edit.subject, edit.body, shipped.closing,
                        edited=True)


def save_template(session: Session, kind: str, language: str, subject: str, body: str) -> Changes:
    """Store an edit; a template with placeholder problems is refused, nothing is saved."""
    require_kind(kind)
    language = _require_language(language)
    subject, body = subject.strip(), body.strip()
    _validate_edit(subject, body)
    edit = _stored(session, kind, language)
    if edit is None:
        session.add(LetterTemplate(kind=kind, language=language, subject=subject, body=body))
    else:
        edit.subject, edit.body = subject, body
    session.flush()
    return Changes(kinds=_CHANGE_KINDS)


def reset_template(session: Session, kind: str, language: str) -> Changes:
    """Forget the edit: the shipped text is used again."""
    require_kind(kind)
    language = _require_language(language)
    session.execute(
        delete(LetterTemplate).where(
            LetterTemplate.kind == kind, LetterTemplate.language == language
        )
    )
    return Changes(kinds=_CHANGE_KINDS)


def _validate_edit(subject: str, body: str) -> None:
    errors: dict[str, str] = {}
    if not subject:
        errors["subject"] = _("Write a subject for the letter.")
    elif len(subject) > SUBJECT_MAX_LENGTH:
        errors["subject"] = _("A subject can be at most {count} characters long.").format(
            count=SUBJECT_MAX_LENGTH
        )
    if not body:
        errors["body"] = _("Write the text of the letter.")
    for problem in check_template(subject, body):
        errors.setdefault(problem.part, problem.message)
    if errors:
        raise ValidationError(errors)


def _require_language(language: str) -> str:
    if language not in LETTER_LANGUAGES:
        raise ValidationError(
            {"language": _("Letters can be written in: {languages}.").format(
                languages=", ".join(LETTER_LANGUAGES)
            )}
        )
    return language


def _stored(session: Session, kind: str, language: str) -> LetterTemplate | None:
    return session.scalar(
        select(LetterTemplate).where(
            LetterTemplate.kind == kind, LetterTemplate.language == language
        )
    )


@cache
def _shipped(language: str) -> dict[str, Any]:
    path = resource_path("letters", f"{language}.toml")
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise TemplateFileError(
            _("The letter texts in {path} cannot be read: {error}").format(path=path, error=error)
        ) from None
