from __future__ import annotations

import re
import shutil
from datetime import date, datetime, time, timedelta

import phonenumbers
import pytest
from sqlalchemy import func, select, text

from crm_desktop.models import (
    Coupon,
    Customer,
    CustomerPhone,
    CustomerTag,
    ImportantDate,
    Product,
    Referral,
    Touchpoint,
)
from crm_desktop.models.search_index import fold
from crm_desktop.services import demo
from crm_desktop.services.customer_data import CustomerInput
from crm_desktop.services.customers import create_customer, sort_key
from crm_desktop.services.database import open_database
from crm_desktop.services.demo import generate_demo
from crm_desktop.services.search import CustomerQuery, customer_ids

TODAY = date(2026, 11, 23)


def _generate(database, customers=400, seed=1):
    with database.session() as s:
        return generate_demo(s, customers=customers, seed=seed, today=TODAY)


def _snapshot(database):
    """What a person would see, with ids made relative so two databases compare."""
    with database.session() as s:
        first = s.scalar(select(func.min(Customer.id)))
        people = s.execute(
            select(
                Customer.id - first,
                Customer.first_name,
                Customer.last_name,
                Customer.city,
                Customer.customer_since,
                Customer.last_visit_at,
            ).order_by(Customer.id)
        ).all()
        dates = s.execute(
            select(
                ImportantDate.customer_id - first,
                ImportantDate.kind,
                ImportantDate.month,
                ImportantDate.day,
                ImportantDate.year,
            ).order_by(ImportantDate.id)
        ).all()
        referrals = s.execute(
            select(
                Referral.referred_id - first, Referral.referrer_id - first, Referral.source
            ).order_by(Referral.id)
        ).all()
    return [tuple(r) for r in people], [tuple(r) for r in dates], [tuple(r) for r in referrals]


@pytest.fixture
def other_db(tmp_path, _sqlite_template):
    """A second, separate SQLite database next to ``db``."""
    path = tmp_path / "other.sqlite3"
    shutil.copyfile(_sqlite_template, path)
    database = open_database(f"sqlite:///{path}", migrate=False)
    yield database
    database.dispose()


def test_same_seed_gives_the_same_business(db, other_db):
    _generate(db, seed=7)
    _generate(other_db, seed=7)
    assert _snapshot(db) == _snapshot(other_db)


def test_another_seed_gives_other_people(db, other_db):
    _generate(db, customers=50, seed=1)
    _generate(other_db, customers=50, seed=2)
    assert _snapshot(db)[0] != _snapshot(other_db)[0]


def test_counts_match_the_rows_written(db):
    result = _generate(db)
    with db.session() as s:
        assert result.customers == 400 == s.scalar(select(func.count()).select_from(Customer))
        assert result.referrals == 400 == s.scalar(select(func.count()).select_from(Referral))
        touchpoints = s.scalar(select(func.count()).select_from(Touchpoint))
        visits = s.scalar(select(func.count()).where(Touchpoint.kind == "visit"))
        products = s.scalar(select(func.count()).select_from(Product))
        tags = set(s.scalars(select(CustomerTag.name).distinct()))
        languages = set(s.scalars(select(Customer.language).distinct()))
        do_not_market = s.scalar(select(func.count()).where(Customer.do_not_market.is_(True)))
    assert result.touchpoints == touchpoints
    assert visits > 400  # two years of visits, more than one each on average
    assert 8 <= products <= 12
    assert {"vakioasiakas", "vip", "opiskelija"} <= tags
    assert languages == {"fi", "en"}
    assert 0 < do_not_market < 100


def test_customers_look_real(db):
    _generate(db)
    with db.session() as s:
        customers = s.execute(
            select(
                Customer.postal_code,
                Customer.customer_since,
                Customer.sort_name,
                Customer.first_name,
                Customer.last_name,
                Customer.company,
            )
        ).all()
        phones = list(s.scalars(select(CustomerPhone.e164)))
        names = set(s.scalars(select(Customer.first_name)))
    for postal_code, since, sort_name, first_name, last_name, company in customers:
        assert re.fullmatch(r"\d{5}", postal_code)
        assert TODAY - timedelta(days=8 * 366) <= since < TODAY
        assert sort_name == sort_key(first_name, last_name, company)
    assert len(phones) > 300
    assert len(set(phones)) == len(phones)
    for number in phones:
        assert phonenumbers.is_valid_number(phonenumbers.parse(number)), number
    assert any(ch in "ŁłŻż" for name in names for ch in name)  # some Polish customers
    assert any("а" <= ch <= "я" for name in names for ch in name)  # some in Cyrillic


def test_last_visit_is_the_latest_visit(db):
    _generate(db)
    with db.session() as s:
        latest = dict(
            s.execute(
                select(Touchpoint.customer_id, func.max(Touchpoint.occurred_at))
                .where(Touchpoint.kind == "visit")
                .group_by(Touchpoint.customer_id)
            ).all()
        )
        stored = dict(s.execute(select(Customer.id, Customer.last_visit_at)).all())
    assert latest
    assert {cid: when for cid, when in stored.items() if when is not None} == latest
    with db.session() as s:
        newest = s.scalar(select(func.max(Touchpoint.occurred_at)))
    assert newest < datetime.combine(TODAY, time())  # the history ends yesterday


def test_some_birthdays_on_29_february_with_and_without_year(db):
    _generate(db)
    with db.session() as s:
        years = list(
            s.scalars(
                select(ImportantDate.year).where(
                    ImportantDate.kind == "birthday", ImportantDate.month_day == 229
                )
            )
        )
        anniversaries = s.scalar(select(func.count()).where(ImportantDate.kind == "anniversary"))
    assert any(year is None for year in years)
    assert any(year is not None and year % 4 == 0 for year in years)
    assert anniversaries > 0


