"""Open a database: check it, back it up before a migration, upgrade it, hand out sessions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from crm_desktop.i18n import _
from crm_desktop.models.engine import (
    DatabaseOpenError,
    make_engine,
    make_session_factory,
    parse_url,
    safe_url,
    sqlite_path,
)
from crm_desktop.models.migrate import upgrade

T = TypeVar("T")


@dataclass
class Database:
    url: str
    engine: Engine
    session_factory: sessionmaker[Session]
    path: Path | None  # the SQLite file; None for PostgreSQL

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        with self.session_factory.begin() as session:
            yield session

    def run(self, operation: Callable[[Session], T]) -> T:
        with self.session() as session:
            return operation(session)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, migrate: bool = True, backup_before_migration: bool = True) -> Database:
    """Open and (by default) upgrade a database; DatabaseOpenError says what is wrong."""
    engine = make_engine(url)
    path = sqlite_path(parse_url(url))
    database = Database(url, engine, make_session_factory(engine), path)
    try:
        if migrate:
            upgrade(engine, before=_pre_migration_backup(path) if backup_before_migration else None)
    except DBAPIError as error:
        engine.dispose()
        raise DatabaseOpenError(describe_database_error(error, url)) from None
    except DatabaseOpenError:
        engine.dispose()
        raise
    return database


def _pre_migration_backup(path: Path | None) -> Callable[[], object] | None:
    if path is None or not path.exists() or path.stat().st_size == 0:
        return None

    def run() -> object:
        from crm_desktop.services.backup import automatic_backup

        return automatic_backup(path, reason="pre-migration")

    return run


def describe_database_error(error: DBAPIError, url: str) -> str:
    """One sentence for the user about why the database could not be used."""
    message = str(error.orig).lower()
    url = safe_url(url)
    if "locked" in message or "busy" in message:
        return _("The database {url} is locked by another program.").format(url=url)
    if "not a database" in message or "malformed" in message:
        return _("{url} is not a Kanta database or it is damaged.").format(url=url)
    if "readonly" in message or "read-only" in message:
        return _("The database {url} is read-only.").format(url=url)
    if "password" in message or "authentication" in message:
        return _("The database server refused the user name or password.")
    if "connection" in message or "could not connect" in message:
        return _("Cannot connect to the database server at {url}.").format(url=url)
    return _("The database {url} cannot be used: {reason}").format(url=url, reason=error.orig)
