"""Two desks redeem the same coupon at once: exactly one gets it, the other hears why not."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import func, select, text

from crm_desktop.models import Redemption
from crm_desktop.services import coupons
from crm_desktop.services.coupon_data import ALREADY_REDEEMED, REDEEMED_NOW

TODAY = date(2026, 3, 10)
WAIT = 30  # seconds; only reached when something is broken


def issue(db) -> str:
    with db.session() as session:
        issued = coupons.issue_coupon(session, "amount", 500, date(2026, 12, 31), "campaign",
                                      None, None, today=TODAY)
    return issued.coupon.code


def redemptions(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Redemption))


def redeem_together(db, code, desk, barrier):
    with db.session() as session:
        barrier.wait(WAIT)
        return coupons.redeem_coupon(session, code, desk, TODAY)


def test_two_desks_racing_get_exactly_one_success(db):
    codes = [issue(db) for _ in range(6)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for code in codes:
            barrier = threading.Barrier(2)
            futures = [pool.submit(redeem_together, db, code, desk, barrier)
                       for desk in ("Till 1", "Till 2")]
            outcomes = [future.result(WAIT) for future in futures]
            assert sorted(outcome.status for outcome in outcomes) == [
                ALREADY_REDEEMED, REDEEMED_NOW]
            winner = next(outcome for outcome in outcomes if outcome.redeemed_now)
            loser = next(outcome for outcome in outcomes if not outcome.redeemed_now)
            assert loser.desk == winner.desk
            assert loser.message.endswith(f"at {winner.desk}.")
    assert redemptions(db) == len(codes)


def wait_for_lock_wait(db, stop: threading.Event) -> bool:
    """Poll PostgreSQL until another of our connections waits on a lock."""
    query = text("SELECT count(*) FROM pg_stat_activity "
                 "WHERE datname = current_database() AND wait_event_type = 'Lock'")
    deadline = time.monotonic() + WAIT
    with db.engine.connect() as connection:
        while time.monotonic() < deadline:
            waiting = connection.execute(query).scalar()
            connection.rollback()  # the activity view is a snapshot held per transaction
            if waiting:
                return True
            stop.wait(0.01)
    return False


def test_postgresql_loser_waits_for_the_winner_and_hears_already_redeemed(db):
    if db.is_sqlite:
        pytest.skip("row locks and pg_stat_activity are PostgreSQL's")
    code = issue(db)
    claimed, release = threading.Event(), threading.Event()

    def winner():
        with db.session() as session:
            outcome = coupons.redeem_coupon(session, code, "Till 1", TODAY)
            claimed.set()
            release.wait(WAIT)  # commit only once the other desk is stuck behind this one
        return outcome

    def loser():
        claimed.wait(WAIT)
        with db.session() as session:
            return coupons.redeem_coupon(session, code, "Till 2", TODAY)

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.submit(winner), pool.submit(loser)
        try:
            assert wait_for_lock_wait(db, release), "the second desk never waited"
        finally:
            release.set()
        assert first.result(WAIT).status == REDEEMED_NOW
        late = second.result(WAIT)
    assert late.status == ALREADY_REDEEMED and late.desk == "Till 1"
    assert redemptions(db) == 1


def test_sqlite_second_connection_waits_for_the_first_to_commit(db):
    if not db.is_sqlite:
        pytest.skip("SQLite's busy timeout")
    code = issue(db)
    claimed, loser_started, release = threading.Event(), threading.Event(), threading.Event()

    def winner():
        with db.session() as session:
            outcome = coupons.redeem_coupon(session, code, "Till 1", TODAY)
            claimed.set()
            release.wait(WAIT)  # holds SQLite's write lock until then
        return outcome

    def loser():
        claimed.wait(WAIT)
        with db.session() as session:
            raw = session.connection().connection.driver_connection

            def on_statement(sql: str) -> None:
                if sql.lstrip().upper().startswith("INSERT INTO REDEMPTION"):
                    loser_started.set()

            raw.set_trace_callback(on_statement)
            try:
                return coupons.redeem_coupon(session, code, "Till 2", TODAY)
            finally:
                raw.set_trace_callback(None)

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.submit(winner), pool.submit(loser)
        try:
            assert loser_started.wait(WAIT), "the second desk never tried"
        finally:
            release.set()
        assert first.result(WAIT).status == REDEEMED_NOW
        late = second.result(WAIT)
    assert late.status == ALREADY_REDEEMED and late.desk == "Till 1"
    assert redemptions(db) == 1
