"""Two desks on PostgreSQL link two customers under each other at once: no cycle is stored."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from crm_desktop.services.errors import ValidationError
from crm_desktop.services.referrals import set_referral
from tests.services.test_coupon_race import WAIT, wait_for_lock_wait
from tests.services.test_referrals import people, stored_referrals


def test_the_second_of_two_opposite_links_waits_and_is_refused(db):
    if db.is_sqlite:
        pytest.skip("one program holds an SQLite file: its single worker never races itself")
    aino, eero = people(db, "Aino", "Eero")
    linked, release = threading.Event(), threading.Event()

    def first_desk() -> None:
        with db.session() as session:
            set_referral(session, eero, aino, None, None)  # Aino brought Eero
            linked.set()
            release.wait(WAIT)  # commits only once the other desk waits behind this one

    def second_desk() -> None:
        linked.wait(WAIT)
        with db.session() as session:
            set_referral(session, aino, eero, None, None)  # … and Eero brought Aino?

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.submit(first_desk), pool.submit(second_desk)
        try:
            assert wait_for_lock_wait(db, release), "the second desk never waited"
        finally:
            release.set()
        first.result(WAIT)
        with pytest.raises(ValidationError) as refused:
            second.result(WAIT)
    assert "circle" in refused.value.fields["referrer"]
    assert [(referred, referrer) for referred, referrer, _source in stored_referrals(db)] == [
        (eero, aino)
    ]
