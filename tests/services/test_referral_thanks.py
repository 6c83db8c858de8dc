"""Thanking referrers: the Today item, one-click thanks with coupon and letter, once only."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from crm_desktop.models import Coupon, Customer, LetterTemplate, Touchpoint
from crm_desktop.services.agenda import agenda, mark_done
from crm_desktop.services.agenda_referrals import (
    referral_id_of,
    referral_item_key,
    referral_thanks_items,
)
from crm_desktop.services.agenda_sources import DEFAULT_SOURCES
from crm_desktop.services.coupons import get_coupon
from crm_desktop.services.errors import Conflict, NotFound
from crm_desktop.services.letters import LetterProblem
from crm_desktop.services.referral_data import ThankCoupon
from crm_desktop.services.referral_thanks import (
    default_thank_coupon,
    log_thanks_letter,
    thank_referrer,
)
from crm_desktop.services.referrals import get_referral, referrals_due_thanks, set_referral
from crm_desktop.services.touchpoints import log_visit, timeline
from tests.services.letter_helpers import TODAY, add_customer, pdf_text, setup_business


@pytest.fixture
def family(db) -> dict[str, int]:
    """Aino brought Bea (long ago) and Eero; Bea came from the web."""
    with db.session() as s:
        setup_business(s)
        ids = {
            "aino": add_customer(s, "Aino", "Aalto"),
            "bea": add_customer(s, "Bea", "Berg"),
            "eero": add_customer(s, "Eero", "Ek"),
        }
        ids["bea_referral"] = set_referral(s, ids["bea"], ids["aino"], None, None).referral.id
        ids["eero_referral"] = set_referral(
            s, ids["eero"], ids["aino"], None, TODAY - timedelta(days=2)).referral.id
    return ids


def visit(db, customer_id: int, day: date) -> None:
    with db.session() as s:
        log_visit(s, customer_id, datetime.combine(day, time(12)))


def thanks_items(db, today: date = TODAY):
    with db.session() as s:
        return [item for item in agenda(s, today, 14).items if item.kind == "referral"]


def test_a_first_visit_puts_a_thank_you_on_the_referrers_agenda(db, family):
    assert thanks_items(db) == []  # nobody has visited yet
    visit(db, family["eero"], TODAY)
    (item,) = thanks_items(db)
    assert item.item_key == referral_item_key(family["eero_referral"])
    assert referral_id_of(item.item_key) == family["eero_referral"]
    assert (item.customer_id, item.name) == (family["aino"], "Aino Aalto")
    assert item.what_to_do == "Thank for referring Eero Ek"
    assert (item.occurrence, item.occurs_on, item.due_on, item.late) == ("1", TODAY, TODAY, False)
    visit(db, family["eero"], TODAY + timedelta(days=1))  # a second visit changes nothing
    assert [i.occurs_on for i in thanks_items(db, TODAY + timedelta(days=1))] == [TODAY]


def test_a_missed_thank_you_is_late_within_the_late_window_only(db, family):
    visit(db, family["eero"], TODAY - timedelta(days=3))
    visit(db, family["bea"], TODAY - timedelta(days=45))
    visit(db, family["bea"], TODAY - timedelta(days=1))  # a regular since then
    (item,) = thanks_items(db)
    assert (item.what_to_do, item.occurs_on, item.late) == (
        "Thank for referring Eero Ek", TODAY - timedelta(days=3), True)
    with db.session() as s:  # the Referrals desk still lists both
        assert {d.referred_id for d in referrals_due_thanks(s)} == {family["bea"], family["eero"]}


def test_a_visit_written_without_the_hook_counts_too(db, family):
    with db.session() as s:  # as an import writes it: the referral stays pending
        s.add(Touchpoint(customer_id=family["eero"], kind="visit",
                         occurred_at=datetime.combine(TODAY, time(9))))
        s.flush()
        s.get(Customer, family["eero"]).last_visit_at = datetime.combine(TODAY, time(9))
    assert get_referral_status(db, family["eero"]) == "pending"
    assert [item.customer_id for item in thanks_items(db)] == [family["aino"]]


def test_the_source_is_registered_and_done_hides_the_item(db, family):
    assert referral_thanks_items in DEFAULT_SOURCES
    visit(db, family["eero"], TODAY)
    (item,) = thanks_items(db)
    with db.session() as s:
        done = mark_done(s, item.item_key, item.occurrence, item.customer_id)
    assert thanks_items(db) == []
    with db.session() as s:
        entry = next(e for e in timeline(s, family["aino"]) if e.id == done.touchpoint_id)
    assert entry.summary == "Thanked for a referral."


def test_thanking_issues_the_coupon_rewards_and_writes_the_letter(db, family):
    visit(db, family["eero"], TODAY)
    with db.session() as s:
        result = thank_referrer(
            s, family["eero_referral"], default_thank_coupon(TODAY), TODAY, " Sanna ")
    assert (result.due.referrer_id, result.due.referred_id) == (family["aino"], family["eero"])
    assert result.coupon is not None and result.coupon_code == result.coupon.grouped_code
    with db.session() as s:
        coupon = get_coupon(s, result.coupon.code)
        info = get_referral(s, family["eero"])
        history = timeline(s, family["aino"])
    assert (coupon.customer_id, coupon.kind, coupon.value, coupon.reason) == (
        family["aino"], "amount", 500, "referral")
    assert coupon.expires_on == TODAY + timedelta(days=90)
    assert (info.reward_status, info.reward_coupon_id) == ("rewarded", coupon.id)
    assert [entry for entry in history if entry.kind == "letter"] == []  # not printed yet
    assert {family["aino"], family["eero"]} <= result.changes.customers
    assert thanks_items(db) == []
    assert result.letter is not None and "Eero" in "\n".join(result.letter.body_paragraphs)
    text = pdf_text(result.pdf)
    assert result.coupon.grouped_code in text
    assert "Eero" in text and "Sanna" in text


def test_the_letter_printed_or_saved_goes_on_the_referrers_timeline(db, family):
    visit(db, family["eero"], TODAY)
    with db.session() as s:
        result = thank_referrer(
            s, family["eero_referral"], default_thank_coupon(TODAY), TODAY, " Sanna ")
    with db.session() as s:
        changes = log_thanks_letter(s, result)
    assert family["aino"] in changes.customers
    with db.session() as s:
        letters = [entry for entry in timeline(s, family["aino"]) if entry.kind == "letter"]
    assert [(e.summary, e.staff) for e in letters] == [
        ("Letter sent: Thank you for a referral", "Sanna")]


def test_the_letter_names_the_friend_of_this_referral(db, family):
    """Aino brought Eero last; the thank-you for Bea still names Bea."""
    visit(db, family["bea"], TODAY)
    with db.session() as s:
        result = thank_referrer(s, family["bea_referral"], default_thank_coupon(TODAY), TODAY)
    body = "\n".join(result.letter.body_paragraphs)
    assert "Bea" in body and "Eero" not in body
    assert "Bea" in pdf_text(result.pdf)


def test_a_second_thank_you_is_refused_and_issues_nothing(db, family):
    visit(db, family["eero"], TODAY)
    coupon = ThankCoupon(750, TODAY + timedelta(days=30))
    with db.session() as s:
        thank_referrer(s, family["eero_referral"], coupon, TODAY)
    with pytest.raises(Conflict) as refused, db.session() as s:
        thank_referrer(s, family["eero_referral"], coupon, TODAY)
    assert re.fullmatch(r"This referral was already rewarded on \d\d/\d\d/\d{4}\.",
                        str(refused.value))
    assert coupon_count(db) == 1


def test_a_letter_that_cannot_be_made_leaves_no_coupon_and_no_reward(db, family):
    visit(db, family["eero"], TODAY)
    with db.session() as s:
        s.add(LetterTemplate(kind="referral_thanks", language="fi", subject="Kiitos",
                             body="Hei {first_name}, kiitos suosittelusta."))
    with pytest.raises(LetterProblem, match="does not mention a coupon"), db.session() as s:
        thank_referrer(s, family["eero_referral"], default_thank_coupon(TODAY), TODAY)
    assert coupon_count(db) == 0
    assert get_referral_status(db, family["eero"]) == "due"
    assert len(thanks_items(db)) == 1


def test_thanks_without_a_coupon_only_mark_the_referral(db, family):
    visit(db, family["eero"], TODAY)
    with db.session() as s:
        result = thank_referrer(s, family["eero_referral"], None, TODAY)
    assert (result.coupon, result.letter, result.pdf, result.coupon_code) == (
        None, None, None, None)
    assert get_referral_status(db, family["eero"]) == "rewarded"
    assert coupon_count(db) == 0
    assert thanks_items(db) == []


def test_nobody_to_thank_and_unknown_referrals_are_refused(db, family):
    with db.session() as s:
        web = add_customer(s, "Veikko", "Verkko")
        web_referral = set_referral(s, web, None, "web", None).referral.id
    with pytest.raises(Conflict, match="not referred by a customer"), db.session() as s:
        thank_referrer(s, web_referral, default_thank_coupon(TODAY), TODAY)
    with pytest.raises(NotFound), db.session() as s:
        thank_referrer(s, web_referral + 100, default_thank_coupon(TODAY), TODAY)
    assert coupon_count(db) == 0


def get_referral_status(db, customer_id: int) -> str:
    with db.session() as s:
        return get_referral(s, customer_id).reward_status


def coupon_count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Coupon))
