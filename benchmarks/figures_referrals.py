"""Referral figures: the tree of the largest family and the top-20 leaderboard.

At 100,000 customers with 30 % referred by another customer, one family of about a thousand
people (the demo data has no family that large, so the structure is built here with Core
inserts): the service's tree must stay within 2× a raw recursive query run through sqlite3 in
the same run and under 20 ms; the top-20 leaderboard by total referrals under 150 ms.

Part of ``make bench`` (``--only referral`` for these alone).
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from datetime import date, timedelta

from sqlalchemy import insert

from benchmarks.framework import Bench, Figure, Target, timed
from crm_desktop.models import Customer, Referral
from crm_desktop.services.database import Database, open_database
from crm_desktop.services.referrals import referral_tree, top_referrers

CUSTOMERS = 100_000
REFERRED_SHARE = 0.30
FAMILY_SIZE = 1_000
SOURCES = ("walk_in", "advert", "web", "event")
TREE_LIMIT_MS, TREE_RATIO, TOP_LIMIT_MS = 20.0, 2.0, 150.0
REPEATS = 25

# The same walk as the service, straight through sqlite3: ids, names and reward status.
RAW_TREE_SQL = """
WITH RECURSIVE down(id, parent_id, depth, referral_id, reward_status, referred_on) AS (
    SELECT customer.id, referral.referrer_id, 0, referral.id, referral.reward_status,
           referral.referred_on
    FROM customer LEFT OUTER JOIN referral ON referral.referred_id = customer.id
    WHERE customer.id = :root_id
    UNION ALL
    SELECT referral.referred_id, referral.referrer_id, down.depth + 1, referral.id,
           referral.reward_status, referral.referred_on
    FROM referral, down
    WHERE referral.referrer_id = down.id AND down.depth < 10000
)
SELECT down.*, customer.first_name, customer.last_name, customer.company
FROM down JOIN customer ON customer.id = down.id
ORDER BY down.depth, customer.sort_name, customer.id
"""


def build(database: Database, customers: int = CUSTOMERS, seed: int = 7) -> int:
    """Customers and referrals written with Core; returns the root of the largest family."""
    rng = random.Random(seed)
    start = date.today() - timedelta(days=3 * 365)
    with database.session() as session:
        rows = [_customer_row(i, rng) for i in range(1, customers + 1)]
        for chunk in range(0, len(rows), 10_000):
            session.execute(insert(Customer), rows[chunk : chunk + 10_000])
        referrals = _referral_rows(customers, rng, start)
        session.execute(insert(Referral), referrals)
    return 1


def _customer_row(index: int, rng: random.Random) -> dict[str, object]:
    first = rng.choice(("Aino", "Eino", "Helmi", "Oliver", "Sofia", "Leo", "Ella", "Väinö"))
    last = f"{rng.choice(('Mäki', 'Virta', 'Koski', 'Laine', 'Niemi'))}nen{index % 997}"
    return {
        "uid": str(uuid.UUID(int=rng.getrandbits(128))),
        "first_name": first,
        "last_name": last,
        "sort_name": f"{last} {first}".lower(),
    }


def _referral_rows(customers: int, rng: random.Random, start: date) -> list[dict[str, object]]:
    """Customer 1 roots a family of FAMILY_SIZE; others refer someone recent now and then."""
    rows: list[dict[str, object]] = []
    family = [1]
    referred_target = int(customers * REFERRED_SHARE)
    other_share = (referred_target - (FAMILY_SIZE - 1)) / (customers - FAMILY_SIZE)
    for index in range(2, customers + 1):
        referrer: int | None = None
        if index <= FAMILY_SIZE:
            # Recent members bring more people, which makes chains about a dozen deep.
            referrer = family[max(0, len(family) - 1 - int(rng.expovariate(1 / 40)))]
            family.append(index)
        elif rng.random() < other_share:
            referrer = rng.randrange(max(FAMILY_SIZE + 1, index - 300), index)
        if referrer is None and rng.random() < 0.6:
            continue  # nothing recorded about how they came
        rows.append(
            {
                "referred_id": index,
                "referrer_id": referrer,
                "source": None if referrer is not None else rng.choice(SOURCES),
                "referred_on": start + timedelta(days=index * 3 * 365 // customers),
                "reward_status": rng.choice(("pending", "due", "rewarded")),
            }
        )
    return rows


class ReferralBench:
    """The referral database of one run, built on first use in the run's folder."""

    def __init__(self, bench: Bench) -> None:
        self.bench = bench
        self._database: Database | None = None
        self._raw: sqlite3.Connection | None = None
        self.root_id = 0

    def database(self) -> Database:
        if self._database is None:
            path = self.bench.workdir / "referrals.sqlite3"
            self._database = open_database(f"sqlite:///{path}", backup_before_migration=False)
            self.root_id = build(self._database, self.bench.customers)
            self._raw = sqlite3.connect(path)
            self.bench.at_close(self.close)
        return self._database

    def raw(self) -> sqlite3.Connection:
        self.database()
        assert self._raw is not None
        return self._raw

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()
        if self._database is not None:
            self._database.dispose()

    def kanta_tree(self) -> int:
        with self.database().session() as session:
            return referral_tree(session, self.root_id).size

    def raw_tree(self) -> int:
        return len(self.raw().execute(RAW_TREE_SQL, {"root_id": self.root_id}).fetchall())

    def top(self) -> int:
        with self.database().session() as session:
            return top_referrers(session, limit=20)[0].customer_id


def figures(bench: Bench) -> list[Figure]:
    referrals = ReferralBench(bench)

    def check(_bench: Bench) -> None:
        if referrals.kanta_tree() != referrals.raw_tree():
            raise AssertionError("referral tree: Kanta and the raw query disagree")
        if referrals.top() != referrals.root_id:
            raise AssertionError("the largest family should lead the top-20")

    return [
        Figure(
            f"referral tree of the largest family (~{FAMILY_SIZE} people)",
            measure_kanta=lambda _b: timed(referrals.kanta_tree),
            measure_baseline=lambda _b: timed(referrals.raw_tree),
            target=Target(seconds=TREE_LIMIT_MS / 1000, ratio=TREE_RATIO),
            repeats=REPEATS,
            check=check,
        ),
        Figure(
            "referral top-20 referrers by total",
            measure_kanta=lambda _b: timed(referrals.top),
            measure_baseline=None,
            target=Target(seconds=TOP_LIMIT_MS / 1000),
            repeats=REPEATS,
        ),
    ]
