"""Migrations: one head, upgrade, models match migrations, down and up — on each backend."""

from __future__ import annotations

import pytest
from pytest_alembic import tests as alembic_checks
from sqlalchemy import create_engine, make_url, text

from crm_desktop.models import Base
from crm_desktop.models.migrate import HEAD_REVISION, MIGRATIONS_DIR, known_revisions
from tests.conftest import BACKENDS, POSTGRES_URL


@pytest.fixture
def alembic_config():
    return {"script_location": str(MIGRATIONS_DIR)}


@pytest.fixture(params=BACKENDS)
def alembic_engine(request, tmp_path):
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")
    else:
        # A database of its own: the other tests share the main test database.
        engine = create_engine(_scratch_postgres_url())
        _drop_everything(engine)
    yield engine
    if request.param == "postgresql":
        _drop_everything(engine)
    engine.dispose()


def _scratch_postgres_url() -> str:
    url = make_url(POSTGRES_URL)
    scratch = f"{url.database}_migrations"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": scratch}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{scratch}"'))
    admin.dispose()
    return url.set(database=scratch).render_as_string(hide_password=False)


def _drop_everything(engine):
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_single_head_revision(alembic_runner):
    alembic_checks.test_single_head_revision(alembic_runner)


def test_upgrade(alembic_runner):
    alembic_checks.test_upgrade(alembic_runner)


def test_model_definitions_match_ddl(alembic_runner):
    alembic_checks.test_model_definitions_match_ddl(alembic_runner)


def test_up_down_consistency(alembic_runner):
    alembic_checks.test_up_down_consistency(alembic_runner)


def test_head_constant_matches_the_scripts(alembic_runner):
    # Start-up skips importing Alembic when the database is at HEAD_REVISION.
    assert alembic_runner.heads == [HEAD_REVISION]
    assert HEAD_REVISION in known_revisions()
