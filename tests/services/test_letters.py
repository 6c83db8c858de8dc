"""One customer's letter: language, date, coupon, favourite, escaping, and what stops it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crm_desktop.models import (
    Customer,
    ImportantDate,
    LetterTemplate,
    RetentionCase,
    RetentionOffer,
    Subscription,
    Touchpoint,
)
from crm_desktop.services.coupons import issue_coupon, redeem_coupon
from crm_desktop.services.errors import NotFound, ValidationError
from crm_desktop.services.letter_facts import load_facts
from crm_desktop.services.letter_placeholders import PLACEHOLDER_NAMES
from crm_desktop.services.letter_templates import TemplateText, default_template
from crm_desktop.services.letters import (
    LetterProblem,
    build_letter,
    letter_pdf,
    letter_values,
    log_letter_sent,
    start_run,
)
from tests.services.letter_helpers import (
    TODAY,
    add_customer,
    add_favourite,
    pdf_text,
    setup_business,
)

UNICODE_LAST_NAME = "<Żółć> & Дмитрий"


def _coupon(session, customer_id, kind="amount", value=1000, expires=date(2026, 12, 31)):
    return issue_coupon(session, kind, value, expires, "complaint", customer_id, None,
                        today=TODAY).coupon


def test_a_finnish_customer_gets_a_finnish_letter_and_date(db) -> None:
    with db.session() as s:
        setup_business(s)
        letter = build_letter(s, "apology", add_customer(s), None, TODAY, "Maija")

    assert letter.language == "fi"
    assert letter.date_text == "22. marraskuuta 2026"
    assert letter.subject == "Pahoittelumme"
    assert letter.body_paragraphs[0] == "Hei Aino,"
    assert letter.closing == "Ystävällisin terveisin"
    assert letter.signature == "Maija\nKahvila Korvapuusti Oy"
    assert letter.recipient_lines == ("Aino Mäkinen", "Kirkkokatu 3 A 4", "40100 JYVÄSKYLÄ")


def test_an_english_customer_gets_an_english_letter_and_date(db) -> None:
    with db.session() as s:
        setup_business(s)
        letter = build_letter(s, "apology", add_customer(s, "Emma", "Smith", "en"), None, TODAY)

    assert letter.date_text == "22 November 2026"
    assert letter.subject == "Our apologies"
    assert letter.body_paragraphs[0] == "Dear Emma,"
    assert letter.signature == "Kahvila Korvapuusti Oy"


def test_any_name_prints_as_written(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s, "Łukasz", UNICODE_LAST_NAME, "en")
        text = pdf_text(letter_pdf(s, "apology", customer, None, TODAY))

    assert f"Łukasz {UNICODE_LAST_NAME}" in text
    assert "Dear Łukasz," in text
    assert "22 November 2026" in text


def test_an_apology_with_a_coupon_names_its_value_code_and_last_day(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s, "Emma", "Smith", "en")
        coupon = _coupon(s, customer)
        text = pdf_text(letter_pdf(s, "apology", customer, coupon.id, TODAY, "Maija"))

    assert coupon.grouped_code in text
    assert "€10.00 off" in text
    assert "valid until 31 December 2026" in text
    assert "{" not in text


def test_a_finnish_coupon_reads_in_finnish(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s)
        coupon = _coupon(s, customer, "percent", 20)
        letter = build_letter(s, "apology", customer, coupon.id, TODAY)

    coupon_paragraph = letter.body_paragraphs[2]
    assert "20\xa0% alennus" in coupon_paragraph
    assert coupon.grouped_code in coupon_paragraph
    assert "31. joulukuuta 2026 asti" in coupon_paragraph


def test_without_a_coupon_its_paragraph_is_left_out(db) -> None:
    with db.session() as s:
        setup_business(s)
        letter = build_letter(s, "apology", add_customer(s, language="en"), None, TODAY)

    assert len(letter.body_paragraphs) == 3
    assert not any("coupon" in text for text in letter.body_paragraphs)


def test_a_birthday_letter_names_the_favourite_only_when_there_is_one(db) -> None:
    with db.session() as s:
        setup_business(s)
        with_favourite, without = add_customer(s), add_customer(s, "Eero", "Virtanen")
        add_favourite(s, with_favourite, "Korvapuusti")
        remembered = build_letter(s, "birthday", with_favourite, None, TODAY)
        plain = build_letter(s, "birthday", without, None, TODAY)

    assert remembered.subject == "Hyvää syntymäpäivää, Aino!"
    assert "Suosikkisi Korvapuusti odottaa sinua" in "\n".join(remembered.body_paragraphs)
    assert len(plain.body_paragraphs) == len(remembered.body_paragraphs) - 1
    assert not any("Suosikkisi" in text for text in plain.body_paragraphs)


def test_an_anniversary_letter_counts_the_years_of_the_nearest_anniversary(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s, language="en")
        s.add(ImportantDate(customer_id=customer, kind="anniversary", month=1, day=10, year=2001,
                            month_day=110))
        s.flush()
        letter = build_letter(s, "anniversary", customer, None, TODAY)

    # 22 Nov 2026 is nearer to 10 Jan 2027 than to 10 Jan 2026.
    assert "26 years is truly something to celebrate." in letter.body_paragraphs


def test_a_retention_confirmation_needs_an_accepted_offer(db) -> None:
    with db.session() as s:
        setup_business(s)
        kept, without = add_customer(s, language="en"), add_customer(s, "Eero", "Virtanen")
        plan = Subscription(customer_id=kept, plan="Coffee club", started_on=date(2025, 1, 1))
        s.add(plan)
        s.flush()
        case = RetentionCase(subscription_id=plan.id, outcome="retained")
        s.add(case)
        s.flush()
        s.add(RetentionOffer(case_id=case.id, kind="discount", description="50 % off for 3 months",
                             ends_on=date(2027, 2, 28), accepted=True))
        s.flush()
        letter = build_letter(s, "retention_confirmation", kept, None, TODAY)
        with pytest.raises(LetterProblem, match="Eero Virtanen has no accepted retention offer"):
            build_letter(s, "retention_confirmation", without, None, TODAY)

    body = "\n".join(letter.body_paragraphs)
    assert "Your subscription (Coffee club) continues with this benefit: 50 % off" in body
    assert "valid until 28 February 2027" in body
    assert "call us on 040 1234567" in body


def test_a_coupon_that_cannot_be_used_is_not_printed(db) -> None:
    with db.session() as s:
        setup_business(s)
        aino, eero = add_customer(s), add_customer(s, "Eero", "Virtanen")
        theirs, used = _coupon(s, eero), _coupon(s, aino)
        redeem_coupon(s, used.code, today=TODAY)
    with pytest.raises(LetterProblem, match="belongs to another customer"), db.session() as s:
        build_letter(s, "apology", aino, theirs.id, TODAY)
    with pytest.raises(LetterProblem, match="already been redeemed"), db.session() as s:
        build_letter(s, "apology", aino, used.id, TODAY)
    with pytest.raises(NotFound), db.session() as s:
        build_letter(s, "apology", aino, 999, TODAY)


def test_a_coupon_the_template_does_not_mention_stops_the_letter(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s)
        coupon = _coupon(s, customer)
        s.add(LetterTemplate(kind="apology", language="fi", subject="Anteeksi",
                             body="Hei {first_name}, anteeksi."))
        s.flush()
        with pytest.raises(LetterProblem, match=r"does not mention a coupon"):
            build_letter(s, "apology", customer, coupon.id, TODAY)


def test_a_stored_template_with_a_mistake_is_never_printed(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s)
        s.add(LetterTemplate(kind="apology", language="fi", subject="Anteeksi",
                             body="Hei {frist_name},\n\nanteeksi."))
        s.flush()
        with pytest.raises(LetterProblem) as stopped:
            letter_pdf(s, "apology", customer, None, TODAY)

    message = str(stopped.value)
    assert "{frist_name}" in message and "{first_name}" in message
    assert "line 1" in message and message.count("\n") == 0
    assert stopped.value.problems


def test_the_preview_uses_an_unsaved_edit(db) -> None:
    edit = TemplateText("win_back", "en", "Come back, {first_name}", "Hi {first_name}!",
                        "Cheers", edited=True)
    with db.session() as s:
        setup_business(s)
        letter = build_letter(s, "win_back", add_customer(s, language="en"), None, TODAY,
                              template=edit)

    assert (letter.subject, letter.body_paragraphs, letter.closing) == (
        "Come back, Aino", ("Hi Aino!",), "Cheers")


def test_company_and_foreign_addresses_follow_the_postal_rules(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s, "Anna", "Berg", "en", company="Berg AB", street="Storgatan 1",
                                postal_code="111 22", city="Stockholm", country="SE",
                                salutation="Dr")
        letter = build_letter(s, "apology", customer, None, TODAY)

    assert letter.recipient_lines == (
        "Berg AB", "Dr Anna Berg", "Storgatan 1", "111 22 STOCKHOLM", "SWEDEN")
    assert letter.sender.country == "Finland"
    assert letter.sender.phone == "+358 40 1234567"


def test_a_customer_language_without_texts_gets_english(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s)
        s.get(Customer, customer).language = "sv"  # the card refuses it; an old import may not
        s.flush()
        letter = build_letter(s, "apology", customer, None, TODAY)

    assert letter.language == "en"
    assert letter.subject == default_template("apology", "en").subject


def test_a_missing_business_name_stops_the_letter(db) -> None:
    with db.session() as s:
        setup_business(s, name="")
        s.add(LetterTemplate(kind="apology", language="fi", subject="Anteeksi",
                             body="Terveisin {business_name}"))
        s.flush()
        with pytest.raises(LetterProblem, match="business name is missing"):
            build_letter(s, "apology", add_customer(s), None, TODAY)


def test_every_placeholder_gets_a_value(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s)
        facts = load_facts(s, [customer])[customer]
        values = letter_values(start_run(s, "apology", TODAY), facts, "fi", None)

    assert set(values) == set(PLACEHOLDER_NAMES)


def test_a_sent_letter_goes_on_the_timeline(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s)
        changes = log_letter_sent(s, customer, "birthday", "Maija")
    with db.session() as s:
        entry = s.query(Touchpoint).filter_by(customer_id=customer).one()

    assert (entry.kind, entry.staff, entry.summary) == ("letter", "Maija",
                                                        "Letter sent: Birthday greeting")
    assert isinstance(entry.occurred_at, datetime)
    assert customer in changes.customers


def test_unknown_kind_or_customer(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s)
        with pytest.raises(NotFound, match="no letter template"):
            build_letter(s, "thanks", customer, None, TODAY)
        with pytest.raises(NotFound, match="Customer 999"):
            build_letter(s, "apology", 999, None, TODAY)


def test_an_overlong_signer_is_refused_before_printing(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s)
        with pytest.raises(ValidationError) as refused:
            letter_pdf(s, "apology", customer, None, TODAY, "x" * 51)
        with pytest.raises(ValidationError):
            log_letter_sent(s, customer, "apology", "x" * 51)

    assert "staff" in refused.value.fields
