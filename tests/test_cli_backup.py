"""The backup and restore commands, run as the owner would run them: a separate process."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crm_desktop.paths import database_backup_dir
from crm_desktop.services.backup import lock_file_path
from crm_desktop.services.customer_data import CustomerInput
from crm_desktop.services.customers import create_customer
from crm_desktop.services.database import open_database

try:
    import resource
except ImportError:  # Windows has no resource limits to fake a full disk with
    resource = None
needs_rlimit = pytest.mark.skipif(resource is None, reason="needs POSIX resource limits")


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """The data folder shared by the test and the command it runs."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("CRM_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def database(tmp_path, data_dir) -> Path:
    path = tmp_path / "kanta.sqlite3"
    add_customers(path, ["Aalto"])
    return path


def add_customers(path: Path, last_names: list[str], notes: str = "") -> None:
    db = open_database(f"sqlite:///{path}")
    try:
        with db.session() as s:
            for name in last_names:
                create_customer(s, CustomerInput(first_name="Test", last_name=name, notes=notes),
                                "FI")
    finally:
        db.dispose()


def last_names(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute("SELECT last_name FROM customer")}
    finally:
        connection.close()


def integrity(path: Path) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kanta(data_dir: Path, db: str, *args: str, preexec_fn=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, CRM_DATA_DIR=str(data_dir), CRM_LANGUAGE="en",
               PYTHONDONTWRITEBYTECODE="1")
    env.pop("CRM_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "crm_desktop", "--db", db, *args],
        capture_output=True, text=True, env=env, timeout=120, preexec_fn=preexec_fn,
    )


DISK_LIMIT = 256 * 1024


