from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from crm_desktop import paths
from crm_desktop.services import backup
from crm_desktop.services.backup import (
    AUTOMATIC_BACKUPS_KEPT,
    BackupError,
    automatic_backup,
    backup_database,
    is_database_open,
    lock_file_path,
    next_backup_path,
    restore_database,
)
from crm_desktop.services.customer_data import CustomerInput
from crm_desktop.services.customers import create_customer
from crm_desktop.services.database import open_database


def add_customer(database, last_name: str, notes: str = "") -> None:
    with database.session() as s:
        create_customer(s, CustomerInput(first_name="Test", last_name=last_name, notes=notes), "FI")


def query(path: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        with connection:
            return connection.execute(sql).fetchall()
    finally:
        connection.close()


def last_names(path: Path) -> set[str]:
    return {row[0] for row in query(path, "SELECT last_name FROM customer")}


def integrity(path: Path) -> list[tuple]:
    return query(path, "PRAGMA integrity_check")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name)


def side_file(database: Path, suffix: str) -> Path:
    return database.with_name(database.name + suffix)


def break_an_index(path: Path) -> None:
    """Point two indexes of the customer table at each other's pages: every query still
    runs, only ``PRAGMA integrity_check`` notices."""
    (first, first_root), (second, second_root) = query(
        path,
        "SELECT name, rootpage FROM sqlite_master WHERE type = 'index' "
        "AND tbl_name = 'customer' AND rootpage > 0 ORDER BY name LIMIT 2",
    )
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA writable_schema = ON")
        connection.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?",
                           (second_root, first))
        connection.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?",
                           (first_root, second))
    finally:
        connection.close()
    assert query(path, "SELECT count(*) FROM customer") != []
    assert query(path, "PRAGMA integrity_check") != [("ok",)]


def write_lock(database: Path, pid: int) -> Path:
    lock = lock_file_path(database)
    lock.write_text(f"{pid}\nkanta\nlocalhost\n", encoding="utf-8")
    return lock


# --- backing up -----------------------------------------------------------------------------


def test_backup_of_an_open_database_is_checked_and_complete(sqlite_db, tmp_path):
    add_customer(sqlite_db, "Mäkinen")  # still open: the row may live only in the WAL
    destination = tmp_path / "copies" / "copy.sqlite3"
    destination.parent.mkdir()

    result = backup_database(sqlite_db.path, destination)

    assert result.path == destination
    assert result.size_bytes == destination.stat().st_size > 0
    assert integrity(destination) == [("ok",)]
    assert last_names(destination) == {"Mäkinen"}
    assert destination.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: one file
    assert sorted(p.name for p in destination.parent.iterdir()) == ["copy.sqlite3"]


def test_default_backups_go_to_the_databases_folder_with_unique_manual_names(sqlite_db):
    first = backup_database(sqlite_db.path)
    second = backup_database(sqlite_db.path)

    folder = paths.database_backup_dir(sqlite_db.path)
    assert folder.parent == paths.backup_dir()
    assert first.path.parent == second.path.parent == folder
    assert first.path != second.path
    for result in (first, second):
        assert re.fullmatch(r"kanta-\d{8}-\d{6}(-\d+)?-manual\.sqlite3", result.path.name)
        assert integrity(result.path) == [("ok",)]


def test_backup_into_a_folder_names_the_file(sqlite_db, tmp_path):
    result = backup_database(sqlite_db.path, tmp_path)
    assert result.path.parent == tmp_path
    assert result.path.name.endswith("-manual.sqlite3")


def test_names_within_one_second_sort_in_order(tmp_path):
    moment = datetime(2026, 3, 1, 9, 30, 5)
    names = []
    for reason in ("pre-migration", "manual", "before-restore"):
        path = next_backup_path(tmp_path, reason, now=moment)
        path.write_bytes(b"")
        names.append(path.name)
    assert names == [
        "kanta-20260301-093005-pre-migration.sqlite3",
        "kanta-20260301-093005-2-manual.sqlite3",
        "kanta-20260301-093005-3-before-restore.sqlite3",
    ]


