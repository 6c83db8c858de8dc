"""Fixtures for window tests: a temporary QSettings location, runners, customers to show."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QSettings, Signal

from crm_desktop.services.customer_data import CustomerInput, EmailInput, PhoneInput
from crm_desktop.services.customers import create_customer
from crm_desktop.services.database import Database, open_database
from crm_desktop.services.demo import generate_demo
from crm_desktop.ui.tasks import SyncTaskRunner, Task, deliver

DEMO_CUSTOMERS = 2000


@pytest.fixture(autouse=True)
def _temporary_qsettings(tmp_path: Path) -> Iterator[Path]:
    """No test reads or writes the real window layout of this user."""
    folder = tmp_path / "qsettings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield folder


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def runner(sqlite_db: Database) -> SyncTaskRunner:
    return SyncTaskRunner(sqlite_db)


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = open_database(f"sqlite:///{path}", backup_before_migration=False)
    database.run(lambda session: generate_demo(session, customers=DEMO_CUSTOMERS, seed=7))
    database.dispose()
    return path


@pytest.fixture
def demo_db(tmp_path: Path, _demo_template: Path) -> Iterator[Database]:
    """A demo business with DEMO_CUSTOMERS customers (copied, so each test may change it)."""
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(_demo_template, path)
    database = open_database(f"sqlite:///{path}", migrate=False)
    yield database
    database.dispose()


def person(
    first: str,
    last: str,
    city: str = "",
    tags: tuple[str, ...] = (),
    status: str = "active",
    phone: str = "",
    email: str = "",
    since: date | None = None,
) -> CustomerInput:
    return CustomerInput(
        first_name=first,
        last_name=last,
        city=city,
        tags=tags,
        status=status,
        phones=(PhoneInput(phone),) if phone else (),
        emails=(EmailInput(email),) if email else (),
        customer_since=since,
    )


def add_customers(database: Database, *people: CustomerInput) -> list[int]:
    with database.session() as session:
        return [create_customer(session, p, "FI").customer.id for p in people]


class DeferredRunner(QObject):
    """A runner whose tasks wait until the test finishes them, in any order it likes."""

    changed = Signal(object)
    busy_changed = Signal(bool)
    failed = Signal(object)

    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database
        self.waiting: list[Task] = []
        self._next_id = 0

    def submit(self, operation: Any, on_done: Any = None, on_error: Any = None) -> Task:
        self._next_id += 1
        task = Task(self._next_id, operation, on_done, on_error)
        self.waiting.append(task)
        return task

    def finish(self, task: Task) -> None:
        self.waiting.remove(task)
        try:
            result = self.database.run(task.operation)
        except Exception as error:
            deliver(self, task, None, error)  # type: ignore[arg-type]
        else:
            deliver(self, task, result, None)  # type: ignore[arg-type]

    def finish_all(self) -> None:
        while self.waiting:
            self.finish(self.waiting[0])

    def shutdown(self) -> None:
        pass
