"""Batch letters: who is included, who is skipped and why, one PDF with progress and cancel."""

from __future__ import annotations

from datetime import date

import pytest

from crm_desktop.models import Customer, ImportantDate, LetterTemplate, Touchpoint
from crm_desktop.reports import Cancelled
from crm_desktop.services.letter_batch import (
    SKIP_CANNOT_FILL,
    SKIP_DO_NOT_MARKET,
    SKIP_NO_ADDRESS,
    SKIP_NOT_FOUND,
    SKIP_REFUSED_POST,
    BirthdaysInMonth,
    ByIds,
    ByTag,
    batch_candidates,
    log_batch_sent,
    render_batch,
)
from crm_desktop.services.letters import LetterProblem
from tests.services.letter_helpers import TODAY, add_customer, page_count, pdf_text, setup_business


def _mixed_customers(session) -> dict[str, int]:
    return {
        "ok": add_customer(session, "Aino", "Aalto"),
        "no_address": add_customer(session, "Eero", "Eskola", street=""),
        "no_town": add_customer(session, "Ilona", "Ikonen", city=""),
        "do_not_market": add_customer(session, "Oona", "Ojala", do_not_market=True),
        "refused_post": add_customer(session, "Ulla", "Uotila", refuses_post=True),
        "english": add_customer(session, "Emma", "Smith", "en"),
    }


def test_marketing_letters_skip_refusals_and_say_why(db) -> None:
    with db.session() as s:
        setup_business(s)
        people = _mixed_customers(s)
        ids = (*people.values(), 9999)
        plan = batch_candidates(s, "birthday", ByIds(ids), TODAY)

    assert [p.customer_id for p in plan.included] == [people["ok"], people["english"]]
    assert [(p.customer_id, p.reason) for p in plan.skipped] == [
        (people["no_address"], SKIP_NO_ADDRESS),
        (people["no_town"], SKIP_NO_ADDRESS),
        (people["do_not_market"], SKIP_DO_NOT_MARKET),
        (people["refused_post"], SKIP_REFUSED_POST),
        (9999, SKIP_NOT_FOUND),
    ]
    assert plan.skipped[0].name == "Eero Eskola"
    assert plan.skipped[0].message == "No postal address."
    assert [letter.language for letter in plan.letters] == ["fi", "en"]


def test_an_apology_still_reaches_customers_who_refused_marketing(db) -> None:
    with db.session() as s:
        setup_business(s)
        people = _mixed_customers(s)
        plan = batch_candidates(s, "apology", ByIds(tuple(people.values())), TODAY)

    assert {p.customer_id for p in plan.included} == {
        people["ok"], people["do_not_market"], people["refused_post"], people["english"]}
    assert {p.reason for p in plan.skipped} == {SKIP_NO_ADDRESS}


def test_a_tag_selects_its_customers_in_name_order(db) -> None:
    with db.session() as s:
        setup_business(s)
        virtanen = add_customer(s, "Eero", "Virtanen", tags=("vip",))
        aalto = add_customer(s, "Aino", "Aalto", tags=("vip", "regular"))
        add_customer(s, "Untagged", "Person", tags=("regular",))
        plan = batch_candidates(s, "win_back", ByTag("vip"), TODAY)

    assert [p.customer_id for p in plan.included] == [aalto, virtanen]


def _birthday(session, customer_id: int, month: int, day: int) -> None:
    session.add(ImportantDate(customer_id=customer_id, kind="birthday", month=month, day=day,
                              month_day=month * 100 + day))
    session.flush()


