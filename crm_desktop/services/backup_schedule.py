"""The daily backup made when Kanta starts: at most one a day, rotated with the others."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crm_desktop.paths import backup_dir
from crm_desktop.services.backup import BackupResult, automatic_backup

DAILY_REASON = "daily"


def daily_backup_due(today: date | None = None) -> bool:
    stamp = (today or date.today()).strftime("%Y%m%d")
    return not any(backup_dir().glob(f"kanta-{stamp}-*-{DAILY_REASON}.sqlite3"))


def daily_backup(source: Path, today: date | None = None) -> BackupResult | None:
    """Back ``source`` up unless today's daily backup exists; None when there was nothing to do."""
    if not source.exists() or not daily_backup_due(today):
        return None
    return automatic_backup(source, DAILY_REASON)
