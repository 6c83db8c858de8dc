"""Copies of the SQLite database: checked backups, their rotation, and restoring one.

Every copy goes through SQLite's online backup API, so a backup taken while Kanta runs is a
consistent snapshot that includes what still sits in the WAL. The copy is written to a
temporary file next to its destination, checked with ``PRAGMA integrity_check`` and only then
renamed into place: a failed or interrupted copy never replaces a good file.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from crm_desktop import paths
from crm_desktop.i18n import _
from crm_desktop.models.engine import SQLITE_MAGIC
from crm_desktop.services.errors import ServiceError
from crm_desktop.services.processes import process_running

# Automatic backups (daily, before a migration, before a restore) kept per reason in each
# database's backups folder; manual ones are the owner's and are never deleted.
AUTOMATIC_BACKUPS_KEPT = 10
MANUAL_REASON = "manual"
# How long to wait for another program's lock on the database before giving up.
SOURCE_BUSY_TIMEOUT_S = 5.0

_STAMP_FORMAT = "%Y%m%d-%H%M%S"
_REASON = re.compile(r"[a-z][a-z0-9-]*")
_BACKUP_NAME = re.compile(
    r"kanta-(?P<stamp>\d{8}-\d{6})(?:-(?P<counter>\d+))?-(?P<reason>[a-z][a-z0-9-]*)\.sqlite3"
)
# Files SQLite keeps beside a database. Left over next to a replaced file, a journal or WAL
# would be replayed onto the new one and damage it.
_SIDE_FILES = ("-wal", "-shm", "-journal")

Failure = Literal["locked", "damaged", "write"]


class BackupError(ServiceError):
    """A backup or restore could not be done; ``str(error)`` says why in one sentence."""


class DamagedDatabaseError(BackupError):
    """The database to copy is an SQLite file but its pages fail the integrity check."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous_saved_as: Path | None


class _CopyDamaged(Exception):
    """The fresh copy failed ``PRAGMA integrity_check``."""


# --- backing up -----------------------------------------------------------------------------


def backup_database(source: Path, destination: Path | None = None) -> BackupResult:
    """Copy the database to ``destination`` (a file or folder), by default the database's
    own folder in the backups folder."""
    if destination is None:
        return _backup_into_folder(source, MANUAL_REASON)
    if destination.is_dir():
        destination = next_backup_path(destination, MANUAL_REASON)
    return _copy_checked(source, destination)


def automatic_backup(source: Path, reason: str, now: datetime | None = None) -> BackupResult:
    """A backup the program makes on its own (``reason`` like "pre-migration"); rotated.
    ``now`` is the time its name carries (default: the local time now)."""
    if not _REASON.fullmatch(reason) or reason == MANUAL_REASON:
        raise ValueError(f"not a reason for an automatic backup: {reason!r}")
    return _backup_into_folder(source, reason, now)


def next_backup_path(folder: Path, reason: str, now: datetime | None = None) -> Path:
    """``kanta-YYYYmmdd-HHMMSS-reason.sqlite3``; a counter follows the time within one second."""
    stamp = (now or datetime.now()).strftime(_STAMP_FORMAT)
    counters = [
        int(match["counter"] or 1)
        for path in folder.glob(f"kanta-{stamp}-*.sqlite3")
        if (match := _BACKUP_NAME.fullmatch(path.name))
    ]
    counter = max(counters, default=0) + 1
    middle = stamp if counter == 1 else f"{stamp}-{counter}"
    return folder / f"kanta-{middle}-{reason}.sqlite3"


def rotate_backups(
    folder: Path, keep: int = AUTOMATIC_BACKUPS_KEPT, spare: Path | None = None
) -> list[Path]:
    """Per reason, delete all but the newest ``keep`` automatic backups in ``folder``.

    Counting per reason keeps a run of daily backups from pushing out the rarer pre-migration
    and before-restore ones. Returns the deleted files.
    """
    by_reason: dict[str, list[tuple[tuple[str, int], Path]]] = defaultdict(list)
    try:
        for path in folder.iterdir():
            if found := _automatic_sort_key(path):
                reason, key = found
                by_reason[reason].append((key, path))
    except OSError:
        return []
    removed: list[Path] = []
    for keyed in by_reason.values():
        oldest_first = [path for key, path in sorted(keyed)]
        removed += _delete_all(oldest_first[: max(len(oldest_first) - keep, 0)], spare)
    return removed


def _delete_all(paths_to_delete: list[Path], spare: Path | None) -> list[Path]:
    removed: list[Path] = []
    # ``spare`` is the backup just made: kept even if the clock went back (daylight saving).
    for path in paths_to_delete:
        if path == spare:
            continue
        try:
            path.unlink()
        except OSError:
            continue  # not deletable now (open elsewhere?); the next rotation tries again
        removed.append(path)
    return removed


