"""Demo data: ``crm-desktop demo --customers 100000`` must finish within a minute.

Kanta's side is the real command in a child process: start-up, migrations, every table of
the demo business (two years of visits, referrals, coupons), the search index, the commit.
The baseline is the least a program could do with the same customers: plain sqlite3
``executemany`` of the very same customer rows into a bare table with no index.
"""

from __future__ import annotations

import sqlite3

from benchmarks.framework import Bench, Figure, Target, timed

SECONDS_PER_100K = 60.0


def figures(bench: Bench) -> list[Figure]:
    # Scaled up for bigger runs, not down: start-up costs the same for any size.
    limit = SECONDS_PER_100K * max(bench.customers, 100_000) / 100_000
    return [
        Figure(
            f"crm-desktop demo --customers {bench.customers}",
            measure_kanta=lambda b: b.demo_seconds(),
            measure_baseline=_raw_customer_insert,
            target=Target(seconds=limit),
            repeats=1,
        )
    ]


def _raw_customer_insert(bench: Bench) -> float:
    """Seconds to write the demo's customer rows into a bare table and commit."""
    source = bench.raw().execute("SELECT * FROM customer ORDER BY id")
    columns = [description[0] for description in source.description]
    rows = source.fetchall()
    path = bench.workdir / "bare.sqlite3"
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = WAL")  # the same durability as Kanta's
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute(f"CREATE TABLE customer ({', '.join(columns)})")
        insert = f"INSERT INTO customer VALUES ({', '.join('?' * len(columns))})"

        def write() -> None:
            connection.executemany(insert, rows)
            connection.commit()

        return timed(write)
    finally:
        connection.close()
