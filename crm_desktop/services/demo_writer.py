"""Fast bulk writing for the demo data: ids decided up front, Core executemany in batches.

The ORM would cost a round of bookkeeping per object; at 100,000 customers that is minutes.
Rows are plain dicts, queued per table and inserted in an order the foreign keys accept.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from crm_desktop.models import Base
from crm_desktop.models.search_index import FTS_PREFIX_TABLE, FTS_TRIGRAM_TABLE
from crm_desktop.services.coupon_codes import ALPHABET, RANDOM_SYMBOLS, check_symbol

Row = dict[str, object]

# Parents before children; coupon before the complaint, referral and touchpoint that name it.
INSERT_ORDER = (
    "product",
    "customer",
    "customer_email",
    "customer_phone",
    "customer_tag",
    "consent",
    "important_date",
    "favourite",
    "coupon",
    "complaint",
    "referral",
    "touchpoint",
    "redemption",
    "coupon_event",
)
_TABLES_WITH_ID = tuple(name for name in INSERT_ORDER if name not in ("customer_tag", "consent"))


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def demo_coupon_code(rng: random.Random) -> str:
    """A valid coupon code (with its check symbol) from the seeded generator, so demo coupons
    redeem and print like real ones while staying the same for a seed."""
    body = "".join(rng.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return body + check_symbol(body)


@dataclass
class DemoWriter:
    """Shared state of one demo run: random sources, the next free ids and the queued rows."""

    session: Session
    rng: random.Random  # everything a person sees: names, dates, visits
    ident: random.Random  # uids and coupon codes, which must differ between runs
    today: date
    next_id: dict[str, int]
    queued: dict[str, list[Row]] = field(default_factory=lambda: {n: [] for n in INSERT_ORDER})
    counts: Counter[str] = field(default_factory=Counter)
    codes: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    products: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # id, price
    paused_triggers: list[str] | None = None  # CREATE statements to put back
    unindexed_from: int = 0  # first customer id written while the triggers were paused

    def product_id(self, name: str) -> int:
        return self.products[name][0]

    @classmethod
    def open(cls, session: Session, seed: int, today: date) -> DemoWriter:
        next_id = {name: _max_id(session, name) + 1 for name in _TABLES_WITH_ID}
        # Seeded by the first free id too, so a second run on the same database gets new uids.
        ident = random.Random(f"kanta-demo/{seed}/{next_id['customer']}")
        return cls(session, random.Random(seed), ident, today, next_id)

    def take_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def add(self, table: str, row: Row) -> None:
        self.queued[table].append(row)
        self.counts[table] += 1

    def add_with_id(self, table: str, row: Row) -> int:
        new_id = self.take_id(table)
        row["id"] = new_id
        self.add(table, row)
        return new_id

    def new_uid(self) -> str:
        return str(uuid.UUID(int=self.ident.getrandbits(128), version=4))

    def new_coupon_code(self) -> str:
        code = demo_coupon_code(self.ident)
        while code in self.codes:
            code = demo_coupon_code(self.ident)
        self.codes.add(code)
        return code

    def flush(self) -> None:
        """Write the queued rows; after the first batch, pause the per-row search triggers."""
        self._write_queued()
        if self.paused_triggers is None:
            self.paused_triggers = pause_search_triggers(self.session)
            self.unindexed_from = self.next_id["customer"]

    def finish(self) -> None:
        """Write what is left, index it, and on PostgreSQL move the id sequences on."""
        self._write_queued()
        if self.paused_triggers:
            resume_search_triggers(self.session, self.paused_triggers, self.unindexed_from)
        if self.session.get_bind().dialect.name == "postgresql":
            self._advance_sequences()  # SQLite picks max(id) + 1 by itself

    def _write_queued(self) -> None:
        for name in INSERT_ORDER:
            rows = self.queued[name]
            if rows:
                self.session.execute(insert(_table(name)), rows)
                rows.clear()

    def _advance_sequences(self) -> None:
        for name in _TABLES_WITH_ID:
            if self.counts[name]:
                self.session.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), :last)"),
                    {"last": self.next_id[name] - 1},
                )


def pause_search_triggers(session: Session) -> list[str]:
    """SQLite: drop the triggers that index each customer row, inside the open transaction.

    Indexing row by row through the triggers costs about four times one bulk fill at the end
    (about ten seconds saved at 100,000 customers). Done only inside an open transaction, so a
    failed run rolls the DROP back with everything else and no other connection ever sees
    the table without its triggers. Returns the CREATE statements for
    resume_search_triggers; empty when nothing was paused.
    """
    connection = session.connection()
    driver = connection.connection.driver_connection
    if connection.dialect.name != "sqlite" or not getattr(driver, "in_transaction", False):
        return []
    triggers = session.execute(
        text(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'trigger' AND tbl_name = 'customer' AND name LIKE :prefix"
        ),
        {"prefix": f"{FTS_PREFIX_TABLE}%"},
    ).all()
    for name, _sql in triggers:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    return [sql for _name, sql in triggers]


def resume_search_triggers(session: Session, statements: list[str], first_id: int) -> None:
    """Index the customers written since the pause in one statement, then restore the triggers."""
    for table in (FTS_PREFIX_TABLE, FTS_TRIGRAM_TABLE):
        session.execute(
            text(
                f"INSERT INTO {table}(rowid, search_text) "
                "SELECT id, search_text FROM customer WHERE id >= :first"
            ),
            {"first": first_id},
        )
    for statement in statements:
        session.execute(text(statement))


def _max_id(session: Session, name: str) -> int:
    return int(session.scalar(select(func.max(_table(name).c.id))) or 0)


def at_time(day: date, seconds: int) -> datetime:
    """A naive UTC timestamp ``seconds`` after midnight of ``day``."""
    return datetime(day.year, day.month, day.day, seconds // 3600, seconds // 60 % 60)