@pytest.mark.parametrize(("leap_rule", "march_has_leap_day"), [("feb28", False), ("mar1", True)])
def test_birthdays_this_month_by_day_with_the_leap_day_rule(db, leap_rule, march_has_leap_day):
    with db.session() as s:
        setup_business(s, leap_day_rule=leap_rule)
        late, early = add_customer(s, "Late", "March"), add_customer(s, "Early", "March")
        leap = add_customer(s, "Leap", "Day")
        _birthday(s, late, 3, 30)
        _birthday(s, early, 3, 2)
        _birthday(s, leap, 2, 29)
        _birthday(s, add_customer(s, "April", "Person"), 4, 1)
        march = batch_candidates(s, "birthday", BirthdaysInMonth(3), date(2027, 2, 20))
        february = batch_candidates(s, "birthday", BirthdaysInMonth(2), date(2027, 2, 20))

    expected_march = [leap, early, late] if march_has_leap_day else [early, late]
    assert [p.customer_id for p in march.included] == expected_march
    assert [p.customer_id for p in february.included] == ([] if march_has_leap_day else [leap])


def test_a_customer_whose_letter_cannot_be_filled_is_skipped(db) -> None:
    with db.session() as s:
        setup_business(s)
        aino = add_customer(s, "Aino", "")
        s.add(LetterTemplate(kind="win_back", language="fi", subject="Hei",
                             body="Hyvä {first_name} {last_name}!"))
        s.flush()
        plan = batch_candidates(s, "win_back", ByIds((aino,)), TODAY)

    assert plan.included == ()
    assert plan.skipped[0].reason == SKIP_CANNOT_FILL
    assert "Aino has no last name" in plan.skipped[0].message


def test_a_template_mistake_stops_the_whole_run(db) -> None:
    with db.session() as s:
        setup_business(s)
        aino = add_customer(s)
        s.add(LetterTemplate(kind="win_back", language="fi", subject="Hei",
                             body="Hyvä {first_name"))
        s.flush()
        with pytest.raises(LetterProblem, match="never closed"):
            batch_candidates(s, "win_back", ByIds((aino,)), TODAY)


def test_one_pdf_with_progress_and_cancel(db) -> None:
    with db.session() as s:
        setup_business(s)
        ids = tuple(add_customer(s, f"Asiakas{n}", "Testi", "fi" if n % 2 else "en")
                    for n in range(5))
        plan = batch_candidates(s, "win_back", ByIds(ids), TODAY)
    seen: list[int] = []

    pdf = render_batch(plan, lambda done: seen.append(done) or True)

    assert page_count(pdf) == 5
    assert seen == [0, 1, 2, 3, 4, 5]
    text = pdf_text(pdf)
    assert "Hei Asiakas1," in text and "Dear Asiakas0," in text
    with pytest.raises(Cancelled):
        render_batch(plan.letters, lambda done: done < 2)


def test_printed_letters_go_on_the_timeline(db) -> None:
    with db.session() as s:
        setup_business(s)
        people = _mixed_customers(s)
        plan = batch_candidates(s, "birthday", ByIds(tuple(people.values())), TODAY)
        changes = log_batch_sent(s, plan, "Maija")
    with db.session() as s:
        logged = s.query(Touchpoint.customer_id).filter_by(kind="letter").all()
        names = {c.id: c.first_name for c in s.query(Customer)}

    assert sorted(row.customer_id for row in logged) == sorted(
        p.customer_id for p in plan.included)
    assert {names[row.customer_id] for row in logged} == {"Aino", "Emma"}
    assert changes.customers == {p.customer_id for p in plan.included}


def test_a_letter_the_engine_cannot_print_is_one_clear_service_error():
    from crm_desktop.reports.letter_data import LetterData, Sender
    from crm_desktop.services.errors import PrintProblem
    from crm_desktop.services.letter_batch import render_batch

    too_tall_address = tuple(f"Line {n}" for n in range(20))
    letter = LetterData(
        sender=Sender(name="Kahvila"),
        recipient_lines=too_tall_address,
        date_text="23.11.2026",
        subject="Hei",
        body_paragraphs=("Teksti.",),
        closing="Terveisin",
        signature="Aino",
        language="fi",
    )
    with pytest.raises(PrintProblem):
        render_batch([letter])