def small_disk() -> None:
    """Runs in the child before exec: no file may grow past DISK_LIMIT, as on a full disk."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (DISK_LIMIT, DISK_LIMIT))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write instead of a killed process


def assert_one_clear_sentence(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert "\n" not in message
    assert re.fullmatch(r"Error: .+\.", message), message
    for word in words:
        assert word in message


def test_backup_writes_a_checked_copy_with_the_data(database, data_dir, tmp_path):
    copy = tmp_path / "copy.sqlite3"
    result = kanta(data_dir, str(database), "backup", str(copy))
    assert result.returncode == 0, result.stderr
    assert str(copy) in result.stdout
    assert integrity(copy) == [("ok",)]
    assert last_names(copy) == {"Aalto"}


def test_backup_without_a_file_goes_to_the_databases_backups_folder(database, data_dir):
    result = kanta(data_dir, f"sqlite:///{database}", "backup")
    assert result.returncode == 0, result.stderr
    folder = database_backup_dir(database)  # the same CRM_DATA_DIR as the command's
    assert folder.parent == data_dir / "backups"
    assert re.fullmatch(r"kanta-[0-9a-f]{8}", folder.name)
    made = list(folder.glob("kanta-*-manual.sqlite3"))
    assert len(made) == 1
    assert str(made[0]) in result.stdout
    assert last_names(made[0]) == {"Aalto"}


def test_restore_round_trip_keeps_the_replaced_database(database, data_dir, tmp_path):
    saved = tmp_path / "saved.sqlite3"
    assert kanta(data_dir, str(database), "backup", str(saved)).returncode == 0
    add_customers(database, ["Berg"])

    result = kanta(data_dir, str(database), "restore", str(saved))

    assert result.returncode == 0, result.stderr
    kept = list(database_backup_dir(database).glob("kanta-*-before-restore.sqlite3"))
    assert len(kept) == 1
    assert f"kept as {kept[0]}" in result.stdout
    assert last_names(kept[0]) == {"Aalto", "Berg"}
    assert last_names(database) == {"Aalto"}
    assert integrity(database) == [("ok",)]


def not_sqlite(source: Path, folder: Path) -> Path:
    path = folder / "customers.csv"
    path.write_text("first;last\nMaija;Mäkinen\n", encoding="utf-8")
    return path


def truncated(source: Path, folder: Path) -> Path:
    path = folder / "truncated.sqlite3"
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def newer_schema(source: Path, folder: Path) -> Path:
    path = folder / "newer.sqlite3"
    path.write_bytes(source.read_bytes())
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    finally:
        connection.close()
    return path


def held_lock(source: Path, folder: Path) -> Path:
    path = folder / "good.sqlite3"
    path.write_bytes(source.read_bytes())
    # QLockFile's layout: PID, then application name and host name; this test process is alive.
    lock_file_path(source).write_text(f"{os.getpid()}\nkanta\nlocalhost\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make_backup", "words"),
    [
        (not_sqlite, ["customers.csv", "not a Kanta backup"]),
        (truncated, ["truncated.sqlite3", "damaged or incomplete"]),
        (newer_schema, ["newer version of Kanta", "9999_future"]),
        (held_lock, ["Kanta is open on this database; close it first."]),
    ],
    ids=["not-sqlite", "truncated", "newer-schema", "held-lock"],
)
def test_restore_refuses_and_leaves_the_database_alone(
    database, data_dir, tmp_path, make_backup, words
):
    add_customers(database, [f"Customer {n}" for n in range(60)], notes="n" * 500)
    folder = tmp_path / "incoming"
    folder.mkdir()
    backup_file = make_backup(database, folder)
    before = database.read_bytes()

    result = kanta(data_dir, str(database), "restore", str(backup_file))

    assert_one_clear_sentence(result, *words)
    assert database.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if ".partial" in p.name] == []


@needs_rlimit
def test_backup_to_a_full_disk_fails_cleanly(database, data_dir, tmp_path):
    add_customers(database, [f"Customer {n}" for n in range(200)], notes="lorem ipsum " * 800)
    assert database.stat().st_size > 4 * DISK_LIMIT
    before = digest(database)
    out = tmp_path / "usb-stick"
    out.mkdir()
    copy = out / "copy.sqlite3"

    result = kanta(data_dir, str(database), "backup", str(copy), preexec_fn=small_disk)

    assert_one_clear_sentence(result, str(copy), "disk is full")
    assert list(out.iterdir()) == []
    assert digest(database) == before


@needs_rlimit
def test_restore_onto_a_full_disk_leaves_the_database_alone(database, data_dir, tmp_path):
    big = tmp_path / "big.sqlite3"
    add_customers(big, [f"Customer {n}" for n in range(200)], notes="lorem ipsum " * 800)
    saved = tmp_path / "saved.sqlite3"
    assert kanta(data_dir, str(big), "backup", str(saved)).returncode == 0
    assert saved.stat().st_size > 4 * DISK_LIMIT
    before = digest(database)

    result = kanta(data_dir, str(database), "restore", str(saved), preexec_fn=small_disk)

    assert_one_clear_sentence(result, str(database), "disk is full")
    assert digest(database) == before
    assert [p.name for p in tmp_path.iterdir() if ".partial" in p.name] == []


@pytest.mark.parametrize(
    ("db", "words"),
    [
        ("nosuch://x", ["nosuch://x", "Unsupported database"]),
        ("postgresql+psycopg://kanta@localhost/kanta", ["pg_dump"]),
    ],
)
def test_backup_refuses_a_database_that_is_not_an_sqlite_file(data_dir, db, words):
    assert_one_clear_sentence(kanta(data_dir, db, "backup"), *words)
    assert not (data_dir / "backups").exists() or not any((data_dir / "backups").iterdir())


def test_backup_refuses_a_db_file_that_is_not_sqlite(data_dir, tmp_path):
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear customer,\n", encoding="utf-8")
    result = kanta(data_dir, str(letter), "backup", str(tmp_path / "copy.sqlite3"))
    assert_one_clear_sentence(result, "letter.txt", "not a Kanta database")
    assert letter.read_text(encoding="utf-8") == "Dear customer,\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "letter.txt"]


def test_backup_of_a_missing_database_says_so(data_dir, tmp_path):
    missing = tmp_path / "missing.sqlite3"
    assert_one_clear_sentence(kanta(data_dir, str(missing), "backup"), "There is no database")
    assert not missing.exists()