def test_rotation_keeps_the_newest_automatic_backups_and_every_manual_one(sqlite_db):
    assert AUTOMATIC_BACKUPS_KEPT == 10
    folder = paths.database_backup_dir(sqlite_db.path)
    old_manual = folder / "kanta-20200101-120000-manual.sqlite3"
    old_automatic = folder / "kanta-20200101-120000-2-pre-migration.sqlite3"
    unrelated = folder / "notes.txt"
    for path in (old_manual, old_automatic, unrelated):
        path.write_bytes(b"keep me?")
    manual = backup_database(sqlite_db.path).path

    made = [automatic_backup(sqlite_db.path, "pre-migration").path for _ in range(12)]
    made.append(automatic_backup(sqlite_db.path, "before-restore").path)

    automatic_left = {
        p for p in folder.glob("kanta-*.sqlite3") if not p.name.endswith("-manual.sqlite3")
    }
    assert automatic_left == set(made[-AUTOMATIC_BACKUPS_KEPT - 1 :])
    assert old_manual.exists() and manual.exists() and unrelated.exists()
    assert not old_automatic.exists()


def test_rotation_counts_each_reason_apart(sqlite_db):
    first_day = datetime(2026, 3, 1, 9, 0, 0)
    migration = automatic_backup(sqlite_db.path, "pre-migration", now=first_day).path
    daily = [
        automatic_backup(sqlite_db.path, "daily", now=first_day + timedelta(days=day)).path
        for day in range(1, 13)
    ]

    left = set(paths.database_backup_dir(sqlite_db.path).glob("kanta-*.sqlite3"))

    assert left == {migration, *daily[-AUTOMATIC_BACKUPS_KEPT:]}


def test_each_database_has_its_own_backups_folder(sqlite_db, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = backup_database(sqlite_db.path, elsewhere / sqlite_db.path.name).path
    mine = automatic_backup(sqlite_db.path, "daily").path
    theirs = automatic_backup(other, "daily").path
    assert mine.parent != theirs.parent
    assert mine.parent.parent == theirs.parent.parent == paths.backup_dir()
    assert re.fullmatch(rf"{sqlite_db.path.stem}-[0-9a-f]{{8}}", theirs.parent.name)


def test_rotation_never_deletes_the_backup_just_made(sqlite_db):
    folder = paths.database_backup_dir(sqlite_db.path)
    future = datetime(2099, 1, 1, 12, 0, 0)  # as if the clock had gone back since
    for _ in range(AUTOMATIC_BACKUPS_KEPT):
        next_backup_path(folder, "pre-migration", now=future).write_bytes(b"")
    made = automatic_backup(sqlite_db.path, "pre-migration").path
    assert made.exists()
    assert len(list(folder.iterdir())) == AUTOMATIC_BACKUPS_KEPT + 1


def test_automatic_backup_rejects_a_reason_that_would_escape_rotation(sqlite_db):
    for reason in ("manual", "Pre Migration", "../x", ""):
        with pytest.raises(ValueError):
            automatic_backup(sqlite_db.path, reason)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "There is no database at"),
        (b"", "is empty"),
        (b"name;email\nMaija;maija@example.fi\n", "is not a Kanta database"),
    ],
)
def test_backup_refuses_a_source_that_is_not_a_database(tmp_path, content, expected):
    source = tmp_path / "source.sqlite3"
    if content is not None:
        source.write_bytes(content)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BackupError, match=expected):
        backup_database(source, out / "copy.sqlite3")
    assert list(out.iterdir()) == []
    if content is not None:
        assert source.read_bytes() == content


def test_backup_refuses_a_locked_database_and_leaves_nothing(sqlite_db, tmp_path, monkeypatch):
    sqlite_db.dispose()
    monkeypatch.setattr(backup, "SOURCE_BUSY_TIMEOUT_S", 0.05)
    holder = sqlite3.connect(sqlite_db.path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO setting (key, value) VALUES ('lock-test', '1')")
    out = tmp_path / "out"
    out.mkdir()
    try:
        with pytest.raises(BackupError, match="is locked by another program"):
            backup_database(sqlite_db.path, out / "copy.sqlite3")
    finally:
        holder.rollback()
        holder.close()
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("damage", ["overwritten-pages", "crossed-indexes"])
def test_backup_refuses_a_damaged_database(sqlite_db, tmp_path, damage):
    add_customer(sqlite_db, "Virtanen", notes="x" * 20000)
    add_customer(sqlite_db, "Aalto")
    sqlite_db.dispose()
    if damage == "crossed-indexes":
        break_an_index(sqlite_db.path)
    else:
        overwrite_pages(sqlite_db.path)
    damaged = sqlite_db.path.read_bytes()
    with pytest.raises(BackupError, match="is damaged, so no backup was made"):
        backup_database(sqlite_db.path, tmp_path / "copy.sqlite3")
    assert not (tmp_path / "copy.sqlite3").exists()
    assert leftovers(tmp_path) == []
    assert sqlite_db.path.read_bytes() == damaged


def overwrite_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size * 2 : page_size * 4] = b"\xff" * (page_size * 2)
    path.write_bytes(bytes(data))


