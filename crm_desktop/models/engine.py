"""Engine and session factory for SQLite (one desk) and PostgreSQL (several desks)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from crm_desktop.i18n import _

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class DatabaseOpenError(Exception):
    """The database cannot be opened; the message is one sentence for the user."""


def parse_url(text: str) -> URL:
    """A database URL or a plain path to an SQLite file."""
    if "://" not in text:
        return URL.create("sqlite", database=str(Path(text).expanduser().resolve()))
    try:
        url = make_url(text)
        url.port  # noqa: B018 - parsing the port raises ValueError for "host:abc"
    except (ArgumentError, ValueError):
        raise DatabaseOpenError(_("“{url}” is not a database address.").format(url=text)) from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseOpenError(
            _("Unsupported database “{url}”: use an SQLite file or PostgreSQL.").format(url=text)
        )
    return url


def safe_url(text: str) -> str:
    """The URL for messages, with any password masked."""
    try:
        return make_url(text).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return text


def sqlite_path(url: URL) -> Path | None:
    """The file behind an SQLite URL; None for PostgreSQL and in-memory databases."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(str(url.database))


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that exists but is not readable or not an SQLite database."""
    if not path.exists():
        if not path.parent.is_dir():
            raise DatabaseOpenError(
                _("The folder {folder} does not exist.").format(folder=path.parent)
            )
        return
    if path.is_dir():
        raise DatabaseOpenError(_("{path} is a folder, not a database file.").format(path=path))
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise DatabaseOpenError(
            _("Cannot read {path}: {reason}.").format(path=path, reason=error.strerror)
        ) from None
    if header and header != SQLITE_MAGIC:
        raise DatabaseOpenError(
            _("{path} is not a Kanta database (not an SQLite file).").format(path=path)
        )


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # pysqlite opens transactions lazily, so a SAVEPOINT could become the outer transaction
    # and commit on release. Take transaction control ourselves (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def make_engine(url_text: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, full sync, foreign keys and a busy timeout."""
    url = parse_url(url_text)
    path = sqlite_path(url)
    if path is not None:
        check_sqlite_file(path)
    try:
        engine = create_engine(url, **kwargs)
    except (NoSuchModuleError, ArgumentError, ImportError) as error:
        raise DatabaseOpenError(
            _("Cannot use the database “{url}”: {reason}.").format(
                url=safe_url(url_text), reason=error
            )
        ) from None
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services return plain data built inside the session anyway,
    # and nothing should lazily reach back into a closed transaction.
    return sessionmaker(bind=engine, expire_on_commit=False)