def _automatic_sort_key(path: Path) -> tuple[str, tuple[str, int]] | None:
    match = _BACKUP_NAME.fullmatch(path.name)
    if match is None or match["reason"] == MANUAL_REASON or not path.is_file():
        return None
    return match["reason"], (match["stamp"], int(match["counter"] or 1))


def _backup_into_folder(source: Path, reason: str, now: datetime | None = None) -> BackupResult:
    folder = backup_folder_of(source)
    result = _copy_checked(source, next_backup_path(folder, reason, now))
    rotate_backups(folder, spare=result.path)
    return result


def backup_folder_of(source: Path) -> Path:
    """The folder (created if need be) of the automatic and default backups of ``source``."""
    try:
        return paths.database_backup_dir(source)
    except OSError as error:
        raise BackupError(
            _("Cannot create the backups folder: {reason}.").format(reason=error.strerror)
        ) from None


def _copy_checked(source: Path, destination: Path) -> BackupResult:
    _require_database(source)
    if source.resolve() == destination.resolve():
        raise BackupError(_("A backup cannot overwrite the database it copies."))
    temporary = _temporary_next_to(destination)
    try:
        _copy_into(temporary, source, read_only=False)
    except (sqlite3.Error, _CopyDamaged) as error:
        _discard(temporary)
        raise _backup_failure(_failure_kind(error), source, destination) from None
    except BaseException:
        _discard(temporary)
        raise
    _install(temporary, destination)
    return BackupResult(destination, destination.stat().st_size)


def _backup_failure(kind: Failure, source: Path, destination: Path) -> BackupError:
    if kind == "locked":
        return BackupError(_locked_message(source))
    if kind == "damaged":
        return DamagedDatabaseError(
            _("The database {path} is damaged, so no backup was made.").format(path=source)
        )
    return BackupError(_write_failure(destination))


# --- restoring ------------------------------------------------------------------------------


def restore_database(backup_file: Path, target: Path) -> RestoreResult:
    """Replace ``target`` with a checked copy of ``backup_file``; the replaced one is kept."""
    if is_database_open(target):
        raise BackupError(_("Kanta is open on this database; close it first."))
    _require_backup_file(backup_file)
    if backup_file.resolve() == target.resolve():
        raise BackupError(_("The backup and the database are the same file."))
    temporary = _temporary_next_to(target)
    try:
        _copy_into(temporary, backup_file, read_only=True)
        _require_known_schema(temporary, backup_file)
        saved = _save_current(target)
        with suppress(OSError):  # the restored file keeps the replaced one's permissions
            shutil.copymode(target, temporary)
    except (sqlite3.Error, _CopyDamaged) as error:
        _discard(temporary)
        raise _restore_failure(_failure_kind(error), backup_file, target) from None
    except BaseException:
        _discard(temporary)
        raise
    _install(temporary, target)
    return RestoreResult(backup_file, saved)


def _require_known_schema(copy: Path, backup_file: Path) -> None:
    from crm_desktop.models.migrate import known_revisions

    revision = _schema_revision(copy)
    if revision is None:
        raise BackupError(
            _("The backup {path} is not a Kanta database (it has no schema version).").format(
                path=backup_file
            )
        )
    if revision not in known_revisions():
        raise BackupError(
            _(
                "The backup {path} was made by a newer version of Kanta (schema {revision}); "
                "update Kanta to restore it."
            ).format(path=backup_file, revision=revision)
        )


def _schema_revision(database: Path) -> str | None:
    connection = sqlite3.connect(database)
    try:
        if not connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone():
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    return None if row is None else str(row[0])


def _save_current(target: Path) -> Path | None:
    """Keep the database about to be replaced; a damaged one is kept byte for byte."""
    if not target.exists() or target.stat().st_size == 0:
        return None
    try:
        return automatic_backup(target, "before-restore").path
    except DamagedDatabaseError:
        return _save_raw_copy(target)


def _save_raw_copy(target: Path) -> Path:
    folder = backup_folder_of(target)
    destination = next_backup_path(folder, "before-restore-damaged")
    temporary = _temporary_next_to(destination)
    try:
        shutil.copyfile(target, temporary)
        os.replace(temporary, destination)
        wal = _side_file(target, "-wal")
        if wal.exists():  # committed changes may still live only there
            shutil.copyfile(wal, _side_file(destination, "-wal"))
    except OSError:
        _discard(temporary)
        raise BackupError(_write_failure(destination)) from None
    rotate_backups(folder, spare=destination)
    return destination


def _restore_failure(kind: Failure, backup_file: Path, target: Path) -> BackupError:
    if kind == "locked":
        return BackupError(_locked_message(backup_file))
    if kind == "damaged":
        return BackupError(
            _("The backup {path} is damaged or incomplete.").format(path=backup_file)
        )
    return BackupError(_write_failure(target))


# --- the lock of a running Kanta ------------------------------------------------------------


