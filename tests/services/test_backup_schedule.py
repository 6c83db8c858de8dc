from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

from crm_desktop.paths import backup_dir, database_backup_dir
from crm_desktop.services.backup import backup_database
from crm_desktop.services.backup_schedule import daily_backup, daily_backup_due


def test_one_daily_backup_a_day(sqlite_db):
    now = datetime.now()
    first = daily_backup(sqlite_db.path, now)
    assert first is not None
    assert first.path.parent == database_backup_dir(sqlite_db.path)
    assert first.path.name == f"kanta-{now:%Y%m%d-%H%M%S}-daily.sqlite3"
    assert daily_backup(sqlite_db.path, now + timedelta(seconds=1)) is None
    with sqlite3.connect(first.path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_new_day_wants_a_new_backup(sqlite_db):
    daily_backup(sqlite_db.path, datetime(2026, 3, 1, 23, 59, 59))
    assert not daily_backup_due(sqlite_db.path, date(2026, 3, 1))
    assert daily_backup_due(sqlite_db.path, date(2026, 3, 2))
    second = daily_backup(sqlite_db.path, datetime(2026, 3, 2, 0, 0, 1))
    assert second is not None and second.path.name.startswith("kanta-20260302-")


def test_two_databases_each_get_their_daily_backup_on_the_same_day(sqlite_db, tmp_path):
    other = backup_database(sqlite_db.path, tmp_path / "other.sqlite3").path
    now = datetime(2026, 3, 1, 9, 0, 0)
    mine = daily_backup(sqlite_db.path, now)
    theirs = daily_backup(other, now)
    assert mine is not None and theirs is not None
    assert mine.path.parent != theirs.path.parent
    assert not daily_backup_due(other, now.date())


def test_nothing_to_back_up_before_the_first_start(tmp_path):
    assert daily_backup(tmp_path / "missing.sqlite3") is None
    assert list(backup_dir().iterdir()) == []
