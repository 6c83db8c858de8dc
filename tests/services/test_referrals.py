"""Referral links: one referrer each, no self-referral, no cycles, changes logged; thanks."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from crm_desktop.models import Coupon, Referral, Touchpoint
from crm_desktop.services.customer_data import CustomerInput
from crm_desktop.services.customers import create_customer, delete_customer
from crm_desktop.services.errors import Conflict, NotFound, ValidationError
from crm_desktop.services.referrals import (
    clear_referral,
    get_referral,
    referrals_due_thanks,
    reward_referral,
    save_extra_sources,
    set_referral,
    source_choices,
)
from crm_desktop.services.touchpoints import delete_touchpoint, log_visit, timeline


def people(db, *names: str) -> list[int]:
    with db.session() as s:
        inputs = [CustomerInput(first_name=name, last_name="Testinen") for name in names]
        return [create_customer(s, data, "FI").customer.id for data in inputs]


def refer(db, customer: int, referrer: int | None, source: str | None = None, on=None):
    with db.session() as s:
        return set_referral(s, customer, referrer, source, on)


def stored_referrals(db) -> list[tuple[int, int | None, str | None]]:
    with db.session() as s:
        rows = s.execute(
            select(Referral.referred_id, Referral.referrer_id, Referral.source).order_by(
                Referral.referred_id
            )
        )
        return [tuple(row) for row in rows]


def test_a_customer_referred_by_another(db):
    anna, bert = people(db, "Anna", "Bert")
    saved = refer(db, bert, anna, on=date(2026, 3, 1))
    assert saved.referral.referrer_id == anna
    assert saved.referral.referrer_name == "Anna Testinen"
    assert saved.referral.referred_on == date(2026, 3, 1)
    assert saved.referral.reward_status == "pending"
    assert not saved.changed_referrer
    assert saved.changes.customers == {anna, bert}
    with db.session() as s:
        assert get_referral(s, bert) == saved.referral
        assert get_referral(s, anna) is None


def test_a_customer_cannot_refer_themself(db):
    (anna,) = people(db, "Anna")
    with pytest.raises(ValidationError) as refused:
        refer(db, anna, anna)
    assert refused.value.fields == {"referrer": "A customer cannot refer themself."}
    assert stored_referrals(db) == []


def test_a_link_closing_a_cycle_is_refused_and_nothing_changes(db):
    a, b, c = people(db, "Aino", "Bert", "Cecilia")
    refer(db, b, a)  # A → B
    refer(db, c, b)  # B → C
    before = stored_referrals(db)
    with pytest.raises(ValidationError) as refused:
        refer(db, a, c)  # C → A would close A → B → C → A
    message = refused.value.fields["referrer"]
    assert "Cecilia Testinen" in message and "Aino Testinen" in message
    assert "circle" in message
    with pytest.raises(ValidationError):
        refer(db, b, c)  # C → B would close B → C → B
    assert stored_referrals(db) == before


def test_a_cycle_is_found_however_long_the_chain(db):
    ids = people(db, *(f"P{i}" for i in range(30)))
    for referrer, customer in pairwise(ids):
        refer(db, customer, referrer)
    with pytest.raises(ValidationError):
        refer(db, ids[0], ids[-1])
    # Hanging a newcomer below the end of the chain is fine; the newcomer bringing the first
    # of the chain is not.
    (other,) = people(db, "Other")
    refer(db, other, ids[-1])
    with pytest.raises(ValidationError):
        refer(db, ids[0], other)
    assert (other, ids[-1], None) in stored_referrals(db)


def test_moving_a_customer_under_someone_in_another_branch_is_allowed(db):
    root, left, right, leaf = people(db, "Root", "Left", "Right", "Leaf")
    refer(db, left, root)
    refer(db, right, root)
    refer(db, leaf, left)
    saved = refer(db, leaf, right)
    assert saved.changed_referrer
    assert saved.previous_referrer_id == left
    assert (leaf, right, None) in stored_referrals(db)


def test_changing_the_referrer_is_logged_on_the_referred_customer(db):
    anna, bert, cecilia = people(db, "Anna", "Bert", "Cecilia")
    refer(db, cecilia, anna)
    saved = refer(db, cecilia, bert)
    assert saved.changed_referrer
    assert "touchpoints" in saved.changes.kinds
    assert saved.changes.customers == {anna, bert, cecilia}
    with db.session() as s:
        entries = timeline(s, cecilia)
    assert [e.kind for e in entries] == ["referral"]
    assert entries[0].summary == "Referrer changed from Anna Testinen to Bert Testinen."
    assert stored_referrals(db) == [(cecilia, bert, None)]  # still one referral per customer


def test_changing_from_a_referrer_to_a_source_names_both(db):
    anna, bert = people(db, "Anna", "Bert")
    refer(db, bert, anna)
    refer(db, bert, None, "advert")
    with db.session() as s:
        (entry,) = timeline(s, bert)
    assert entry.summary == "Referrer changed from Anna Testinen to Advert."


def test_saving_the_same_referrer_again_logs_nothing(db):
    anna, bert = people(db, "Anna", "Bert")
    refer(db, bert, anna, on=date(2026, 1, 5))
    saved = refer(db, bert, anna, on=date(2026, 1, 6))
    assert not saved.changed_referrer
    assert saved.referral.referred_on == date(2026, 1, 6)
    with db.session() as s:
        assert timeline(s, bert) == []


def test_exactly_one_of_referrer_and_source(db):
    anna, bert = people(db, "Anna", "Bert")
    with pytest.raises(ValidationError) as both:
        refer(db, bert, anna, "web")
    assert "referrer" in both.value.fields
    with pytest.raises(ValidationError):
        refer(db, bert, None, None)
    assert stored_referrals(db) == []


def test_unknown_people_and_sources_are_refused(db):
    (anna,) = people(db, "Anna")
    with pytest.raises(ValidationError) as unknown_referrer:
        refer(db, anna, anna + 100)
    assert unknown_referrer.value.fields["referrer"] == f"Customer {anna + 100} does not exist."
    with pytest.raises(NotFound):
        refer(db, anna + 100, anna)
    with pytest.raises(ValidationError) as unknown_source:
        refer(db, anna, None, "carrier pigeon")
    assert "source" in unknown_source.value.fields
    with pytest.raises(ValidationError) as future:
        refer(db, anna, None, "web", date.today() + timedelta(days=1))
    assert "referred_on" in future.value.fields
    assert stored_referrals(db) == []


def test_the_owners_own_sources(db):
    (anna,) = people(db, "Anna")
    with db.session() as s:
        save_extra_sources(s, ["Facebook", " Radio Nova ", ""])
    with db.session() as s:
        choices = source_choices(s)
    assert [c.key for c in choices] == [
        "walk_in", "advert", "web", "event", "other", "Facebook", "Radio Nova"
    ]
    assert choices[0].label == "Walk-in" and choices[0].built_in
    assert not choices[-1].built_in
    saved = refer(db, anna, None, "Radio Nova")
    assert saved.referral.source_label == "Radio Nova"
    # A source taken off the list stays on the referrals that already use it.
    with db.session() as s:
        save_extra_sources(s, ["Facebook"])
    refer(db, anna, None, "Radio Nova", date(2026, 2, 1))
    with pytest.raises(ValidationError):
        refer(db, people(db, "Bert")[0], None, "Radio Nova")


@pytest.mark.parametrize(
    "names", [["Facebook", "facebook"], ["Advert"], ["walk_in"], ["customer"], ["x" * 31]]
)
def test_duplicate_reserved_or_long_source_names_are_refused(db, names):
    with db.session() as s, pytest.raises(ValidationError) as refused:
        save_extra_sources(s, names)
    assert "sources" in refused.value.fields


def test_clear_referral(db):
    anna, bert = people(db, "Anna", "Bert")
    refer(db, bert, anna)
    with db.session() as s:
        cleared = clear_referral(s, bert)
        again = clear_referral(s, bert)
    assert cleared.removed is not None and cleared.removed.referrer_id == anna
    assert again.removed is None
    assert stored_referrals(db) == []
    with db.session() as s:
        assert [e.summary for e in timeline(s, bert)] == ["Referrer Anna Testinen removed."]


def test_a_deleted_referrer_leaves_the_referral_without_referrer_or_source(db):
    anna, bert, cecilia = people(db, "Anna", "Bert", "Cecilia")
    refer(db, bert, anna)
    with db.session() as s:
        delete_customer(s, anna)
    with db.session() as s:
        info = get_referral(s, bert)
    assert info is not None and info.referrer_id is None and info.source is None
    refer(db, bert, cecilia)
    with db.session() as s:
        (entry,) = timeline(s, bert)
    assert entry.summary == "Referrer changed from a deleted customer to Cecilia Testinen."


# Thanks ---------------------------------------------------------------------------------------


def test_the_first_visit_makes_a_thank_you_due(db):
    anna, bert = people(db, "Anna", "Bert")
    refer(db, bert, anna)
    with db.session() as s:
        assert referrals_due_thanks(s) == []
        logged = log_visit(s, bert, datetime(2026, 4, 1, 10, 0))
    assert anna in logged.changes.customers and "referrals" in logged.changes.kinds
    with db.session() as s:
        (due,) = referrals_due_thanks(s)
        assert get_referral(s, bert).reward_status == "due"
    assert (due.referrer_id, due.referrer_name) == (anna, "Anna Testinen")
    assert (due.referred_id, due.referred_name) == (bert, "Bert Testinen")
    assert due.first_visit_at == datetime(2026, 4, 1, 10, 0)


def test_a_first_visit_removed_as_a_mistake_takes_the_thanks_back(db):
    anna, bert = people(db, "Anna", "Bert")
    refer(db, bert, anna)
    with db.session() as s:
        first = log_visit(s, bert, datetime(2026, 4, 1, 10, 0)).entry.id
        second = log_visit(s, bert, datetime(2026, 4, 8, 10, 0)).entry.id
    with db.session() as s:
        delete_touchpoint(s, second)  # one visit is left: still due
        assert get_referral(s, bert).reward_status == "due"
    with db.session() as s:
        removed = delete_touchpoint(s, first)
    assert anna in removed.changes.customers and "referrals" in removed.changes.kinds
    with db.session() as s:
        assert get_referral(s, bert).reward_status == "pending"
        assert referrals_due_thanks(s) == []
        log_visit(s, bert, datetime(2026, 4, 9, 10, 0))  # the real first visit
    with db.session() as s:
        assert [due.referred_id for due in referrals_due_thanks(s)] == [bert]


def test_a_visit_by_someone_who_came_from_a_source_thanks_nobody(db):
    (anna,) = people(db, "Anna")
    refer(db, anna, None, "web")
    with db.session() as s:
        log_visit(s, anna)
    with db.session() as s:
        assert referrals_due_thanks(s) == []
        assert get_referral(s, anna).reward_status == "pending"


def test_a_referral_recorded_after_the_first_visit_is_due_at_once(db):
    anna, bert = people(db, "Anna", "Bert")
    with db.session() as s:
        log_visit(s, bert)
    saved = refer(db, bert, anna)
    assert saved.referral.reward_status == "due"


def test_visits_written_without_the_hook_still_count(db):
    anna, bert = people(db, "Anna", "Bert")
    refer(db, bert, anna)
    with db.session() as s:  # as an import or the demo would write it
        s.add(Touchpoint(customer_id=bert, kind="visit", occurred_at=datetime(2026, 5, 1)))
    with db.session() as s:
        assert [d.referred_id for d in referrals_due_thanks(s)] == [bert]


def test_a_referral_is_rewarded_exactly_once(db):
    anna, bert = people(db, "Anna", "Bert")
    referral_id = refer(db, bert, anna).referral.id
    with db.session() as s:
        log_visit(s, bert)
    with db.session() as s:
        coupon = Coupon(code="TESTCODE1", kind="free_item", value=0, reason="referral",
                        customer_id=anna, expires_on=date(2027, 1, 1))
        s.add(coupon)
        s.flush()
        rewarded = reward_referral(s, referral_id, coupon.id)
        coupon_id = coupon.id
    assert (rewarded.referrer_id, rewarded.referred_id) == (anna, bert)
    assert rewarded.changes.customers == {anna, bert}
    with db.session() as s, pytest.raises(Conflict) as second:
        reward_referral(s, referral_id)
    assert "already rewarded" in str(second.value)
    with db.session() as s:
        info = get_referral(s, bert)
        assert referrals_due_thanks(s) == []
    assert info.reward_status == "rewarded"
    assert info.reward_coupon_id == coupon_id
    assert info.rewarded_at == rewarded.rewarded_at


def test_of_two_desks_rewarding_one_after_the_other_only_the_first_succeeds(db):
    anna, bert = people(db, "Anna", "Bert")
    referral_id = refer(db, bert, anna).referral.id
    outcomes = []
    for _desk in range(2):
        try:
            with db.session() as s:
                reward_referral(s, referral_id)
            outcomes.append("rewarded")
        except Conflict:
            outcomes.append("refused")
    assert outcomes == ["rewarded", "refused"]
    with db.session() as s:
        rewarded = s.scalar(
            select(func.count()).where(Referral.reward_status == "rewarded")
        )
    assert rewarded == 1


def test_rewarding_what_cannot_be_rewarded(db):
    anna, bert = people(db, "Anna", "Bert")
    from_source = refer(db, anna, None, "event").referral.id
    with db.session() as s, pytest.raises(Conflict) as nobody:
        reward_referral(s, from_source)
    assert "Nobody to thank" in str(nobody.value)
    with db.session() as s, pytest.raises(NotFound):
        reward_referral(s, from_source + 100)
    referral_id = refer(db, bert, anna).referral.id
    with db.session() as s, pytest.raises(ValidationError) as no_coupon:
        reward_referral(s, referral_id, coupon_id=12345)
    assert "coupon" in no_coupon.value.fields
    with db.session() as s:
        assert get_referral(s, bert).reward_status == "pending"
