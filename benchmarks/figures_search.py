"""Type-ahead customer search: the first 50 matches in name order.

Kanta's side is ``search_customers`` in a fresh session per call, as the window does it
(count, page of ids, row data). The baseline is the FTS5 query one would write by hand with
sqlite3 for the same 50 ids: match in the index, join the customers, sort by name.
"""

from __future__ import annotations

from benchmarks.framework import Bench, Figure, Target, timed
from crm_desktop.services.search import CustomerQuery, search_customers

PAGE = 50
TARGET = Target(seconds=0.020, ratio=2.0)
# What is typed, the FTS5 table that answers it and the MATCH expression, written by hand:
# up to two letters go to the word-prefix index, three or more to the trigram index;
# "mäk" is folded to "mak" as the index stores it.
CASES = (
    ("ma", "customer_fts", '"ma"*'),
    ("mäk", "customer_fts_tri", '"mak"'),
    ("virt", "customer_fts_tri", '"virt"'),
    ("040", "customer_fts_tri", '"040"'),
)
RAW_SQL = """
SELECT customer.id FROM {table} JOIN customer ON customer.id = {table}.rowid
WHERE {table} MATCH ? ORDER BY customer.sort_name, customer.id LIMIT {page}
"""


def figures(_bench: Bench) -> list[Figure]:
    return [_figure(typed, table, match) for typed, table, match in CASES]


def _figure(typed: str, table: str, match: str) -> Figure:
    sql = RAW_SQL.format(table=table, page=PAGE)

    def kanta_ids(bench: Bench) -> list[int]:
        with bench.database().session() as session:
            page = search_customers(session, CustomerQuery(text=typed), limit=PAGE)
        return [row.id for row in page.rows]

    def raw_ids(bench: Bench) -> list[int]:
        return [row[0] for row in bench.raw().execute(sql, (match,)).fetchall()]

    def check(bench: Bench) -> None:
        ours, theirs = kanta_ids(bench), raw_ids(bench)
        if ours != theirs or len(ours) != PAGE:
            raise AssertionError(f"search {typed!r}: Kanta and the raw query disagree")

    return Figure(
        f'search "{typed}", first {PAGE} by name',
        measure_kanta=lambda bench: timed(lambda: kanta_ids(bench)),
        measure_baseline=lambda bench: timed(lambda: raw_ids(bench)),
        target=TARGET,
        check=check,
    )