def test_referral_chains_go_five_deep_without_cycles(db):
    _generate(db)
    with db.session() as s:
        referrer_of = dict(s.execute(select(Referral.referred_id, Referral.referrer_id)).all())
        since = dict(s.execute(select(Customer.id, Customer.customer_since)).all())
        sources = set(s.scalars(select(Referral.source).where(Referral.source.is_not(None))))
    deepest = 0
    for customer_id in referrer_of:
        depth, current, seen = 0, customer_id, {customer_id}
        while referrer_of.get(current) is not None:
            referrer = referrer_of[current]
            assert referrer not in seen  # no cycles, no self-referral
            assert since[referrer] <= since[current]
            seen.add(referrer)
            current, depth = referrer, depth + 1
        deepest = max(deepest, depth)
    assert deepest >= 5
    assert sources == {"walk_in", "advert", "web", "event"}


def test_search_finds_a_demo_customer_by_a_prefix_of_the_last_name(db):
    _generate(db)
    with db.session() as s:
        rows = s.execute(
            select(Customer.id, Customer.last_name).order_by(Customer.id).limit(40)
        ).all()
        for customer_id, last_name in rows:
            typed = last_name[:4]
            if len(fold(typed)) < 3:
                continue  # nothing left to search by once folded (Cyrillic)
            assert customer_id in customer_ids(s, CustomerQuery(text=typed)), last_name


def test_runs_twice_on_the_same_database(db):
    first = _generate(db, customers=120)
    second = _generate(db, customers=120)
    with db.session() as s:
        count = s.scalar(select(func.count()).select_from(Customer))
        uids = s.scalar(select(func.count(Customer.uid.distinct())))
        codes = list(s.scalars(select(Coupon.code)))
        # The id sequences moved on: an ordinary insert after the demo still works.
        saved = create_customer(s, CustomerInput(first_name="Zyra", last_name="Qvist"), "FI")
        found = customer_ids(s, CustomerQuery(text="qvis"))
    assert first.customers == second.customers == 120
    assert count == uids == 240
    assert codes and len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{13,}", code) for code in codes)
    assert found == [saved.customer.id]


def test_search_index_is_complete_after_a_run_in_many_batches(db, monkeypatch):
    # Small batches make the run pause the per-row index triggers and fill the index at the end.
    monkeypatch.setattr(demo, "BATCH_SIZE", 50)
    _generate(db, customers=300)
    with db.session() as s:
        last_id, last_name = s.execute(
            select(Customer.id, Customer.last_name)
            .where(Customer.city == "Tampere", Customer.language == "fi")
            .order_by(Customer.id.desc())
            .limit(1)
        ).one()
        assert last_id in customer_ids(s, CustomerQuery(text=last_name))
        assert last_id in customer_ids(s, CustomerQuery(text=last_name[:2]))
        if db.is_sqlite:
            for table in ("customer_fts", "customer_fts_tri"):
                s.execute(text(f"INSERT INTO {table}({table}) VALUES ('integrity-check')"))
            triggers = s.scalar(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"))
            assert triggers == 6
        saved = create_customer(s, CustomerInput(first_name="Zyra", last_name="Qvist"), "FI")
        assert customer_ids(s, CustomerQuery(text="qv")) == [saved.customer.id]


def test_a_failed_run_leaves_the_database_as_it_was(sqlite_db, monkeypatch):
    monkeypatch.setattr(demo, "BATCH_SIZE", 50)
    real_add_customer = demo._add_customer

    def failing(writer, region, index, since):
        if index == 120:  # after the triggers were paused
            raise RuntimeError("disk full")
        real_add_customer(writer, region, index, since)

    monkeypatch.setattr(demo, "_add_customer", failing)
    with pytest.raises(RuntimeError):
        _generate(sqlite_db, customers=200)
    with sqlite_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 0
        triggers = s.scalar(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"))
        assert triggers == 6


def test_demo_coupons_redeem_like_real_ones(db):
    from crm_desktop.models import Coupon
    from crm_desktop.services.coupon_codes import check_code
    from crm_desktop.services.coupon_data import ACTIVE, REDEEMED, REDEEMED_NOW
    from crm_desktop.services.coupon_queries import find_coupon
    from crm_desktop.services.coupons import redeem_coupon

    with db.session() as s:
        generate_demo(s, customers=200, seed=3, today=TODAY)
    with db.session() as s:
        codes = list(s.scalars(select(Coupon.code)))
    assert codes
    assert all(check_code(code) == code for code in codes)
    with db.session() as s:
        usable = [
            code
            for code in codes
            if (info := find_coupon(s, code)) is not None and info.status(TODAY) == ACTIVE
        ]
    assert usable  # some demo coupons are still unredeemed, unexpired and not void
    with db.session() as s:
        outcome = redeem_coupon(s, usable[0], desk="Kassa", today=TODAY)
    assert outcome.status == REDEEMED_NOW
    with db.session() as s:
        after = find_coupon(s, usable[0])
    assert after is not None and after.status(TODAY) == REDEEMED


def test_the_demo_business_gets_a_letterhead_but_a_real_one_is_kept(db):
    from dataclasses import replace

    from crm_desktop.services.settings import load_settings, save_settings

    with db.session() as s:
        generate_demo(s, customers=5, seed=1, today=date(2026, 11, 23))
        demo = load_settings(s)
    assert demo.name and demo.city == "Tampere"
    with db.session() as s:
        save_settings(s, replace(demo, name="Parturi Liisa"))
        generate_demo(s, customers=5, seed=2, today=date(2026, 11, 23))
        assert load_settings(s).name == "Parturi Liisa"
