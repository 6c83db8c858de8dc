"""The daily backup made when Kanta starts: at most one a day per database, rotated with the
other automatic backups of that database."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from crm_desktop.services.backup import BackupResult, automatic_backup, backup_folder_of

DAILY_REASON = "daily"


def daily_backup_due(source: Path, today: date | None = None) -> bool:
    """True unless the backups folder of ``source`` already holds a daily backup of ``today``."""
    stamp = (today or date.today()).strftime("%Y%m%d")
    return not any(backup_folder_of(source).glob(f"kanta-{stamp}-*-{DAILY_REASON}.sqlite3"))


def daily_backup(source: Path, now: datetime | None = None) -> BackupResult | None:
    """Back ``source`` up unless today's daily backup exists; None when there was nothing to do.
    One clock reading decides both whether it is due and the stamp in the file's name."""
    moment = now or datetime.now()
    if not source.exists() or not daily_backup_due(source, moment.date()):
        return None
    return automatic_backup(source, DAILY_REASON, now=moment)
