from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crm_desktop.services.customer_data import CustomerInput
from crm_desktop.services.customers import create_customer, get_customer
from crm_desktop.services.errors import NotFound, ValidationError
from crm_desktop.services.touchpoints import (
    add_note,
    delete_touchpoint,
    log_visit,
    timeline,
)


def _customer(db, last_name: str = "Mäkinen") -> int:
    with db.session() as s:
        data = CustomerInput(first_name="Maija", last_name=last_name)
        return create_customer(s, data, "FI").customer.id


def _last_visit(db, customer_id: int) -> datetime | None:
    with db.session() as s:
        return get_customer(s, customer_id).last_visit_at


def test_timeline_is_newest_first_and_only_this_customers(db):
    maija, other = _customer(db), _customer(db, "Virtanen")
    with db.session() as s:
        log_visit(s, maija, datetime(2026, 3, 1, 9, 0))
        add_note(s, maija, "Prefers oat milk")
        log_visit(s, maija, datetime(2026, 1, 15, 12, 0))
        log_visit(s, other, datetime(2026, 2, 1, 12, 0))
    with db.session() as s:
        entries = timeline(s, maija)
    assert [e.kind for e in entries] == ["note", "visit", "visit"]
    visits = [e.occurred_at for e in entries[1:]]
    assert visits == [datetime(2026, 3, 1, 9), datetime(2026, 1, 15, 12)]
    assert entries[0].summary == "Prefers oat milk"


def test_timeline_limit(db):
    maija = _customer(db)
    start = datetime(2026, 1, 1, 10, 0)
    with db.session() as s:
        for day in range(5):
            log_visit(s, maija, start + timedelta(days=day))
        entries = timeline(s, maija, limit=2)
    assert [e.occurred_at.day for e in entries] == [5, 4]


def test_log_visit_now_sets_last_visit(db):
    maija = _customer(db)
    before = datetime.now(UTC).replace(tzinfo=None)
    with db.session() as s:
        logged = log_visit(s, maija, staff="Anna")
    after = datetime.now(UTC).replace(tzinfo=None)
    assert before <= logged.entry.occurred_at <= after
    assert logged.entry.staff == "Anna"
    assert logged.changes.customers == {maija}
    assert _last_visit(db, maija) == logged.entry.occurred_at


def test_an_older_visit_does_not_move_last_visit_back(db):
    maija = _customer(db)
    with db.session() as s:
        log_visit(s, maija, datetime(2026, 5, 1, 10, 0))
        log_visit(s, maija, datetime(2026, 4, 1, 10, 0))
    assert _last_visit(db, maija) == datetime(2026, 5, 1, 10, 0)


def test_aware_time_is_stored_as_utc(db):
    maija = _customer(db)
    helsinki_summer = timezone(timedelta(hours=3))
    with db.session() as s:
        logged = log_visit(s, maija, datetime(2026, 6, 1, 12, 0, tzinfo=helsinki_summer))
    assert logged.entry.occurred_at == datetime(2026, 6, 1, 9, 0)


def test_empty_note_is_refused_and_nothing_is_written(db):
    maija = _customer(db)
    with pytest.raises(ValidationError) as caught, db.session() as s:
        add_note(s, maija, "   ")
    assert set(caught.value.fields) == {"note"}
    with db.session() as s:
        assert timeline(s, maija) == []


def test_overlong_staff_name_is_refused(db):
    maija = _customer(db)
    with pytest.raises(ValidationError) as caught, db.session() as s:
        log_visit(s, maija, staff="x" * 51)
    assert set(caught.value.fields) == {"staff"}
    assert _last_visit(db, maija) is None


def test_unknown_customer(db):
    with pytest.raises(NotFound), db.session() as s:
        log_visit(s, 999)
    with pytest.raises(NotFound), db.session() as s:
        timeline(s, 999)


def test_deleting_the_newest_visit_moves_last_visit_back(db):
    maija = _customer(db)
    with db.session() as s:
        log_visit(s, maija, datetime(2026, 4, 1, 10, 0))
        newest = log_visit(s, maija, datetime(2026, 5, 1, 10, 0))
    with db.session() as s:
        deleted = delete_touchpoint(s, newest.entry.id)
    assert deleted.customer_id == maija
    assert _last_visit(db, maija) == datetime(2026, 4, 1, 10, 0)
    with db.session() as s:
        assert [e.occurred_at for e in timeline(s, maija)] == [datetime(2026, 4, 1, 10, 0)]


def test_deleting_the_only_visit_clears_last_visit(db):
    maija = _customer(db)
    with db.session() as s:
        only = log_visit(s, maija, datetime(2026, 4, 1, 10, 0))
    with db.session() as s:
        delete_touchpoint(s, only.entry.id)
    assert _last_visit(db, maija) is None


def test_deleting_a_note_keeps_last_visit(db):
    maija = _customer(db)
    with db.session() as s:
        log_visit(s, maija, datetime(2026, 4, 1, 10, 0))
        note = add_note(s, maija, "Call back about the cake order")
    with db.session() as s:
        delete_touchpoint(s, note.entry.id)
        assert [e.kind for e in timeline(s, maija)] == ["visit"]
    assert _last_visit(db, maija) == datetime(2026, 4, 1, 10, 0)


def test_deleting_an_unknown_entry(db):
    with pytest.raises(NotFound), db.session() as s:
        delete_touchpoint(s, 12345)
