"""Letter templates: placeholder checks, the shipped texts, and the owner's edits."""

from __future__ import annotations

import pytest

from crm_desktop.models import LetterTemplate
from crm_desktop.services.errors import NotFound, ValidationError
from crm_desktop.services.letter_placeholders import (
    PLACEHOLDER_NAMES,
    check_template,
    fill_template,
    placeholders_in,
)
from crm_desktop.services.letter_templates import (
    LETTER_KINDS,
    LETTER_LANGUAGES,
    default_template,
    effective_template,
    reset_template,
    save_template,
)


def test_a_misspelt_placeholder_is_reported_with_the_name_meant() -> None:
    problems = check_template("Hello", "Dear {frist_name},\n\nThanks.")

    assert len(problems) == 1
    problem = problems[0]
    assert (problem.part, problem.line, problem.column) == ("body", 1, 6)
    assert problem.suggestion == "first_name"
    assert "{frist_name}" in problem.message and "{first_name}" in problem.message


def test_an_unclosed_brace_is_reported_with_the_placeholder_meant() -> None:
    problems = check_template("Hello", "Thanks again.\nDear {first_name,\nwelcome")

    assert [(p.part, p.line, p.suggestion) for p in problems] == [("body", 2, "first_name")]
    assert "never closed" in problems[0].message
    assert "{first_name," in problems[0].message


@pytest.mark.parametrize(
    ("subject", "body", "suggestion", "words"),
    [
        ("Hi first_name}", "", "first_name", "no opening"),
        ("", "Dear {{first_name}},", "first_name", "single braces"),
        ("", "Dear { First Name },", "first_name", "not a known placeholder"),
        ("", "Code: {coupon-code}", "coupon_code", "not a known placeholder"),
        ("", "Dear {},", None, "not a known placeholder"),
        ("", "Dear {shoe_size},", None, "not a known placeholder"),
    ],
)
def test_every_kind_of_brace_mistake_is_caught(subject, body, suggestion, words) -> None:
    problems = check_template(subject, body)

    assert len(problems) == 1
    assert problems[0].suggestion == suggestion
    assert words in problems[0].message


def test_problems_come_in_reading_order_from_subject_to_body() -> None:
    problems = check_template("For {frist_name}", "{last_nme}\n\n{coupon_cod}")

    assert [(p.part, p.line, p.suggestion) for p in problems] == [
        ("subject", 1, "first_name"), ("body", 1, "last_name"), ("body", 3, "coupon_code"),
    ]


def test_a_correct_template_has_no_problems() -> None:
    assert check_template("Hi {first_name}!", "Your code {coupon_code} ({coupon_value}).") == []


@pytest.mark.parametrize("language", LETTER_LANGUAGES)
@pytest.mark.parametrize("kind", sorted(LETTER_KINDS))
def test_every_shipped_template_passes_the_check(kind: str, language: str) -> None:
    template = default_template(kind, language)

    assert template.subject and template.body and template.closing
    assert check_template(template.subject, template.body) == []
    assert check_template(template.closing, "") == []
    assert placeholders_in(template.closing) == []
    assert "first_name" in placeholders_in(template.body)


@pytest.mark.parametrize("kind", sorted(LETTER_KINDS))
def test_finnish_and_english_templates_use_the_same_placeholders(kind: str) -> None:
    def used(language: str) -> set[str]:
        template = default_template(kind, language)
        return set(placeholders_in(template.subject + "\n" + template.body))

    assert used("fi") == used("en")
    assert used("fi") <= set(PLACEHOLDER_NAMES)


def test_a_paragraph_without_a_value_is_left_out_and_required_names_are_missing() -> None:
    body = "Dear {first_name},\n\nYour code: {coupon_code}.\n\nRegards to {salutation} {last_name}."
    values = {"first_name": "Aino", "coupon_code": "", "salutation": "", "last_name": "Mäkinen"}

    filled = fill_template("Hi {first_name}", body, values)

    assert filled.subject == "Hi Aino"
    assert filled.paragraphs == ("Dear Aino,",)
    assert filled.missing == ("salutation",)


def test_filled_values_are_inserted_as_written() -> None:
    filled = fill_template("{first_name}", "Hello {first_name} {last_name}!",
                           {"first_name": "Ł <b>", "last_name": "{coupon_code} & Co"})

    assert filled.paragraphs == ("Hello Ł <b> {coupon_code} & Co!",)
    assert filled.missing == ()


def test_an_edit_overrides_the_shipped_text_until_it_is_reset(db) -> None:
    with db.session() as s:
        save_template(s, "apology", "fi", " Anteeksi, {first_name} ", "Hei {first_name}!")
    with db.session() as s:
        edited = effective_template(s, "apology", "fi")
        english = effective_template(s, "apology", "en")
    assert (edited.subject, edited.body, edited.edited) == (
        "Anteeksi, {first_name}", "Hei {first_name}!", True)
    assert edited.closing == default_template("apology", "fi").closing
    assert english == default_template("apology", "en")

    with db.session() as s:
        save_template(s, "apology", "fi", "Toinen", "Hei taas {first_name}!")
    with db.session() as s:
        assert effective_template(s, "apology", "fi").subject == "Toinen"
        reset_template(s, "apology", "fi")
    with db.session() as s:
        assert effective_template(s, "apology", "fi") == default_template("apology", "fi")


def test_an_edit_with_a_bad_placeholder_is_refused_and_nothing_changes(db) -> None:
    with db.session() as s:
        save_template(s, "birthday", "en", "Happy day", "Dear {first_name}")
    with (pytest.raises(ValidationError) as refused, db.session() as s):
        save_template(s, "birthday", "en", "Happy day", "Dear {frist_name}")

    assert "{first_name}" in refused.value.fields["body"]
    with db.session() as s:
        assert effective_template(s, "birthday", "en").body == "Dear {first_name}"
        assert s.query(LetterTemplate).count() == 1


@pytest.mark.parametrize(
    ("subject", "body", "field"),
    [("", "Dear {first_name}", "subject"), ("Hi", "  ", "body"), ("x" * 201, "Hi", "subject"),
     ("Two\nlines", "Hi", "subject")],
)
def test_an_empty_or_oversized_edit_is_refused(db, subject, body, field) -> None:
    with pytest.raises(ValidationError) as refused, db.session() as s:
        save_template(s, "win_back", "en", subject, body)
    assert field in refused.value.fields


def test_unknown_kind_or_language(db) -> None:
    with pytest.raises(NotFound, match="no letter template “thank_you”"), db.session() as s:
        effective_template(s, "thank_you", "fi")
    with pytest.raises(ValidationError), db.session() as s:
        save_template(s, "apology", "sv", "Hej", "Hej {first_name}")


def test_a_language_without_texts_falls_back_to_english() -> None:
    assert default_template("apology", "sv") == default_template("apology", "en")