def test_overwriting_a_copy_removes_its_stale_wal(sqlite_db, tmp_path):
    add_customer(sqlite_db, "Aalto")
    aalto = backup_database(sqlite_db.path, tmp_path / "aalto.sqlite3").path
    add_customer(sqlite_db, "Berg")
    stale_wal = side_file(sqlite_db.path, "-wal").read_bytes()  # Aalto and Berg pages
    sqlite_db.dispose()
    destination = tmp_path / "copy.sqlite3"
    side_file(destination, "-wal").write_bytes(stale_wal)

    backup_database(aalto, destination)

    assert not side_file(destination, "-wal").exists()
    assert last_names(destination) == {"Aalto"}


def test_backup_refuses_a_missing_folder_and_the_database_itself(sqlite_db, tmp_path):
    with pytest.raises(BackupError, match="does not exist"):
        backup_database(sqlite_db.path, tmp_path / "nowhere" / "copy.sqlite3")
    with pytest.raises(BackupError, match="cannot overwrite the database"):
        backup_database(sqlite_db.path, sqlite_db.path)


# --- restoring ------------------------------------------------------------------------------


def test_restore_round_trip_keeps_the_replaced_database(sqlite_db, tmp_path):
    add_customer(sqlite_db, "Aalto")
    saved = backup_database(sqlite_db.path, tmp_path / "saved.sqlite3").path
    add_customer(sqlite_db, "Berg")
    with sqlite_db.session() as s:
        s.execute(text("UPDATE customer SET notes = 'changed'"))
    sqlite_db.dispose()

    result = restore_database(saved, sqlite_db.path)

    assert result.restored_from == saved
    assert result.previous_saved_as is not None
    assert result.previous_saved_as.parent == paths.database_backup_dir(sqlite_db.path)
    assert result.previous_saved_as.name.endswith("-before-restore.sqlite3")
    assert last_names(result.previous_saved_as) == {"Aalto", "Berg"}
    reopened = open_database(f"sqlite:///{sqlite_db.path}")
    try:
        with reopened.session() as s:
            rows = s.execute(text("SELECT last_name, notes FROM customer")).all()
    finally:
        reopened.dispose()
    assert [tuple(row) for row in rows] == [("Aalto", "")]
    assert leftovers(sqlite_db.path.parent) == []


def test_restore_into_a_new_file_saves_nothing(sqlite_db, tmp_path):
    saved = backup_database(sqlite_db.path, tmp_path / "saved.sqlite3").path
    target = tmp_path / "fresh.sqlite3"
    result = restore_database(saved, target)
    assert result.previous_saved_as is None
    assert integrity(target) == [("ok",)]


def test_restore_leaves_no_stale_wal_of_the_target(sqlite_db, tmp_path):
    add_customer(sqlite_db, "Aalto")
    saved = backup_database(sqlite_db.path, tmp_path / "saved.sqlite3").path
    add_customer(sqlite_db, "Berg")
    wal = sqlite_db.path.with_name(sqlite_db.path.name + "-wal")
    stale_wal = wal.read_bytes()  # holds the Berg row while the engine is open
    assert stale_wal
    sqlite_db.dispose()
    wal.write_bytes(stale_wal)

    restore_database(saved, sqlite_db.path)

    assert not wal.exists()
    assert integrity(sqlite_db.path) == [("ok",)]
    assert last_names(sqlite_db.path) == {"Aalto"}


def test_restore_over_a_damaged_database_keeps_it_byte_for_byte(sqlite_db, tmp_path):
    saved = backup_database(sqlite_db.path, tmp_path / "saved.sqlite3").path
    add_customer(sqlite_db, "Virtanen")
    add_customer(sqlite_db, "Aalto")
    sqlite_db.dispose()
    break_an_index(sqlite_db.path)
    damaged = sqlite_db.path.read_bytes()

    result = restore_database(saved, sqlite_db.path)

    assert result.previous_saved_as is not None
    assert result.previous_saved_as.name.endswith("-before-restore-damaged.sqlite3")
    assert result.previous_saved_as.read_bytes() == damaged
    assert integrity(sqlite_db.path) == [("ok",)]
    assert last_names(sqlite_db.path) == set()


