from __future__ import annotations

import copy
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crm_desktop.models import (
    Complaint,
    Coupon,
    CouponEvent,
    Customer,
    Favourite,
    ImportantDate,
    LoyaltyCard,
    LoyaltyProgram,
    Product,
    Redemption,
    Referral,
    RetentionCase,
    RetentionOffer,
    Stamp,
    Subscription,
    Touchpoint,
)
from crm_desktop.services import portable
from crm_desktop.services.customer_data import (
    ConsentInput,
    CustomerInput,
    EmailInput,
    PhoneInput,
)
from crm_desktop.services.customers import create_customer, delete_customer, undo_delete
from crm_desktop.services.database import Database, open_database
from crm_desktop.services.errors import Conflict
from crm_desktop.services.portable import (
    DataFileError,
    ExportError,
    Stopped,
    customer_record,
    export_json,
    import_json,
    restore_record,
)
from crm_desktop.services.search import CustomerQuery, search_customers

MAIJA = CustomerInput(
    first_name="Maija",
    last_name="Mäkinen",
    salutation="Dear Maija",
    emails=(EmailInput("maija@example.fi", "home"),),
    phones=(PhoneInput("040 123 4567", "mobile"),),
    street="Hämeenkatu 1",
    postal_code="33100",
    city="Tampere",
    notes="Prefers the window table.",
    tags=("regular", "vip"),
    customer_since=date(2019, 5, 4),
    consents=(
        ConsentInput("email", True, date(2026, 1, 5), "form"),
        ConsentInput("sms", False, None, ""),
    ),
)
OLLI = CustomerInput(first_name="Olli", last_name="Virta", city="Oulu")


def _build_full_customer(db: Database) -> tuple[int, int]:
    """Maija with a row of every kind; she was referred by Olli, who comes after her."""
    with db.session() as s:
        maija = create_customer(s, MAIJA, "FI").customer.id
        olli = create_customer(s, OLLI, "FI").customer.id
        s.get_one(Customer, maija).last_visit_at = datetime(2026, 11, 20, 9, 30)
        latte = Product(name="Oat latte", category="coffee", price_cents=450)
        bun = Product(name="Cinnamon bun", category="bakery", price_cents=350, active=False)
        s.add_all([latte, bun])
        s.flush()
        s.add_all([
            ImportantDate(customer_id=maija, kind="birthday", month=2, day=29, month_day=229,
                          lead_days=7),
            ImportantDate(customer_id=maija, kind="custom", label="Shop anniversary", month=12,
                          day=24, year=2010, month_day=1224),
            Favourite(customer_id=maija, product_id=latte.id, note="oat milk"),
        ])
        sorry = Coupon(code="AB12-CD34-EF5", kind="free_item", product_id=bun.id,
                       reason="complaint", customer_id=maija, issued_at=datetime(2026, 3, 2, 8),
                       expires_on=date(2026, 6, 30))
        campaign = Coupon(code="CAMP-0001-XY", kind="percent", value=10, reason="campaign",
                          issued_at=datetime(2026, 1, 1))
        reward = Coupon(code="REF0-0001-ZZ", kind="amount", value=500, reason="referral",
                        customer_id=olli, issued_at=datetime(2026, 2, 1))
        s.add_all([sorry, campaign, reward])
        s.flush()
        s.add_all([
            Redemption(coupon_id=sorry.id, redeemed_at=datetime(2026, 3, 9, 12), desk="Till 1",
                       staff="Aino"),
            CouponEvent(coupon_id=sorry.id, kind="issued", at=datetime(2026, 3, 2, 8)),
            CouponEvent(coupon_id=sorry.id, kind="redeemed", at=datetime(2026, 3, 9, 12),
                        desk="Till 1"),
            Referral(referred_id=maija, referrer_id=olli, referred_on=date(2019, 5, 4),
                     reward_status="rewarded", rewarded_at=datetime(2026, 2, 1),
                     reward_coupon_id=reward.id),
        ])
        complaint = Complaint(customer_id=maija, received_on=date(2026, 3, 2), product_id=bun.id,
                              description="Stale bun", severity=2, status="resolved",
                              remedy="coupon", compensation_cents=350, coupon_id=sorry.id,
                              follow_up_on=date(2026, 3, 16), outcome="Happy again",
                              resolved_at=datetime(2026, 3, 3, 10))
        s.add(complaint)
        s.flush()
        s.add_all([
            Touchpoint(customer_id=maija, kind="complaint", occurred_at=datetime(2026, 3, 2, 8),
                       staff="Aino", summary="Stale bun", complaint_id=complaint.id),
            Touchpoint(customer_id=maija, kind="coupon_redeemed",
                       occurred_at=datetime(2026, 3, 10, 9), coupon_id=campaign.id),
            Touchpoint(customer_id=maija, kind="visit", occurred_at=datetime(2026, 11, 20, 9, 30)),
        ])
        program = LoyaltyProgram(name="Coffee card", product_id=latte.id, stamps_required=9,
                                 reward="A free oat latte")
        s.add(program)
        s.flush()
        card = LoyaltyCard(program_id=program.id, customer_id=maija, stamps_required=9,
                           reward="A free oat latte", opened_at=datetime(2026, 4, 1))
        s.add(card)
        s.flush()
        first = Stamp(card_id=card.id, at=datetime(2026, 4, 1, 8), staff="Aino")
        second = Stamp(card_id=card.id, at=datetime(2026, 4, 2, 8), quantity=2)
        s.add_all([first, second])
        s.flush()
        s.add(Stamp(card_id=card.id, at=datetime(2026, 4, 2, 9), quantity=-2,
                    reverses_id=second.id, note="double tap"))
        subscription = Subscription(customer_id=maija, plan="Coffee every day",
                                    monthly_price_cents=3990, started_on=date(2025, 1, 1))
        s.add(subscription)
        s.flush()
        case = RetentionCase(subscription_id=subscription.id, opened_at=datetime(2026, 5, 1),
                             reason="price", outcome="retained", closed_at=datetime(2026, 5, 2))
        s.add(case)
        s.flush()
        s.add(RetentionOffer(case_id=case.id, kind="discount", value=20,
                             description="20 % off for three months", ends_on=date(2026, 8, 1),
                             accepted=True))
    return maija, olli


