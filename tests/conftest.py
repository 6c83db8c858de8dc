"""Shared fixtures: data tests run on SQLite and, with CRM_TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from crm_desktop import i18n
from crm_desktop.models import Base
from crm_desktop.services.database import Database, open_database

POSTGRES_URL = os.environ.get("CRM_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Nothing a test does may touch the real user data folder; the interface is English."""
    data_dir = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("CRM_DATA_DIR", str(data_dir))
    i18n.set_language("en")
    yield data_dir
    i18n.set_language("en")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    database = open_database(f"sqlite:///{path}", backup_before_migration=False)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_migrated() -> str:
    database = open_database(POSTGRES_URL, backup_before_migration=False)
    database.dispose()
    return POSTGRES_URL


def _truncate_all(database: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "kanta.sqlite3"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        database = open_database(f"sqlite:///{path}", migrate=False)
    else:
        database = open_database(request.getfixturevalue("_postgres_migrated"), migrate=False)
        _truncate_all(database)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path, _sqlite_template: Path) -> Iterator[Database]:
    """SQLite only, for file-level behaviour (backup, restore, locking)."""
    path = tmp_path / "kanta.sqlite3"
    shutil.copyfile(_sqlite_template, path)
    database = open_database(f"sqlite:///{path}", migrate=False)
    yield database
    database.dispose()
