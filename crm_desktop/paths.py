"""Where Kanta keeps its files: the user data folder and the shipped resources."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import platformdirs

from crm_desktop import APP_ID

DATABASE_FILENAME = "kanta.sqlite3"


def user_data_dir() -> Path:
    """The per-user data folder; ``CRM_DATA_DIR`` overrides it (tests, portable installs)."""
    override = os.environ.get("CRM_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_ID, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return user_data_dir() / DATABASE_FILENAME


def default_database_url() -> str:
    return "sqlite:///" + default_database_path().as_posix()


def backup_dir() -> Path:
    path = user_data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_backup_dir(database: Path) -> Path:
    """The backups folder of one database file: its name plus a digest of its full path,
    so two databases (even two named alike) never share a daily backup or a rotation."""
    digest = hashlib.sha1(str(database.resolve()).encode("utf-8"), usedforsecurity=False)
    path = backup_dir() / f"{database.stem}-{digest.hexdigest()[:8]}"
    path.mkdir(exist_ok=True)
    return path


def resource_path(*parts: str) -> Path:
    """A file under ``resources/``, from a checkout or from a frozen build."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    root = Path(frozen_root) if frozen_root else Path(__file__).resolve().parent.parent
    return root.joinpath("resources", *parts)