def _without_ids(document: dict) -> dict:
    result = copy.deepcopy(document)
    result.pop("exported_at")
    for record in result["customers"]:
        record.pop("id")
    return result


def _fresh(tmp_path: Path, name: str) -> Database:
    return open_database(f"sqlite:///{tmp_path / name}", backup_before_migration=False)


def _customer_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count(Customer.id))) or 0


def test_export_holds_every_detail(db, tmp_path):
    maija, _olli = _build_full_customer(db)
    with db.session() as s:
        result = export_json(s, tmp_path / "out.json")
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert result.customers == 2
    assert document["format"] == "kanta-customers"
    assert [p["name"] for p in document["products"]] == ["Oat latte", "Cinnamon bun"]
    assert [c["code"] for c in document["coupons"]] == ["CAMP-0001-XY"]
    record = document["customers"][0]
    assert record["id"] == maija
    assert record["phones"] == [{"number": "+358401234567", "label": "mobile"}]
    assert record["important_dates"][0] == {
        "kind": "birthday", "label": "", "month": 2, "day": 29, "year": None, "lead_days": 7,
    }
    assert record["favourites"] == [{"product": "Oat latte", "category": "coffee",
                                     "note": "oat milk"}]
    olli_uid = document["customers"][1]["uid"]
    assert record["referral"]["referrer"] == olli_uid
    assert record["referral"]["reward_coupon"] == "REF0-0001-ZZ"
    assert [t["complaint"] for t in record["touchpoints"]] == [1, None, None]
    assert record["touchpoints"][1]["coupon"] == "CAMP-0001-XY"
    assert record["complaints"][0]["compensation_cents"] == 350
    assert record["coupons"][0]["redemption"]["redeemed_at"] == "2026-03-09T12:00:00"
    assert [s["reverses"] for s in record["loyalty_cards"][0]["stamps"]] == [None, None, 2]
    offer = record["subscriptions"][0]["retention_cases"][0]["offers"][0]
    assert offer["accepted"] is True
    assert document["customers"][1]["referred"] == [record["uid"]]


def test_round_trip_through_an_empty_database(db, tmp_path):
    _build_full_customer(db)
    with db.session() as s:
        export_json(s, tmp_path / "first.json")
    other = _fresh(tmp_path, "b.sqlite3")
    report = other.run(lambda s: import_json(s, tmp_path / "first.json", "FI"))
    assert (report.imported, report.problems) == (2, ())
    with other.session() as s:
        export_json(s, tmp_path / "second.json")
        found = search_customers(s, CustomerQuery(text="mäk"))
    other.dispose()
    first = json.loads((tmp_path / "first.json").read_text(encoding="utf-8"))
    second = json.loads((tmp_path / "second.json").read_text(encoding="utf-8"))
    assert _without_ids(second) == _without_ids(first)
    assert [row.name for row in found.rows] == ["Maija Mäkinen"]


