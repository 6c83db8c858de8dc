"""Bring a database to the current schema: back up first, refuse a newer database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from crm_desktop.i18n import _
from crm_desktop.models.engine import DatabaseOpenError

# The newest migration. A test checks it against the migration scripts, so start-up can
# skip importing Alembic (~0.4 s) when the database is already current.
HEAD_REVISION = "0002"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseTooNewError(DatabaseOpenError):
    """The database was written by a newer Kanta."""


def current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(connection: Connection | None = None) -> object:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())  # type: ignore[arg-type]
    return {rev.revision for rev in script.walk_revisions()}


def needs_upgrade(engine: Engine) -> bool:
    """True when the database is empty or older than this program; raises when newer."""
    with engine.connect() as connection:
        revision = current_revision(connection)
    if revision == HEAD_REVISION:
        return False
    if revision is not None and revision not in known_revisions():
        raise DatabaseTooNewError(
            _(
                "This database was made by a newer version of Kanta (schema {revision}). "
                "Update Kanta to open it."
            ).format(revision=revision)
        )
    return True


def upgrade(engine: Engine, before: Callable[[], object] | None = None) -> bool:
    """Upgrade to head. ``before`` runs first when there is work (the pre-migration backup)."""
    if not needs_upgrade(engine):
        return False
    if before is not None:
        before()
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")  # type: ignore[arg-type]
    return True
