"""The customer search index: normalised text, and the DDL that indexes it per database.

SQLite gets two FTS5 tables over ``customer.search_text``: word prefixes (``unicode61``, for
one- and two-letter input) and trigrams (substrings from three letters). PostgreSQL gets a
``pg_trgm`` GIN index for ``LIKE '%…%'``. The text is folded before it is stored, so
"MÄKINEN" is found from "mak" on both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import Connection, text

FTS_PREFIX_TABLE = "customer_fts"
FTS_TRIGRAM_TABLE = "customer_fts_tri"
PG_TRIGRAM_INDEX = "ix_customer_search_text_trgm"
_NON_WORD = re.compile(r"[\W_]+")
# Letters that Unicode does not decompose into a base letter plus an accent.
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"}
)


def is_search_index_object(name: str | None) -> bool:
    return bool(name) and (str(name).startswith(FTS_PREFIX_TABLE) or name == PG_TRIGRAM_INDEX)


def fold(value: str) -> str:
    """Lower-case, accents off, punctuation to single spaces: "Mäkinen-Öberg" → "makinen oberg".

    Letters of other scripts stay (Cyrillic "Соколова" → "соколова").
    """
    decomposed = unicodedata.normalize("NFKD", value.casefold().translate(_UNDECOMPOSED))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped).strip()


def build_search_text(words: Iterable[str], phone_digits: Iterable[str] = ()) -> str:
    parts = [fold(word) for word in words if word]
    parts.extend(digits for digits in phone_digits if digits)
    return " ".join(part for part in parts if part)


_SQLITE_DDL = [
    f"""CREATE VIRTUAL TABLE {FTS_PREFIX_TABLE} USING fts5(
        search_text, content='customer', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')""",
    f"""CREATE VIRTUAL TABLE {FTS_TRIGRAM_TABLE} USING fts5(
        search_text, content='customer', content_rowid='id', tokenize='trigram')""",
]


def _sqlite_triggers(table: str) -> list[str]:
    insert = f"INSERT INTO {table}(rowid, search_text) VALUES (new.id, new.search_text);"
    delete = (
        f"INSERT INTO {table}({table}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text);"
    )
    return [
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON customer BEGIN {insert} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON customer BEGIN {delete} END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE OF search_text ON customer "
        f"BEGIN {delete} {insert} END",
    ]


def create_search_index(connection: Connection) -> None:
    dialect = connection.dialect.name
    if dialect == "sqlite":
        for statement in _SQLITE_DDL:
            connection.execute(text(statement))
        for table in (FTS_PREFIX_TABLE, FTS_TRIGRAM_TABLE):
            for statement in _sqlite_triggers(table):
                connection.execute(text(statement))
            connection.execute(text(f"INSERT INTO {table}({table}) VALUES ('rebuild')"))
    elif dialect == "postgresql":
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        connection.execute(
            text(
                f"CREATE INDEX {PG_TRIGRAM_INDEX} ON customer USING gin (search_text gin_trgm_ops)"
            )
        )


def drop_search_index(connection: Connection) -> None:
    dialect = connection.dialect.name
    if dialect == "sqlite":
        for table in (FTS_PREFIX_TABLE, FTS_TRIGRAM_TABLE):
            for suffix in ("ai", "ad", "au"):
                connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_{suffix}"))
            connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
    elif dialect == "postgresql":
        connection.execute(text(f"DROP INDEX IF EXISTS {PG_TRIGRAM_INDEX}"))