def _simple(uid: str, **changes: object) -> dict:
    record = {"uid": uid, "first_name": "Test", "last_name": uid.title(),
              "emails": [{"address": f"{uid}@example.com"}]}
    record.update(changes)
    return record


def _write(path: Path, customers: list, **extra: object) -> Path:
    document = {"format": "kanta-customers", "version": 1, "customers": customers, **extra}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"emails": [{"address": "not-an-email"}]}, "emails.1"),
        ({"first_name": "", "last_name": ""}, "last_name"),
        ({"important_dates": [{"kind": "birthday", "month": 13, "day": 1}]},
         "important_dates.1.month"),
        ({"important_dates": [{"kind": "birthday", "month": 2, "day": 30}]},
         "important_dates.1.day"),
        ({"complaints": [{"received_on": "2026-01-01", "severity": "high"}]},
         "complaints.1.severity"),
        ({"touchpoints": [{"kind": "visit", "occurred_at": "yesterday"}]},
         "touchpoints.1.occurred_at"),
        ({"tags": "vip"}, "tags"),
    ],
)
def test_bad_record_is_reported_and_the_rest_imported(db, tmp_path, changes, field):
    path = _write(tmp_path / "in.json", [_simple("first"), _simple("broken", **changes),
                                         _simple("third")])
    report = db.run(lambda s: import_json(s, path, "FI"))
    assert report.imported == 2
    assert [p.index for p in report.problems] == [2]
    assert field in report.problems[0].message
    with db.session() as s:
        names = s.scalars(select(Customer.last_name).order_by(Customer.id)).all()
        assert s.scalar(select(func.count(ImportantDate.id))) == 0
    assert names == ["First", "Third"]


def test_record_that_is_not_an_object_is_reported(db, tmp_path):
    path = _write(tmp_path / "in.json", [_simple("first"), ["not", "a", "record"]])
    report = db.run(lambda s: import_json(s, path, "FI"))
    assert report.imported == 1
    assert [p.index for p in report.problems] == [2]


def test_existing_uid_is_skipped_as_duplicate(db, tmp_path):
    path = _write(tmp_path / "in.json", [_simple("first"), _simple("second")])
    db.run(lambda s: import_json(s, path, "FI"))
    again = db.run(lambda s: import_json(s, path, "FI"))
    assert again.imported == 0
    assert [p.index for p in again.problems] == [1, 2]
    assert "duplicate" in again.problems[0].message
    assert _customer_count(db) == 2


def test_referrer_further_down_the_file_is_linked(db, tmp_path):
    referred = _simple("referred", referral={"referrer": "referrer", "reward_status": "due"})
    missing = _simple("orphan", referral={"referrer": "nobody", "source": "web"})
    path = _write(tmp_path / "in.json", [referred, missing, _simple("referrer")])
    report = db.run(lambda s: import_json(s, path, "FI"))
    assert report.imported == 3
    assert [p.index for p in report.problems] == [2]
    assert "referral.referrer" in report.problems[0].message
    with db.session() as s:
        rows = s.execute(
            select(Customer.uid, Referral.referrer_id, Referral.source)
            .join(Referral, Referral.referred_id == Customer.id).order_by(Customer.uid)
        ).all()
        referrer_id = s.scalar(select(Customer.id).where(Customer.uid == "referrer"))
    assert rows == [("orphan", None, "web"), ("referred", referrer_id, None)]


@pytest.mark.parametrize("content", ["{not json", '{"format": "something-else", "customers": []}',
                                     '{"format": "kanta-customers", "version": 99}'])
def test_unusable_file_fails_cleanly(db, tmp_path, content):
    path = tmp_path / "in.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        db.run(lambda s: import_json(s, path, "FI"))
    assert str(path) in str(caught.value)
    assert _customer_count(db) == 0


def test_bad_catalogue_entry_stops_the_whole_file(db, tmp_path):
    path = _write(tmp_path / "in.json", [_simple("first")],
                  products=[{"name": "Tea", "price_cents": "cheap"}])
    with pytest.raises(DataFileError, match=r"products\.1\.price_cents"):
        db.run(lambda s: import_json(s, path, "FI"))
    assert _customer_count(db) == 0
    with db.session() as s:
        assert s.scalar(select(func.count(Product.id))) == 0


