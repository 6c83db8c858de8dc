from __future__ import annotations

import sqlite3
from datetime import date

from crm_desktop.paths import backup_dir
from crm_desktop.services.backup_schedule import daily_backup, daily_backup_due


def test_one_daily_backup_a_day(sqlite_db):
    today = date.today()
    first = daily_backup(sqlite_db.path, today)
    assert first is not None
    assert first.path.parent == backup_dir()
    assert first.path.name.endswith("-daily.sqlite3")
    assert daily_backup(sqlite_db.path, today) is None
    with sqlite3.connect(first.path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_new_day_wants_a_new_backup(sqlite_db):
    daily_backup(sqlite_db.path, date.today())
    assert not daily_backup_due(date.today())
    assert daily_backup_due(date(2099, 1, 1))


def test_nothing_to_back_up_before_the_first_start(tmp_path):
    assert daily_backup(tmp_path / "missing.sqlite3") is None
    assert list(backup_dir().iterdir()) == []
