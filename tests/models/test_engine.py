"""Opening databases: SQLite pragmas, clear refusals, and never touching a file we refuse."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from crm_desktop.models.engine import DatabaseOpenError
from crm_desktop.models.migrate import DatabaseTooNewError, current_revision
from crm_desktop.services.database import open_database


def test_sqlite_pragmas_are_set_on_every_connection(sqlite_db):
    with sqlite_db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_new_database_is_created_and_upgraded(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    with database.engine.connect() as connection:
        assert current_revision(connection) == "0002"
    database.dispose()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("nosuch://host/db", "Unsupported database"),
        ("sqlite+nosuch:///x.sqlite3", "Cannot use the database"),
        ("://x", "not a database address"),
        ("postgresql://host:notaport/db", "not a database address"),
        ("postgresql+psycopg://kanta:secret@127.0.0.1:1/kanta", "Cannot connect"),
    ],
)
def test_bad_urls_get_one_clear_sentence(url, expected):
    with pytest.raises(DatabaseOpenError, match=expected):
        open_database(url)


def test_passwords_never_appear_in_messages():
    with pytest.raises(DatabaseOpenError) as caught:
        open_database("postgresql+psycopg://kanta:secret@127.0.0.1:1/kanta")
    assert "secret" not in str(caught.value)


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"Dear diary, today I ate a sandwich.\n" * 10)
    before = path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="not a Kanta database"):
        open_database(str(path))
    assert path.read_bytes() == before


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(DatabaseOpenError, match="is a folder"):
        open_database(str(tmp_path))


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(DatabaseOpenError, match="does not exist"):
        open_database(str(tmp_path / "nowhere" / "kanta.sqlite3"))


def test_a_database_from_a_newer_version_is_refused_untouched(sqlite_db):
    with sqlite_db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    sqlite_db.dispose()
    before = sqlite_db.path.read_bytes()
    with pytest.raises(DatabaseTooNewError, match="newer version of Kanta"):
        open_database(sqlite_db.url)
    assert sqlite_db.path.read_bytes() == before


def test_a_locked_database_gets_a_clear_message(tmp_path):
    path = tmp_path / "busy.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseOpenError, match="locked"):
            open_database(f"sqlite:///{path}", backup_before_migration=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_database_of_the_first_schema_is_backed_up_then_upgraded(tmp_path):
    from alembic import command
    from sqlalchemy import create_engine

    from crm_desktop.models.migrate import alembic_config
    from crm_desktop.paths import database_backup_dir

    path = tmp_path / "first.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(text(
            "INSERT INTO reminder_state (item_key, occurrence, state, recorded_at, note) "
            "VALUES ('date:1', '2026', 'done', '2026-01-01 00:00:00', '')"))
    engine.dispose()

    database = open_database(f"sqlite:///{path}")
    with database.engine.connect() as connection:
        assert current_revision(connection) == "0002"
        indexes = connection.execute(text("PRAGMA index_list(reminder_state)")).all()
        assert "ix_reminder_state_snoozed_until" in {row[1] for row in indexes}
        assert connection.execute(text("SELECT count(*) FROM reminder_state")).scalar() == 1
    database.dispose()
    [backup] = database_backup_dir(path).iterdir()
    assert backup.name.endswith("-pre-migration.sqlite3")
    with sqlite3.connect(backup) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