def test_missing_file_fails_cleanly(db, tmp_path):
    with pytest.raises(DataFileError, match="Cannot read"):
        db.run(lambda s: import_json(s, tmp_path / "nowhere.json", "FI"))


def test_export_to_a_missing_folder_leaves_nothing(db, tmp_path):
    with pytest.raises(ExportError, match="Cannot write"), db.session() as s:
        export_json(s, tmp_path / "no" / "such" / "out.json")
    assert not (tmp_path / "no").exists()


def test_undo_delete_restores_the_same_record(db):
    maija, _olli = _build_full_customer(db)
    with db.session() as s:
        before = customer_record(s, maija)
    with db.session() as s:
        deleted = delete_customer(s, maija)
    with db.session() as s:
        assert s.get(Customer, maija) is None
        assert s.scalar(select(func.count(Touchpoint.id))) == 0
    with db.session() as s:
        saved = undo_delete(s, deleted)
    with db.session() as s:
        after = customer_record(s, maija)
        found = search_customers(s, CustomerQuery(text="tampere"))
    assert saved.customer.id == maija
    assert after == before
    assert [row.id for row in found.rows] == [maija]


def test_undo_delete_of_a_referrer_links_the_referral_back(db):
    maija, olli = _build_full_customer(db)
    with db.session() as s:
        deleted = delete_customer(s, olli)
    with db.session() as s:
        assert customer_record(s, maija)["referral"]["referrer"] is None
        undo_delete(s, deleted)
    with db.session() as s:
        referral = customer_record(s, maija)["referral"]
        olli_uid = s.get_one(Customer, olli).uid
    assert referral["referrer"] == olli_uid
    assert referral["reward_coupon"] == "REF0-0001-ZZ"


def test_restore_with_a_taken_id_is_refused(db):
    maija, _olli = _build_full_customer(db)
    with db.session() as s:
        record = customer_record(s, maija)
    record["uid"] = "another-uid"
    with pytest.raises(Conflict), db.session() as s:
        restore_record(s, record, keep_id=True)


def test_import_is_one_transaction(db, tmp_path, monkeypatch):
    from crm_desktop.services import portable_import

    def fail_at_the_end(self):
        raise RuntimeError("power cut")

    monkeypatch.setattr(portable_import._ImportRun, "settle_links", fail_at_the_end)
    path = _write(tmp_path / "in.json", [_simple("first"), _simple("second")])
    with pytest.raises(RuntimeError):
        db.run(lambda s: import_json(s, path, "FI"))
    assert _customer_count(db) == 0


def test_import_reports_progress_and_a_stop_keeps_nothing(db, tmp_path):
    path = _write(tmp_path / "in.json", [_simple(f"c{n}") for n in range(250)])
    reported: list[tuple[int, int]] = []

    def go_on(done: int, total: int) -> bool:
        reported.append((done, total))
        return True

    report = db.run(lambda s: import_json(s, path, "FI", progress=go_on))
    assert report.imported == 250
    assert reported == [(100, 250), (200, 250), (250, 250)]

    again = _write(tmp_path / "again.json", [_simple(f"d{n}") for n in range(250)])
    with pytest.raises(Stopped, match="nothing was imported"):
        db.run(lambda s: import_json(s, again, "FI", progress=lambda done, total: done < 200))
    assert _customer_count(db) == 250  # the stopped file left nothing behind


def test_export_reports_progress_and_a_stop_leaves_no_file(db, tmp_path, monkeypatch):
    monkeypatch.setattr(portable, "BATCH_SIZE", 2)
    for n in range(5):
        db.run(lambda s, n=n: create_customer(s, CustomerInput(first_name=f"C{n}"), "FI"))
    reported: list[tuple[int, int]] = []
    out = tmp_path / "out"
    out.mkdir()
    db.run(lambda s: export_json(s, out / "all.json",
                                 lambda done, total: reported.append((done, total)) is None))
    assert reported == [(2, 5), (4, 5), (5, 5)]
    with pytest.raises(Stopped, match="no file was written"):
        db.run(lambda s: export_json(s, out / "stopped.json", lambda done, total: False))
    assert sorted(p.name for p in out.iterdir()) == ["all.json"]
