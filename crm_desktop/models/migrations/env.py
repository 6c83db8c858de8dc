"""Alembic environment: runs on the connection handed in by Kanta (or pytest-alembic)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

from crm_desktop.models import Base
from crm_desktop.models.search_index import is_search_index_object

config = context.config


def include_object(obj, name, type_, reflected, compare_to):
    # The search indexes (FTS5 tables, trigram index) are made by hand in the migrations.
    return not is_search_index_object(name)


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if isinstance(connection, Engine):  # pytest-alembic hands over an engine
    with connection.begin() as engine_connection:
        run_migrations(engine_connection)
elif connection is not None:
    run_migrations(connection)
else:
    url = config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.begin() as new_connection:
        run_migrations(new_connection)