def newer_schema_backup(source: Path, tmp_path: Path) -> Path:
    copy = backup_database(source, tmp_path / "newer.sqlite3").path
    query(copy, "UPDATE alembic_version SET version_num = '9999_from_the_future'")
    return copy


def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text("first;last\nMaija;Mäkinen\n", encoding="utf-8")
    return path


def no_schema_backup(tmp_path: Path) -> Path:
    path = tmp_path / "other.sqlite3"
    query(path, "CREATE TABLE recipes (name TEXT)")
    return path


def crossed_index_backup(source: Path, tmp_path: Path) -> Path:
    copy = backup_database(source, tmp_path / "crossed.sqlite3").path
    break_an_index(copy)
    return copy


def truncated_backup(source: Path, tmp_path: Path) -> Path:
    copy = backup_database(source, tmp_path / "truncated.sqlite3").path
    data = copy.read_bytes()
    copy.write_bytes(data[: len(data) // 2])
    return copy


@pytest.mark.parametrize(
    ("make_bad", "expected"),
    [
        (lambda src, tmp: tmp / "missing.sqlite3", "There is no backup at"),
        (lambda src, tmp: tmp, "is a folder"),
        (lambda src, tmp: csv_file(tmp), "is not a Kanta backup"),
        (truncated_backup, "is damaged or incomplete"),
        (crossed_index_backup, "is damaged or incomplete"),
        (lambda src, tmp: no_schema_backup(tmp), "has no schema version"),
        (newer_schema_backup, "made by a newer version of Kanta"),
    ],
    ids=["missing", "folder", "not-sqlite", "truncated", "damaged", "no-schema", "newer-schema"],
)
def test_restore_refuses_a_bad_backup_and_leaves_the_target_alone(
    sqlite_db, tmp_path, make_bad, expected
):
    add_customer(sqlite_db, "Aalto")
    add_customer(sqlite_db, "Berg")
    sqlite_db.dispose()
    bad = make_bad(sqlite_db.path, tmp_path)
    before = sqlite_db.path.read_bytes()

    with pytest.raises(BackupError, match=expected):
        restore_database(bad, sqlite_db.path)

    assert sqlite_db.path.read_bytes() == before
    assert leftovers(sqlite_db.path.parent) == []
    assert list(paths.backup_dir().iterdir()) == []


def test_restore_refuses_a_target_that_is_not_a_database(sqlite_db, tmp_path):
    saved = backup_database(sqlite_db.path, tmp_path / "saved.sqlite3").path
    target = tmp_path / "letter.txt"
    target.write_text("Dear customer\n")
    with pytest.raises(BackupError, match="is not a Kanta database"):
        restore_database(saved, target)
    assert target.read_text() == "Dear customer\n"
    assert leftovers(tmp_path) == []


def test_restore_refuses_while_kanta_holds_the_lock(sqlite_db, tmp_path):
    saved = backup_database(sqlite_db.path, tmp_path / "saved.sqlite3").path
    sqlite_db.dispose()
    before = sqlite_db.path.read_bytes()
    write_lock(sqlite_db.path, pid=os.getpid())

    with pytest.raises(BackupError) as caught:
        restore_database(saved, sqlite_db.path)

    assert str(caught.value) == "Kanta is open on this database; close it first."
    assert sqlite_db.path.read_bytes() == before


def test_a_lock_left_by_a_finished_process_is_stale(sqlite_db, tmp_path):
    saved = backup_database(sqlite_db.path, tmp_path / "saved.sqlite3").path
    sqlite_db.dispose()
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    write_lock(sqlite_db.path, pid=int(finished.stdout))
    assert not is_database_open(sqlite_db.path)
    assert restore_database(saved, sqlite_db.path).previous_saved_as is not None


@pytest.mark.parametrize("content", ["", "not a pid\n", "0\n", "-1\n", "99999999999999999999\n"])
def test_unreadable_lock_contents_count_as_stale(tmp_path, content):
    database = tmp_path / "kanta.sqlite3"
    lock_file_path(database).write_text(content)
    assert not is_database_open(database)


def test_lock_file_path_is_per_database_in_the_data_folder(tmp_path):
    first = lock_file_path(tmp_path / "a.sqlite3")
    assert first.parent == paths.user_data_dir()
    assert re.fullmatch(r"kanta-[0-9a-f]{16}\.lock", first.name)
    assert first == lock_file_path(tmp_path / "sub" / ".." / "a.sqlite3")
    assert first != lock_file_path(tmp_path / "b.sqlite3")