def lock_file_path(db: Path) -> Path:
    """The lock file a running Kanta holds (``QLockFile``) while it has ``db`` open."""
    digest = hashlib.sha1(str(db.resolve()).encode("utf-8"), usedforsecurity=False)
    return paths.user_data_dir() / ("kanta-" + digest.hexdigest()[:16] + ".lock")


def is_database_open(db: Path) -> bool:
    """True while a running process holds the lock file of ``db``; a stale lock does not count."""
    try:
        text = lock_file_path(db).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return False
    except OSError:
        return True  # a lock that cannot be read may well be held: refuse rather than guess
    first_line = text.partition("\n")[0].strip()  # QLockFile writes the owner's PID first
    if not (first_line.isascii() and first_line.isdigit()):
        return False
    return process_running(int(first_line))


# --- copying files ----------------------------------------------------------------------------


def _copy_into(temporary: Path, source: Path, read_only: bool) -> None:
    """Copy ``source`` page by page into the empty file ``temporary`` and check the copy."""
    with _reading(source, read_only) as origin:
        copy = sqlite3.connect(temporary, isolation_level=None)
        try:
            origin.backup(copy)
            # One self-contained file: nothing to carry beside it, readable from read-only media.
            copy.execute("PRAGMA journal_mode = DELETE")
            result = copy.execute("PRAGMA integrity_check").fetchall()
        finally:
            copy.close()
    if result != [("ok",)]:
        raise _CopyDamaged


@contextmanager
def _reading(path: Path, read_only: bool) -> Iterator[sqlite3.Connection]:
    """A connection inside an open read transaction on ``path``.

    The read lock is taken here, under the busy timeout, because ``Connection.backup`` retries
    a locked database forever; with the transaction open it never needs to wait.
    """
    uri = path.resolve().as_uri() + ("?mode=ro" if read_only else "?mode=rw")
    connection = sqlite3.connect(
        uri, uri=True, timeout=SOURCE_BUSY_TIMEOUT_S, isolation_level=None
    )
    try:
        connection.execute("BEGIN")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        yield connection
    finally:
        if connection.in_transaction:
            connection.rollback()
        connection.close()


def _failure_kind(error: Exception) -> Failure:
    if isinstance(error, _CopyDamaged):
        return "damaged"
    name = getattr(error, "sqlite_errorname", "")
    message = str(error).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in message:
        return "locked"
    damaged = ("SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_IOERR_READ", "SQLITE_IOERR_SHORT_READ")
    if name.startswith(damaged) or "malformed" in message or "not a database" in message:
        return "damaged"
    return "write"  # disk full, I/O error, read-only folder: the side being written


def _require_database(path: Path) -> None:
    header = _read_header(path)
    if header is None:
        raise BackupError(_("There is no database at {path}.").format(path=path))
    if not header:
        raise BackupError(_("{path} is empty, so there is nothing to back up.").format(path=path))
    if header != SQLITE_MAGIC:
        raise BackupError(
            _("{path} is not a Kanta database (not an SQLite file).").format(path=path)
        )


def _require_backup_file(path: Path) -> None:
    header = _read_header(path)
    if header is None:
        raise BackupError(_("There is no backup at {path}.").format(path=path))
    if header != SQLITE_MAGIC:
        raise BackupError(_("{path} is not a Kanta backup (not an SQLite file).").format(path=path))


def _read_header(path: Path) -> bytes | None:
    """The first bytes of ``path``; None when there is no such file."""
    if path.is_dir():
        raise BackupError(_("{path} is a folder, not a file.").format(path=path))
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise BackupError(
            _("Cannot read {path}: {reason}.").format(path=path, reason=error.strerror)
        ) from None


def _temporary_next_to(destination: Path) -> Path:
    """An empty file in the destination's folder, so the final rename cannot cross disks."""
    folder = destination.parent
    if not folder.is_dir():
        raise BackupError(_("The folder {folder} does not exist.").format(folder=folder))
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{destination.name}.", suffix=".partial", dir=folder
        )
    except OSError:
        raise BackupError(_write_failure(destination)) from None
    os.close(handle)
    return Path(name)


def _install(temporary: Path, destination: Path) -> None:
    try:
        for suffix in _SIDE_FILES:
            _side_file(destination, suffix).unlink(missing_ok=True)
        os.replace(temporary, destination)
    except OSError:
        _discard(temporary)
        raise BackupError(_write_failure(destination)) from None


def _discard(temporary: Path) -> None:
    for path in (temporary, *(_side_file(temporary, suffix) for suffix in _SIDE_FILES)):
        with suppress(OSError):
            path.unlink(missing_ok=True)


def _side_file(database: Path, suffix: str) -> Path:
    return database.with_name(database.name + suffix)


def _write_failure(destination: Path) -> str:
    return _("Could not write {path}: the disk is full or cannot be written to.").format(
        path=destination
    )


def _locked_message(path: Path) -> str:
    return _("The database {path} is locked by another program; try again when it is free.").format(
        path=path
    )
